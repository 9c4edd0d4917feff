import { beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KEYS } from '../../src/shared/storage-keys';
import { fakeBrowser, loadBackground, wake } from './fake-browser';

// The real background on an in-memory browser whose storage.managed.get() fails with an error
// that does not mean "no policy" (Firefox's "Managed storage manifest not found" does).
const fake = fakeBrowser();
let failure: Error | null = null;
(fake.api.storage as Record<string, unknown>)['managed'] = {
  get: async () => {
    if (failure) throw failure;
    return {};
  },
};
let Background: Awaited<ReturnType<typeof loadBackground>>;

beforeAll(async () => {
  Background = await loadBackground(fake);
});

async function startWith(stored: Record<string, unknown>) {
  fake.local.data.clear();
  await fake.local.set(stored);
  return wake(Background);
}

describe('a managed policy that cannot be read', () => {
  const allow = (host: string) => ({ host, port: '', action: 'useEnrollmentCertificate' });
  const deny = (host: string) => ({ host, port: '', action: 'noCertificate' });

  it('is not "no policy": with no last good managed rules, nothing decides (no-rules) though local rules allow', async () => {
    failure = new Error('IO error while reading the policy');
    const background = await startWith({ [STORAGE_KEYS.localRules]: { rules: [allow('*.corp')], at: 1 }, [STORAGE_KEYS.localSettings]: {} });
    expect(background.rules.judge('https://a.corp/').verdict).toMatchObject({ decision: 'noCertificate', reason: 'no-rules' });
    expect(background.rules.policyWarnings()).toEqual([expect.objectContaining({ key: '(policy)', message: expect.stringContaining('IO error') })]);
    // The same storage with the policy readable and absent: the local allow rule decides (all local rules are allowed without a policy).
    failure = null;
    const readable = await startWith({ [STORAGE_KEYS.localRules]: { rules: [allow('*.corp')], at: 1 }, [STORAGE_KEYS.localSettings]: {} });
    expect(readable.rules.judge('https://a.corp/').verdict).toMatchObject({ decision: 'useEnrollmentCertificate', reason: 'allow-rule' });
  });

  it('keeps the last good managed rules in force, and local rules only narrow', async () => {
    failure = new Error('IO error while reading the policy');
    const background = await startWith({
      [STORAGE_KEYS.managedLastGood]: { rules: [deny('secret.corp'), allow('*.corp')], at: 1 },
      [STORAGE_KEYS.localRules]: { rules: [allow('*.lab')], at: 1 },
    });
    expect(background.rules.judge('https://secret.corp/').verdict).toMatchObject({ reason: 'deny-rule', rule: { source: 'managed', index: 0 } });
    expect(background.rules.judge('https://a.corp/').verdict).toMatchObject({ reason: 'allow-rule', rule: { source: 'managed', index: 1 } });
    expect(background.rules.judge('https://a.lab/').verdict).toMatchObject({ decision: 'noCertificate', reason: 'no-match' });
  });
});
