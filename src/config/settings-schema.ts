import { lazySchema, z } from '../lib/zod';

/**
 * The settings model: one key list shared by the managed policy
 * (storage.managed, from the organisation) and the local settings (options
 * page). public/managed_schema.json describes the same keys for Chrome; a test
 * keeps the two in step.
 */

export const AUTH_MODES = ['form', 'browserSession', 'bearer'] as const;
export const LOCAL_RULES_MODES = ['none', 'denyOnly', 'all'] as const;
export const GUARD_MODES = ['off', 'warn', 'block'] as const;

export const AuthModeSchema = lazySchema(() => z.enum(AUTH_MODES));
export const LocalRulesModeSchema = lazySchema(() => z.enum(LOCAL_RULES_MODES));
export const GuardModeSchema = lazySchema(() => z.enum(GUARD_MODES));
export type AuthMode = z.infer<typeof AuthModeSchema>;
export type LocalRulesMode = z.infer<typeof LocalRulesModeSchema>;
export type GuardMode = z.infer<typeof GuardModeSchema>;

export const SYNC_INTERVAL_MINUTES = { default: 180, min: 30, max: 1440 } as const;

/** Whether a sync interval may be saved as it is: a whole number of minutes in the range (a policy value outside it is clamped). */
export function syncIntervalInRange(minutes: number): boolean {
  return Number.isInteger(minutes) && minutes >= SYNC_INTERVAL_MINUTES.min && minutes <= SYNC_INTERVAL_MINUTES.max;
}
/** A profile larger than this is refused, as from the console (docs/console-api.md). */
export const MAX_MANAGED_RULES = 5000;

/** Issuer or subject of the enrollment certificate, as Chrome's AutoSelectCertificateForUrls filter takes it. */
export const CertificatePrincipalSchema = lazySchema(() =>
  z.strictObject({
    CN: z.optional(z.string().check(z.minLength(1))),
    L: z.optional(z.string().check(z.minLength(1))),
    O: z.optional(z.string().check(z.minLength(1))),
    OU: z.optional(z.string().check(z.minLength(1))),
  }),
);
export const CertificateFilterSchema = lazySchema(() =>
  z.strictObject({
    issuer: z.optional(CertificatePrincipalSchema),
    subject: z.optional(CertificatePrincipalSchema),
  }),
);
export type CertificatePrincipal = z.infer<typeof CertificatePrincipalSchema>;
export type CertificateFilter = z.infer<typeof CertificateFilterSchema>;

/**
 * What each key accepts as delivered (types and enums only). The meaning
 * checks that need more than a type (URL rules, ranges, rule documents) are
 * in managed-policy.ts, so this schema converts 1:1 to JSON schema.
 *
 * Each key's schema is built when a value for it is first checked (a
 * wake-up checks only the keys the policy and the local settings hold), and
 * the key list is read from the shape without building anything.
 */
export const SETTINGS_INPUT_SHAPE = {
  consoleUrl: lazySchema(() => z.string()),
  authMode: AuthModeSchema,
  username: lazySchema(() => z.string()),
  password: lazySchema(() => z.string()),
  token: lazySchema(() => z.string()),
  profileId: lazySchema(() => z.string()),
  syncIntervalMinutes: lazySchema(() => z.number().check(z.int())),
  maxRuleAgeHours: lazySchema(() => z.number().check(z.int(), z.gte(0))),
  /** Managed rules: an array of rule objects, or JSON text of any accepted rule document. */
  rules: lazySchema(() => z.union([z.array(z.unknown()), z.string()])),
  localRules: LocalRulesModeSchema,
  guard: GuardModeSchema,
  certificateFilter: CertificateFilterSchema,
  /** Whether profile administration may run with the credentials this policy supplies. */
  allowProfileAdmin: lazySchema(() => z.boolean()),
};
export const SettingsInputSchema = lazySchema(() => z.object(SETTINGS_INPUT_SHAPE));

export const ManagedPolicyInputSchema = lazySchema(() => z.partial(SettingsInputSchema));
export type ManagedPolicyInput = z.infer<typeof ManagedPolicyInputSchema>;

export type SettingKey = keyof z.infer<typeof SettingsInputSchema>;
export const SETTING_KEYS = Object.keys(SETTINGS_INPUT_SHAPE) as SettingKey[];

/**
 * Keys only an administrator can set: the managed rule source, what local
 * rules may do, and whether the policy's console account may administer profiles.
 */
export const POLICY_ONLY_KEYS = ['rules', 'localRules', 'allowProfileAdmin'] as const satisfies readonly SettingKey[];
export const LOCAL_SETTING_KEYS = SETTING_KEYS.filter((key) => !(POLICY_ONLY_KEYS as readonly string[]).includes(key)) as Exclude<
  SettingKey,
  (typeof POLICY_ONLY_KEYS)[number]
>[];
export type LocalSettingKey = (typeof LOCAL_SETTING_KEYS)[number];

/** Values that must never leave the background (never sent to pages, never logged). */
export const SECRET_KEYS = ['password', 'token'] as const satisfies readonly SettingKey[];
export type SecretKey = (typeof SECRET_KEYS)[number];

/** The keys that make up a console credential: a policy value in any of them is the policy's credential. */
export const CREDENTIAL_KEYS = ['username', 'password', 'token'] as const satisfies readonly SettingKey[];

/**
 * What a policy credential is bound to: where it is sent, how, and which
 * profile it fetches. When policy supplies a credential, these keys are the
 * policy's (or fixed safe values), never the local user's.
 */
export const CREDENTIAL_BOUND_KEYS = ['consoleUrl', 'authMode', 'profileId', ...CREDENTIAL_KEYS] as const satisfies readonly SettingKey[];

/** Managed rules after parsing: usable rules, or a rejected source (fail closed). */
export const ManagedRulesSchema = lazySchema(() =>
  z.discriminatedUnion('status', [
    z.object({ status: z.literal('rules'), rules: z.array(z.unknown()) }),
    z.object({ status: z.literal('rejected'), message: z.string() }),
  ]),
);
export type ManagedRules = z.infer<typeof ManagedRulesSchema>;

/** The effective value of every key, after the checks of setting-value.ts. */
export const SettingsSchema = lazySchema(() =>
  z.object({
    /** '' when no console is configured (no profile sync). */
    consoleUrl: z.string(),
    authMode: AuthModeSchema,
    username: z.string(),
    password: z.string(),
    token: z.string(),
    /** '' = the console's default profile. */
    profileId: z.string(),
    syncIntervalMinutes: z.number().check(z.int(), z.gte(SYNC_INTERVAL_MINUTES.min), z.lte(SYNC_INTERVAL_MINUTES.max)),
    /** 0 = no maximum age. */
    maxRuleAgeHours: z.number().check(z.int(), z.gte(0)),
    /** null = no managed rule source. */
    rules: z.nullable(ManagedRulesSchema),
    localRules: LocalRulesModeSchema,
    guard: GuardModeSchema,
    /** null = no filter configured (the export then restricts nothing). */
    certificateFilter: z.nullable(CertificateFilterSchema),
    /** Profile administration with the policy's credentials (it always runs with the user's own). */
    allowProfileAdmin: z.boolean(),
  }),
);
export type Settings = z.infer<typeof SettingsSchema>;

/** Where a setting's value came from. */
export const SettingOriginSchema = lazySchema(() => z.enum(['policy', 'local', 'default']));
export type SettingOrigin = z.infer<typeof SettingOriginSchema>;

/** One finding about a policy or local setting: the key and what is wrong with its value. */
export const PolicyIssueSchema = lazySchema(() => z.object({ key: z.string(), message: z.string() }));
export type PolicyIssue = z.infer<typeof PolicyIssueSchema>;

export type LocalSettings = Partial<Pick<Settings, LocalSettingKey>>;
export type ManagedValues = Partial<Settings>;

/**
 * Defaults, which are also the safe replacement for an invalid value.
 * `localRules` has no fixed default: see defaultLocalRules().
 */
export const DEFAULT_SETTINGS: Omit<Settings, 'localRules'> = {
  consoleUrl: '',
  // Uses a session the user already has; stores and sends no credentials.
  authMode: 'browserSession',
  username: '',
  password: '',
  token: '',
  profileId: '',
  syncIntervalMinutes: SYNC_INTERVAL_MINUTES.default,
  maxRuleAgeHours: 0,
  rules: null,
  guard: 'off',
  certificateFilter: null,
  allowProfileAdmin: false,
};

/** docs/rules.md §7: local rules may only narrow once an organisation manages the extension. */
export function defaultLocalRules(managedPresent: boolean): LocalRulesMode {
  return managedPresent ? 'denyOnly' : 'all';
}
