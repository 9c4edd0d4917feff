import { lazySchema, z } from '../lib/zod';
import type { CertificateFilter } from '../config/index';
import type { CompiledSource, Explanation, Finding, UnavailableSource } from '../engine/index';
import type { ClientAuthEvent, Endpoint, TabState, VerdictView } from './tab-state';
import type { GuardStatus, RuleLint, RuleSources, SettingsView, SyncAttempt, SyncStatus } from './status';

/**
 * Every request a page may send to the background: one zod discriminated
 * union, validated by the one router. `mutates` lists the requests that change
 * state; the router accepts those only from the extension's own pages.
 *
 * The union is written as the fields of each request type (besides `type`),
 * and each type's schema is built when a request of that type first arrives:
 * a service worker the browser woke for one `evaluateUrl` builds that one
 * object schema, not every type's (the wake-up budget, docs/performance.md).
 */
const RawRulesSchema = lazySchema(() => z.array(z.unknown()).check(z.maxLength(100_000)));
const none = () => ({});

const REQUEST_FIELDS = {
  /** Everything the popup needs for its first render, in one round trip. */
  getPopupState: () => ({ tabId: z.number().check(z.int()) }),
  getTabState: () => ({ tabId: z.number().check(z.int()) }),
  evaluateUrl: () => ({ url: z.string().check(z.maxLength(8192)) }),
  getRuleSources: none,
  /** The lint of the rule sources, asked for after them (RuleLint). */
  getRuleLint: none,
  getStatus: none,
  syncNow: none,
  setLocalRules: () => ({ rules: RawRulesSchema }),
  // Any object: config's parseLocalSettings checks each setting. A loose object takes every plain
  // object a page can send, as a record would, without the record schema's code in the worker.
  setLocalSettings: () => ({ settings: z.looseObject({}) }),
  /** Sent by the guard page when the user chooses "continue" under guard `warn`. */
  guardContinue: () => ({ url: z.string().check(z.maxLength(8192)) }),
  /** Ends a "continue" exception before the session does (popup, options page): the guard stops that origin again. */
  guardRemoveException: () => ({ origin: z.string().check(z.maxLength(300)) }),
  /** Console administration (options page, console admins only). */
  consoleAccount: none,
  consoleListProfiles: none,
  consoleGetProfile: () => ({ profileId: z.string().check(z.minLength(1)) }),
  consoleSaveProfile: () => ({
    profileId: z.nullable(z.string().check(z.minLength(1))),
    name: z.string().check(z.minLength(1), z.maxLength(200)),
    description: z.string().check(z.maxLength(2000)),
    rules: RawRulesSchema,
  }),
  consoleArchiveProfile: () => ({ profileId: z.string().check(z.minLength(1)) }),
  consoleSetDefaultProfile: () => ({ profileId: z.string().check(z.minLength(1)) }),
  /** The compiled rules in force and the certificate filter: the options page compiles them to browser policy itself. */
  getRulesInForce: none,
};
type RequestFields = typeof REQUEST_FIELDS;
export type RequestType = keyof RequestFields;
/** One request type's schema: `{type}` and its fields. */
type RequestSchemaOf<T extends RequestType> = T extends RequestType
  ? z.ZodMiniObject<{ type: z.ZodMiniLiteral<T> } & ReturnType<RequestFields[T]>, z.core.$strip>
  : never;

/** In the union's order, which its message for an unknown type lists. */
const REQUEST_TYPES = Object.keys(REQUEST_FIELDS) as RequestType[];
const requestSchemas: Partial<Record<RequestType, RequestSchemaOf<RequestType>>> = {};

function requestSchemaOf<T extends RequestType>(type: T): RequestSchemaOf<T> {
  return (requestSchemas[type] ??= z.object({ type: z.literal(type), ...REQUEST_FIELDS[type]() }) as RequestSchemaOf<RequestType>) as RequestSchemaOf<T>;
}

/** The one definition of a request (the Request type, tests); parseRequest answers exactly as it does. */
export const RequestSchema = lazySchema(() =>
  z.discriminatedUnion('type', REQUEST_TYPES.map(requestSchemaOf) as [RequestSchemaOf<RequestType>, ...RequestSchemaOf<RequestType>[]]),
);
export type Request = z.infer<typeof RequestSchema>;

/** zod's test for what a union takes as an object. */
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What the union answers when no request type claims the message: its two
 * issues, as it writes them (zod words the message). A test holds this to
 * RequestSchema; the worker then needs none of the union's code.
 */
const UnclaimedSchema = lazySchema(() =>
  z.unknown().check((payload) => {
    const input = payload.value;
    payload.issues.push(
      isObject(input)
        ? { code: 'invalid_union', errors: [], note: 'No matching discriminator', discriminator: 'type', options: [...REQUEST_TYPES], input, path: ['type'] }
        : { code: 'invalid_type', expected: 'object', input },
    );
  }),
);

/**
 * RequestSchema.safeParse(message), with the same result, building only the
 * schema of the message's type: the union dispatches on `type` the same way.
 */
export function parseRequest(message: unknown): z.core.util.SafeParseResult<Request> {
  const type = isObject(message) ? message['type'] : undefined;
  const schema = typeof type === 'string' && Object.hasOwn(REQUEST_FIELDS, type) ? requestSchemaOf(type as RequestType) : UnclaimedSchema;
  return schema.safeParse(message) as z.core.util.SafeParseResult<Request>;
}

export const MUTATING_REQUESTS: ReadonlySet<RequestType> = new Set<RequestType>([
  'syncNow',
  'setLocalRules',
  'setLocalSettings',
  'guardContinue',
  'guardRemoveException',
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
  /** Why the rules are unavailable, source by source (empty when they are available or nothing is configured). */
  unavailable: UnavailableSource[];
  sync: SyncStatus;
  /** The origins the user continued to through the guard in this browser session (GuardStatus.bypassed). */
  exceptions: string[];
}

export interface UrlEvaluation extends Explanation {
  /** Lint warnings about the rules that matched, keyed "source:index". */
  lint: Record<string, Finding[]>;
  sources: SourceLabel[];
  /** Why the rules are unavailable, when the decision is no-rules because of a configured source. */
  unavailable: UnavailableSource[];
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
 * double the worker's script (the bundle budget, docs/performance.md).
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
  getRuleLint: RuleLint;
  getStatus: { sync: SyncStatus; settings: SettingsView; guard: GuardStatus };
  syncNow: SyncAttempt;
  setLocalRules: RuleSources;
  setLocalSettings: SettingsView;
  guardContinue: { url: string };
  /** The exceptions left, as GuardStatus.bypassed lists them. */
  guardRemoveException: { exceptions: string[] };
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
