// The update manifest ("gupdate" XML, protocol 2.0) that Chrome and Edge poll
// for an extension installed from an update_url outside the Web Store
// (ExtensionInstallForcelist "<id>;<update_url>" or ExtensionSettings
// update_url). Chrome compares `version` with the installed one and downloads
// `codebase` when it is newer; the .crx must be signed with the key that gives
// `appid`.
import { isLoopbackHost } from '../../src/engine/loopback-host';

/** Where update.xml and the .crx are served unless --base-url says otherwise; docs/examples use it too. */
export const PLACEHOLDER_BASE_URL = 'https://extensions.example.org/client-certificate-rules/';

export interface UpdateManifestInput {
  /** The 32-letter extension id. */
  appId: string;
  /** The manifest version (dotted integers), not package.json's pre-release form. */
  version: string;
  /** Absolute https URL of the .crx. */
  codebase: string;
  /** Oldest browser version that may install it (manifest minimum_chrome_version). */
  prodVersionMin?: string | undefined;
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

export function updateManifestXml(input: UpdateManifestInput): string {
  if (!/^[a-p]{32}$/.test(input.appId)) throw new Error(`update.xml: "${input.appId}" is not an extension id`);
  if (!/^\d+(\.\d+){0,3}$/.test(input.version)) throw new Error(`update.xml: "${input.version}" is not a manifest version`);
  const attributes = [`codebase="${escapeXml(input.codebase)}"`, `version="${escapeXml(input.version)}"`];
  if (input.prodVersionMin) attributes.push(`prodversionmin="${escapeXml(input.prodVersionMin)}"`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gupdate xmlns="http://www.google.com/update2/response" protocol="2.0">',
    `  <app appid="${input.appId}">`,
    `    <updatecheck ${attributes.join(' ')} />`,
    '  </app>',
    '</gupdate>',
    '',
  ].join('\n');
}

/**
 * Checks and normalises the base URL the .crx and update.xml are served from.
 * https only (loopback http for tests), and a trailing slash so file names
 * append cleanly.
 */
export function normalizeBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`--base-url "${value}" is not a URL`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new Error(`--base-url must be an https:// URL (browsers fetch the extension from it), got "${value}"`);
  }
  if (url.search || url.hash) throw new Error('--base-url must not have a query or fragment');
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}
