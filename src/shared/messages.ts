import { z } from '../engine/zod';
import type { CertificateFilter } from '../config/index';
import type { CompiledSource, Explanation, Finding } from '../engine/index';
import type { ClientAuthEvent, Endpoint, TabState, VerdictView } from './tab-state';
import type { GuardStatus, RuleSources, SettingsView, SyncAttempt, SyncStatus } from './status';

/**
 * Every request a page may send to the background: one zod discriminated union,
 * validated by the one router. `mutates` lists the requests that change state;
 * the router accepts those only from the extension's own pages.
 */
const RawRulesSchema = z.array(z.unknown()).check(z.maxLength(100_000));

export const RequestSchema = z.discriminatedUnion('type', [
  /** Everything the popup needs for its first render, in one round trip. */
  z.object({ type: z.literal('getPopupState'), tabId: z.number().check(z.int()) }),
  z.object({ type: z.literal('getTabState'), tabId: z.number().check(z.int()) }),
  z.object({ type: z.literal('evaluateUrl'), url: z.string().check(z.maxLength(8192)) }),
  z.object({ type: z.literal('getRuleSources') }),
  z.object({ type: z.literal('getStatus') }),
  z.object({ type: z.literal('syncNow') }),
  z.object({ type: z.literal('setLocalRules'), rules: RawRulesSchema }),
  z.object({ type: z.literal('setLocalSettings'), settings: z.record(z.string(), z.unknown()) }),
  /** Sent by the guard page when the user chooses "continue" under guard `warn`. */
  z.object({ type: z.literal('guardContinue'), url: z.string().check(z.maxLength(8192)) }),
  /** Console administration (options page, console admins only). */
  z.object({ type: z.literal('consoleAccount') }),
  z.object({ type: z.literal('consoleListProfiles') }),
  z.object({ type: z.literal('consoleGetProfile'), profileId: z.string().check(z.minLength(1)) }),
  z.object({
    type: z.literal('consoleSaveProfile'),
    profileId: z.nullable(z.string().check(z.minLength(1))),
    name: z.string().check(z.minLength(1), z.maxLength(200)),
    description: z.string().check(z.maxLength(2000)),
    rules: RawRulesSchema,
  }),
  z.object({ type: z.literal('consoleArchiveProfile'), profileId: z.string().check(z.minLength(1)) }),
  z.object({ type: z.literal('consoleSetDefaultProfile'), profileId: z.string().check(z.minLength(1)) }),
  /** The compiled rules in force and the certificate filter: the options page compiles them to browser policy itself. */
  z.object({ type: z.literal('getRulesInForce') }),
]);
export type Request = z.infer<typeof RequestSchema>;
export type RequestType = Request['type'];

export const MUTATING_REQUESTS: ReadonlySet<RequestType> = new Set<RequestType>([
  'syncNow',
  'setLocalRules',
  'setLocalSettings',
  'guardContinue',
  'consoleSaveProfile',
  'consoleArchiveProfile',
  'consoleSetDefaultProfile',
]);

export interface ErrorReply {
  /** e.g. invalid-request, forbidden, managed, invalid-rules, console:<failure kind>, internal */
  code: string;
  message: string;
  /** Rule problems when a rule list was refused. */
  findings?: Finding[];
}

export type Reply<T> = { ok: true; value: T } | { ok: false; error: ErrorReply };

export interface SourceLabel {
  name: string;
  label: string | null;
}

export interface PopupState {
  /** Null when the tab has no recorded state yet (e.g. opened before install); `current` is then computed from its URL. */
  tab: TabState | null;
  current: { url: string; host: string | null; port: string | null; verdict: VerdictView; lint: Finding[] } | null;
  sources: SourceLabel[];
  rulesAvailable: boolean;
  sync: SyncStatus;
}

export interface UrlEvaluation extends Explanation {
  /** Lint warnings about the rules that matched, keyed "source:index". */
  lint: Record<string, Finding[]>;
  sources: SourceLabel[];
}

export interface ConsoleProfileSummary {
  id: string;
  name: string;
  description: string;
  isDefault: boolean;
}

export interface ConsoleProfile extends ConsoleProfileSummary {
  rules: unknown[];
  stamp: string | null;
}

/**
 * What the options page compiles to browser policy: the sources in force,
 * compiled (buildRuleSet rebuilds the same rule set from them), and the
 * certificate filter from the settings. The export's exact check is far too
 * slow for the service worker's one thread, and the policy compiler would
 * double the worker's script (issue 7's bundle budget).
 */
export interface RulesInForceView {
  sources: readonly CompiledSource[];
  certificateFilter: CertificateFilter | null;
}

/** What each request answers with. */
export interface ResponseMap {
  getPopupState: PopupState;
  getTabState: TabState | null;
  evaluateUrl: UrlEvaluation;
  getRuleSources: RuleSources;
  getStatus: { sync: SyncStatus; settings: SettingsView; guard: GuardStatus };
  syncNow: SyncAttempt;
  setLocalRules: RuleSources;
  setLocalSettings: SettingsView;
  guardContinue: { url: string };
  consoleAccount: { email: string | null; admin: boolean };
  consoleListProfiles: ConsoleProfileSummary[];
  consoleGetProfile: ConsoleProfile;
  consoleSaveProfile: ConsoleProfileSummary;
  consoleArchiveProfile: { id: string };
  consoleSetDefaultProfile: { id: string };
  getRulesInForce: RulesInForceView;
}

export type RequestOf<T extends RequestType> = Extract<Request, { type: T }>;

export type { ClientAuthEvent, Endpoint, TabState, VerdictView };
