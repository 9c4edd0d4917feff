import { extensionApi } from './extension-api';
import type { SessionArea } from './tab-store';
import { GUARD_PAGE_PATH } from '../shared/guard-url';
import type { OwnExtension } from './sender-check';
import type { PredictionSetting } from '../shared/network-prediction';

/**
 * The browser, as the background uses it, with the differences between
 * Chrome and Firefox settled in one place. `browser` is the browser's own
 * promise API (extension-api.ts explains why not webextension-polyfill).
 */
export const browser = extensionApi();

export function ownExtension(): OwnExtension {
  return { id: browser.runtime.id, origin: browser.runtime.getURL('') };
}

/**
 * The guard page's address under the extension's fixed origin: where the
 * guard's redirect rules send a navigation, and what the tab and a message's
 * sender then show. Not runtime.getURL(GUARD_PAGE_PATH): with
 * `use_dynamic_url` Chrome answers that with the session's dynamic address,
 * which changes at every browser start (the redirect rules outlive it), while
 * a redirect rule may use the fixed one (measured in Chromium 156; docs/deploy.md).
 */
export function guardPageBase(): string {
  return `${browser.runtime.getURL('')}${GUARD_PAGE_PATH}`;
}

/** storage.session: in every browser the manifest allows (Chrome 120+, Firefox 140+; it came in Chrome 102 and Firefox 115). */
export function sessionArea(): SessionArea {
  return browser.storage.session as unknown as SessionArea;
}

export interface LocalArea {
  get(keys: string | string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

export function localArea(): LocalArea {
  return browser.storage.local as unknown as LocalArea;
}

/** What reading the managed policy gave: the raw object, or why it could not be read. */
export type ManagedRead = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

/**
 * storage.managed.get(). Chrome answers {} without a policy; Firefox throws
 * "Managed storage manifest not found", which also means "no policy".
 */
export async function readManagedStorage(isNoPolicyError: (error: unknown) => boolean, asked?: Promise<Record<string, unknown>>): Promise<ManagedRead> {
  const managed = (browser.storage as { managed?: { get(): Promise<Record<string, unknown>> } }).managed;
  if (!managed) return { ok: true, value: {} };
  try {
    // `asked`: a get() already under way (wake-up/early-reads.ts).
    return { ok: true, value: (await (asked ?? managed.get())) ?? {} };
  } catch (error) {
    if (isNoPolicyError(error)) return { ok: true, value: {} };
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** The parts of declarativeNetRequest the guard uses; absent where the browser has none. */
export interface DnrApi {
  getDynamicRules(): Promise<{ id: number }[]>;
  updateDynamicRules(options: { removeRuleIds?: number[]; addRules?: unknown[] }): Promise<void>;
  getSessionRules(): Promise<{ id: number; condition?: { urlFilter?: string } }[]>;
  updateSessionRules(options: { removeRuleIds?: number[]; addRules?: unknown[] }): Promise<void>;
  isRegexSupported?: (options: { regex: string; isCaseSensitive?: boolean; requireCapturing?: boolean }) => Promise<{ isSupported: boolean; reason?: string }>;
  MAX_NUMBER_OF_REGEX_RULES?: number;
}

export function dnrApi(): DnrApi | null {
  return (browser as unknown as { declarativeNetRequest?: DnrApi }).declarativeNetRequest ?? null;
}

/** privacy.network.networkPredictionEnabled; null where the browser has no privacy API (or the permission is missing). */
export function predictionSetting(): PredictionSetting | null {
  const privacy = (browser as unknown as { privacy?: { network?: { networkPredictionEnabled?: PredictionSetting } } }).privacy;
  return privacy?.network?.networkPredictionEnabled ?? null;
}

export function getMessage(key: string, substitutions?: string[]): string {
  try {
    return browser.i18n.getMessage(key, substitutions);
  } catch {
    return '';
  }
}
