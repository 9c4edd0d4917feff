import { describe, expect, it } from 'vitest';
import { buildRuleSet, decide } from '../../src/engine/index';
import {
  DEFAULT_SETTINGS,
  NO_MANAGED_POLICY,
  SETTING_KEYS,
  compileManagedRules,
  isNoManagedPolicyError,
  lockedKeys,
  mergeSettings,
  parseLocalSettings,
  parseManagedPolicy,
  RedactedEffectiveSettingsSchema,
  redactSettings,
  SECRET_KEYS,
  SettingsSchema,
} from '../../src/config/index';

describe('parseManagedPolicy', () => {
  it('treats undefined, null and {} as no policy', () => {
    for (const raw of [undefined, null, {}]) {
      const policy = parseManagedPolicy(raw);
      expect(policy.present).toBe(false);
      expect(policy.values).toEqual({});
      expect(policy.errors).toEqual([]);
    }
  });

  it('reports a policy that is not an object', () => {
    const policy = parseManagedPolicy(['guard']);
    expect(policy.present).toBe(true);
    expect(policy.errors).toHaveLength(1);
  });

  it('replaces guard "sometimes" by "off" and reports it with the key and what is wrong', () => {
    const policy = parseManagedPolicy({ guard: 'sometimes' });
    expect(policy.values.guard).toBe('off');
    expect(policy.errors).toEqual([{ key: 'guard', message: expect.stringContaining('"sometimes"') }]);
    expect(policy.errors[0]!.message).toContain('"off", "warn", "block"');
  });

  it('replaces an invalid localRules by denyOnly, never by all', () => {
    const policy = parseManagedPolicy({ localRules: 'everything' });
    expect(policy.values.localRules).toBe('denyOnly');
    expect(policy.errors.map((error) => error.key)).toEqual(['localRules']);
  });

  it('clamps syncIntervalMinutes to 30..1440 with a warning, and refuses non-integers', () => {
    expect(parseManagedPolicy({ syncIntervalMinutes: 5 }).values.syncIntervalMinutes).toBe(30);
    expect(parseManagedPolicy({ syncIntervalMinutes: 5 }).warnings.map((w) => w.key)).toEqual(['syncIntervalMinutes']);
    expect(parseManagedPolicy({ syncIntervalMinutes: 100000 }).values.syncIntervalMinutes).toBe(1440);
    expect(parseManagedPolicy({ syncIntervalMinutes: 30 }).warnings).toEqual([]);
    expect(parseManagedPolicy({ syncIntervalMinutes: 1440 }).values.syncIntervalMinutes).toBe(1440);
    const fractional = parseManagedPolicy({ syncIntervalMinutes: 45.5 });
    expect(fractional.values.syncIntervalMinutes).toBe(180);
    expect(fractional.errors.map((error) => error.key)).toEqual(['syncIntervalMinutes']);
  });

  it('accepts https console URLs and http only on loopback', () => {
    const ok = ['https://console.example.com/rest/', 'http://localhost:8080/rest/', 'http://127.0.0.1:9/', 'http://[::1]:9/', ''];
    for (const consoleUrl of ok) expect(parseManagedPolicy({ consoleUrl }).errors, consoleUrl).toEqual([]);
    const bad = ['http://console.example.com/', 'ftp://console.example.com/', 'https://user:pw@console.example.com/', 'console.example.com'];
    for (const consoleUrl of bad) {
      const policy = parseManagedPolicy({ consoleUrl });
      expect(
        policy.errors.map((error) => error.key),
        consoleUrl,
      ).toEqual(['consoleUrl']);
      expect(policy.values.consoleUrl).toBe('');
    }
  });

  it('never echoes a secret in a message', () => {
    const policy = parseManagedPolicy({ password: 12345678, token: ['s3cr3t-token'] });
    expect(policy.errors.map((error) => error.key).sort()).toEqual(['password', 'token']);
    expect(JSON.stringify(policy.errors)).not.toContain('s3cr3t');
    expect(JSON.stringify(policy.errors)).not.toContain('12345678');
  });

  it('accepts rules as an array or as JSON text of any rule document', () => {
    const rules = [{ host: 'a.example.com', port: '443', action: 'useEnrollmentCertificate' }];
    expect(parseManagedPolicy({ rules }).values.rules).toEqual({ status: 'rules', rules });
    expect(parseManagedPolicy({ rules: JSON.stringify(rules) }).values.rules).toEqual({ status: 'rules', rules });
    const wrapped = JSON.stringify({ clientCertsUrlMatchingRules: JSON.stringify(rules) });
    expect(parseManagedPolicy({ rules: wrapped }).values.rules).toEqual({ status: 'rules', rules });
    expect(parseManagedPolicy({ rules: [] }).values.rules).toEqual({ status: 'rules', rules: [] });
  });

  it('turns unusable rules into a rejected source, not an absent one', () => {
    for (const rules of ['{not json', 42, { host: 'x' }, JSON.stringify({ other: 1 })]) {
      const policy = parseManagedPolicy({ rules });
      expect(policy.values.rules?.status, JSON.stringify(rules)).toBe('rejected');
      expect(policy.errors.map((error) => error.key)).toEqual(['rules']);
    }
    const tooMany = Array.from({ length: 5001 }, () => ({ host: 'a.example.com', action: 'noCertificate' }));
    expect(parseManagedPolicy({ rules: tooMany }).values.rules?.status).toBe('rejected');
  });

  it('validates certificateFilter strictly', () => {
    const filter = { issuer: { CN: 'CA', O: 'Org' }, subject: { OU: 'Devices', L: 'Town' } };
    expect(parseManagedPolicy({ certificateFilter: filter }).values.certificateFilter).toEqual(filter);
    for (const bad of [{ issuer: { C: 'US' } }, { issuer: { CN: 1 } }, { serial: '01' }, { subject: { CN: '' } }]) {
      const policy = parseManagedPolicy({ certificateFilter: bad });
      expect(
        policy.errors.map((error) => error.key),
        JSON.stringify(bad),
      ).toEqual(['certificateFilter']);
      expect(policy.values.certificateFilter).toBeNull();
    }
  });

  it('warns about unknown keys and suggests the one meant', () => {
    const policy = parseManagedPolicy({ Guard: 'block', syncInterval: 60, somethingElse: 1 });
    expect(policy.present).toBe(true);
    expect(policy.values).toEqual({});
    expect(policy.warnings.map((warning) => warning.key)).toEqual(['Guard', 'syncInterval', 'somethingElse']);
    expect(policy.warnings[0]!.message).toContain('did you mean "guard"');
    expect(policy.warnings[2]!.message).toContain('known keys');
  });

  it('reports every invalid key, not only the first', () => {
    const policy = parseManagedPolicy({ guard: 'x', authMode: 'y', maxRuleAgeHours: -3, profileId: 'ok' });
    expect(policy.errors.map((error) => error.key).sort()).toEqual(['authMode', 'guard', 'maxRuleAgeHours']);
    expect(policy.values).toMatchObject({ guard: 'off', authMode: 'browserSession', maxRuleAgeHours: 0, profileId: 'ok' });
  });
});

describe('mergeSettings', () => {
  it('uses defaults without policy or local settings; localRules is all', () => {
    const merged = mergeSettings(NO_MANAGED_POLICY, {});
    expect(merged.values).toEqual({ ...DEFAULT_SETTINGS, localRules: 'all' });
    expect(new Set(Object.values(merged.origins))).toEqual(new Set(['default']));
    expect(merged.managedPresent).toBe(false);
  });

  it('makes localRules default to denyOnly when any policy key is present', () => {
    expect(mergeSettings(parseManagedPolicy({ guard: 'warn' }), {}).values.localRules).toBe('denyOnly');
    // Even a key the extension does not know shows that an organisation manages it.
    expect(mergeSettings(parseManagedPolicy({ unknownKey: true }), {}).values.localRules).toBe('denyOnly');
    expect(mergeSettings(parseManagedPolicy({ localRules: 'all' }), {}).values.localRules).toBe('all');
  });

  it('lets a managed value win and ignores the local value for that key', () => {
    const managed = parseManagedPolicy({ guard: 'block', consoleUrl: 'https://console.example.com/rest/' });
    const local = parseLocalSettings({ guard: 'off', consoleUrl: 'https://other.example.com/', profileId: 'p1' }).values;
    const merged = mergeSettings(managed, local);
    expect(merged.values.guard).toBe('block');
    expect(merged.values.consoleUrl).toBe('https://console.example.com/rest/');
    expect(merged.values.profileId).toBe('p1');
    expect(merged.origins).toMatchObject({ guard: 'policy', consoleUrl: 'policy', profileId: 'local', token: 'default' });
    expect(lockedKeys(merged).sort()).toEqual(['consoleUrl', 'guard']);
  });

  it('keeps an invalid managed key locked at its safe default', () => {
    const merged = mergeSettings(parseManagedPolicy({ guard: 'sometimes' }), { guard: 'block' });
    expect(merged.values.guard).toBe('off');
    expect(merged.origins.guard).toBe('policy');
    expect(merged.policyErrors.map((error) => error.key)).toEqual(['guard']);
  });

  it('gives every key a value and an origin', () => {
    const merged = mergeSettings(parseManagedPolicy({ guard: 'warn' }), { username: 'u' });
    expect(Object.keys(merged.values).sort()).toEqual([...SETTING_KEYS].sort());
    expect(Object.keys(merged.origins).sort()).toEqual([...SETTING_KEYS].sort());
  });
});

describe('parseLocalSettings', () => {
  it('refuses keys only a policy may set, and invalid values, with a reason', () => {
    const local = parseLocalSettings({ rules: [], localRules: 'all', guard: 'warn', authMode: 'nope', extra: 1 });
    expect(local.values).toEqual({ guard: 'warn' });
    expect(local.errors.map((error) => error.key).sort()).toEqual(['authMode', 'extra', 'localRules', 'rules']);
    expect(local.errors.find((error) => error.key === 'localRules')!.message).toContain('policy');
  });
});

describe('redactSettings', () => {
  it('replaces password and token by whether they are set, and copies the rest', () => {
    const merged = mergeSettings(parseManagedPolicy({ password: 'hunter2-secret', authMode: 'form' }), parseLocalSettings({ token: '' }).values);
    const redacted = redactSettings(merged);
    expect(redacted.values.password).toEqual({ set: true });
    expect(redacted.values.token).toEqual({ set: false });
    expect(redacted.values.authMode).toBe('form');
    expect(JSON.stringify(redacted)).not.toContain('hunter2');
    // A copy: changing it leaves the original alone.
    redacted.origins.guard = 'local';
    expect(merged.origins.guard).toBe('default');
    expect(merged.values.password).toBe('hunter2-secret');
  });
});

describe('the settings schemas', () => {
  const policies = [
    {},
    { consoleUrl: 'https://console.example.com/rest/', authMode: 'form', username: 'u', password: 'p', syncIntervalMinutes: 5, rules: '{broken' },
    { token: 't', authMode: 'bearer', guard: 'block', localRules: 'none', certificateFilter: { issuer: { CN: 'CA' } }, allowProfileAdmin: 1, rules: [] },
    { syncIntervalMinutes: 1e6, maxRuleAgeHours: -1, consoleUrl: 'http://console.example.com/', authMode: 'nope' },
  ];

  it('name the same keys as the policy input', () => {
    expect(Object.keys(SettingsSchema.shape)).toEqual(SETTING_KEYS);
  });

  it('describe every merged value, and its redacted copy, which holds no secret', () => {
    for (const raw of policies) {
      const merged = mergeSettings(parseManagedPolicy(raw), parseLocalSettings({ password: 'local-secret' }).values);
      expect(SettingsSchema.safeParse(merged.values).success, JSON.stringify(raw)).toBe(true);
      const redacted = redactSettings(merged);
      expect(RedactedEffectiveSettingsSchema.safeParse(redacted).success, JSON.stringify(raw)).toBe(true);
      for (const key of SECRET_KEYS) expect(typeof redacted.values[key]).toBe('object');
    }
    // A secret left in clear is not a redacted view.
    const leaked = redactSettings(mergeSettings(NO_MANAGED_POLICY, {}));
    expect(RedactedEffectiveSettingsSchema.safeParse({ ...leaked, values: { ...leaked.values, password: 'x' } }).success).toBe(false);
  });
});

describe('compileManagedRules', () => {
  it('is null without managed rules, a source with rules, and a rejected source for unusable rules', () => {
    expect(compileManagedRules(null)).toBeNull();
    const source = compileManagedRules(parseManagedPolicy({ rules: [{ host: 'deny.example.com', action: 'noCertificate' }] }).values.rules ?? null)!;
    expect(source.accepted).toBe(true);
    expect(decide(buildRuleSet([source]), 'https://deny.example.com/').reason).toBe('deny-rule');

    const rejected = compileManagedRules(parseManagedPolicy({ rules: '{broken' }).values.rules ?? null)!;
    expect(rejected.accepted).toBe(false);
    expect(rejected.errors).toHaveLength(1);
    expect(buildRuleSet([rejected])).toBeNull();
  });
});

describe('isNoManagedPolicyError', () => {
  it("recognises Firefox's error for a missing policy and nothing else", () => {
    expect(isNoManagedPolicyError(new Error('Managed storage manifest not found'))).toBe(true);
    expect(isNoManagedPolicyError(new Error('An unexpected error occurred'))).toBe(false);
  });
});
