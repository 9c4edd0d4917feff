import { z } from '../../../lib/zod';
import type { CompiledPolicy } from '../compile-policy';
import { BROWSERS } from './browsers';
import { FIREFOX_NOTE, firefoxPolicies } from './firefox';
import { linuxJson } from './linux-json';
import { mobileconfig } from './mobileconfig';
import { utf16leWithBom, windowsReg } from './windows-reg';

export const PolicyFormatSchema = z.enum(['chrome-json', 'chrome-reg', 'chrome-mobileconfig', 'edge-json', 'edge-reg', 'edge-mobileconfig', 'firefox-json']);
export type PolicyFormat = z.infer<typeof PolicyFormatSchema>;

export interface RenderedPolicy {
  format: PolicyFormat;
  /** The file as text (what stdout shows). */
  text: string;
  /** The file as it should be saved: UTF-16LE with BOM for .reg, UTF-8 otherwise. */
  bytes: Uint8Array;
  fileName: string;
  mediaType: string;
  /** Where the file goes, in words. */
  placement: string;
  /** Format-specific notes for the report (Firefox: there is no per-site equivalent). */
  notes: string[];
}

export interface FormatInfo {
  format: PolicyFormat;
  label: string;
  fileName: string;
  mediaType: string;
}

export const FORMATS: readonly FormatInfo[] = [
  { format: 'chrome-json', label: 'Chrome / Chromium on Linux (JSON)', fileName: 'cert-rules-chrome.json', mediaType: 'application/json' },
  { format: 'chrome-reg', label: 'Chrome on Windows (.reg)', fileName: 'cert-rules-chrome.reg', mediaType: 'text/plain' },
  {
    format: 'chrome-mobileconfig',
    label: 'Chrome on macOS (.mobileconfig)',
    fileName: 'cert-rules-chrome.mobileconfig',
    mediaType: 'application/x-apple-aspen-config',
  },
  { format: 'edge-json', label: 'Edge on Linux (JSON)', fileName: 'cert-rules-edge.json', mediaType: 'application/json' },
  { format: 'edge-reg', label: 'Edge on Windows (.reg)', fileName: 'cert-rules-edge.reg', mediaType: 'text/plain' },
  {
    format: 'edge-mobileconfig',
    label: 'Edge on macOS (.mobileconfig)',
    fileName: 'cert-rules-edge.mobileconfig',
    mediaType: 'application/x-apple-aspen-config',
  },
  { format: 'firefox-json', label: 'Firefox (policies.json, ask every time)', fileName: 'policies.json', mediaType: 'application/json' },
];

/** What a file name says when the file lets the browser pick any certificate (no certificate filter). */
export const ANY_CERTIFICATE_SUFFIX = '-any-certificate';

/** `cert-rules-chrome.reg` → `cert-rules-chrome-any-certificate.reg`: whoever deploys the file sees it restricts no certificate. */
export function anyCertificateFileName(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot <= 0 ? `${fileName}${ANY_CERTIFICATE_SUFFIX}` : `${fileName.slice(0, dot)}${ANY_CERTIFICATE_SUFFIX}${fileName.slice(dot)}`;
}

/**
 * Writes compiled entries in one format. Pure: the caller saves or shows the
 * result. `anyCertificate` (compilePolicy's) names the file for it; the Firefox
 * file has no certificate filter and keeps its name.
 */
export function renderPolicy(format: PolicyFormat, policy: Pick<CompiledPolicy, 'entries'> & Partial<Pick<CompiledPolicy, 'anyCertificate'>>): RenderedPolicy {
  const info = FORMATS.find((candidate) => candidate.format === format)!;
  const utf8 = (text: string) => new TextEncoder().encode(text);
  const anyCertificate = format !== 'firefox-json' && policy.anyCertificate === true;
  const base = { format, fileName: anyCertificate ? anyCertificateFileName(info.fileName) : info.fileName, mediaType: info.mediaType };
  if (format === 'firefox-json') {
    const text = firefoxPolicies();
    return { ...base, text, bytes: utf8(text), placement: 'policies.json for Firefox', notes: [FIREFOX_NOTE] };
  }
  const browser = BROWSERS[format.startsWith('edge') ? 'edge' : 'chrome'];
  if (format.endsWith('-json')) {
    const text = linuxJson(policy.entries);
    return { ...base, text, bytes: utf8(text), placement: `save as a .json file in ${browser.linuxDirectories.join(' or ')}`, notes: [] };
  }
  if (format.endsWith('-reg')) {
    const text = windowsReg(policy.entries, browser);
    return { ...base, text, bytes: utf16leWithBom(text), placement: `import with regedit (writes HKEY_LOCAL_MACHINE\\${browser.registryKey})`, notes: [] };
  }
  const text = mobileconfig(policy.entries, browser);
  return { ...base, text, bytes: utf8(text), placement: `install as a configuration profile (MDM) for ${browser.preferenceDomain}`, notes: [] };
}
