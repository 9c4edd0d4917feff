import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { STORAGE_KEYS } from '../../src/shared/storage-keys';
import { startConsoleEmulator, type ConsoleEmulator, type FaultInput } from '../console/emulator/index';
import { PROFILE_SHAPES } from '../console/emulator/profile-shapes';
import { CORPORATE_PROFILE_ID, CORPORATE_RULES, DEMO_ADMIN } from '../console/emulator/seed';
import { fakeBrowser, loadBackground, wake } from './fake-browser';

/**
 * The extension's side of the same rule: its background, syncing into
 * storage.local, against every answer to the profile call that is not the
 * profile asked for. The synced deny rule keeps deciding, and the stored last
 * good rules stay as they were.
 */
let emulator: ConsoleEmulator;
let fake: ReturnType<typeof fakeBrowser>;
let background: ReturnType<Awaited<ReturnType<typeof loadBackground>>>;
let lastGoodBefore: string;

const DENIED = 'https://public.corp.example.com/';
const ALLOWED = 'https://intranet.corp.example.com/';
const lastGood = async () => JSON.stringify(((await fake.local.get(STORAGE_KEYS.syncState))[STORAGE_KEYS.syncState] as { lastGood: unknown }).lastGood);

beforeAll(async () => {
  emulator = await startConsoleEmulator();
  fake = fakeBrowser();
  const Background = await loadBackground(fake);
  await fake.local.set({
    [STORAGE_KEYS.localSettings]: { consoleUrl: emulator.url, authMode: 'bearer', token: DEMO_ADMIN.token, profileId: CORPORATE_PROFILE_ID },
  });
  background = await wake(Background);
  // The browser would report the sync's storage write; here the test does.
  await background.rules.reload();
  expect(background.rules.profileState().status).toBe('ok');
  expect(background.rules.judge(DENIED).verdict.decision).toBe('noCertificate');
  lastGoodBefore = await lastGood();
});
afterEach(() => emulator.clearFaults());
afterAll(async () => {
  vi.unstubAllGlobals();
  await emulator.close();
});

const faults: FaultInput[] = [...PROFILE_SHAPES.map((type): FaultInput => ({ type })), { type: 'deep-nesting' }];

describe('extension sync: an answer that is not the profile never replaces its rules', () => {
  it.each(faults.map((fault) => [fault.type, fault] as const))(
    '%s: bad-data, the deny rule still decides, the stored rules unchanged',
    async (_type, fault) => {
      emulator.setFault('profile', fault);
      const outcome = await background.sync.syncNow();
      expect(outcome).toMatchObject({ ok: false, changed: false, rules: CORPORATE_RULES.length, error: { code: 'bad-data' } });
      expect(await lastGood()).toBe(lastGoodBefore);
      expect(background.rules.judge(DENIED).verdict).toMatchObject({ decision: 'noCertificate', reason: 'deny-rule' });
      expect(background.rules.judge(ALLOWED).verdict).toMatchObject({ decision: 'useEnrollmentCertificate', reason: 'allow-rule' });
      expect(background.rules.syncSummary?.lastError).toMatchObject({ code: 'bad-data' });
    },
  );

  it('a profile that really is empty, in the full envelope with its id, is applied', async () => {
    emulator.model.setRules(CORPORATE_PROFILE_ID, []);
    try {
      expect(await background.sync.syncNow()).toMatchObject({ ok: true, changed: true, rules: 0 });
      expect(background.rules.judge(DENIED).verdict.reason).not.toBe('deny-rule');
      expect(background.rules.judge(ALLOWED).verdict.reason).not.toBe('allow-rule');
    } finally {
      emulator.model.setRules(CORPORATE_PROFILE_ID, CORPORATE_RULES);
    }
  });
});
