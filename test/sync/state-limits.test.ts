import { describe, expect, it } from 'vitest';
import { ConsoleError } from '../../src/console/failure';
import { runSync, type SyncDeps } from '../../src/sync/run-sync';
import { syncSettings } from '../../src/sync/settings';
import { createMemoryStorage } from '../../src/sync/storage';
import { cutText, MAX_MESSAGE_CHARS, MAX_NAME_CHARS } from '../../src/sync/cut-text';
import { HISTORY_LIMIT, SyncStateSchema, type SyncState } from '../../src/sync/state';
import { allow, deny, fakeClock, fakeConsole } from './fakes';

const MIN = 60_000;
const HUGE = 900 * 1024;
const corp = { id: 'p1', name: 'Corp', description: 'd', stamp: 's1', rules: [allow('*.corp.example.com'), deny('public.corp.example.com', '*')] };

function setup(profiles = [corp]) {
  const fake = fakeConsole(profiles);
  const storage = createMemoryStorage();
  const clock = fakeClock();
  const deps: SyncDeps = { client: fake.client, storage, clock, settings: syncSettings(), random: () => 0.5 };
  return { ...fake, storage, clock, deps };
}

const stored = (storage: { text: string | undefined }): SyncState => SyncStateSchema.parse(JSON.parse(storage.text ?? ''));
/** What is written per run besides the profile's rules (what the extension's summary holds). */
const bytesBesidesRules = (state: SyncState) =>
  Buffer.byteLength(JSON.stringify(state.lastGood ? { ...state, lastGood: { ...state.lastGood, rules: [] } } : state));

describe('cutText', () => {
  it('keeps text that fits, cuts longer text to the limit with an ellipsis', () => {
    expect(cutText('abc', 3)).toBe('abc');
    expect(cutText('abcd', 3)).toBe('ab…');
    expect(cutText('x'.repeat(HUGE), MAX_MESSAGE_CHARS)).toHaveLength(MAX_MESSAGE_CHARS);
  });

  it('never keeps half of a surrogate pair', () => {
    const cut = cutText(`ab${'😀'.repeat(10)}`, 6);
    expect(cut).toBe('ab😀…');
    expect(cut.length).toBeLessThanOrEqual(6);
  });
});

describe('the sync state stays small whatever the console writes', () => {
  it('failures quoting 900 KB of console text: each message cut to 500 characters, the state under 64 KB besides the rules', async () => {
    const { deps, storage, console, clock } = setup();
    await runSync(deps);
    for (let i = 0; i < HISTORY_LIMIT + 4; i++) {
      console.failWith = new ConsoleError('server', `the console reported an error for the request: ${String(i).padEnd(HUGE, 'x')}`);
      clock.advance(MIN);
      const outcome = await runSync(deps);
      expect(outcome.error?.message).toHaveLength(MAX_MESSAGE_CHARS);
    }
    const state = stored(storage);
    expect(state.lastError?.message).toHaveLength(MAX_MESSAGE_CHARS);
    expect(state.lastError?.message.endsWith('…')).toBe(true);
    expect(state.history.every((entry) => entry.message.length <= MAX_MESSAGE_CHARS)).toBe(true);
    expect(bytesBesidesRules(state)).toBeLessThan(64 * 1024);
  });

  it('a rejected profile whose first problem quotes a 900 KB host is recorded cut', async () => {
    const { deps, storage, console } = setup();
    await runSync(deps);
    console.put({ ...corp, stamp: 's2', rules: [deny(`https://${'h'.repeat(HUGE)}/`)] });
    const outcome = await runSync(deps);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'rejected' } });
    expect(stored(storage).lastError?.message.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(bytesBesidesRules(stored(storage))).toBeLessThan(64 * 1024);
  });

  it('a 900 KB profile name, description and stamp: name cut to 200, description to 500, the stamp not kept', async () => {
    const big = { ...corp, name: 'N'.repeat(HUGE), description: 'D'.repeat(HUGE), stamp: 'S'.repeat(HUGE) };
    const { deps, storage, clock } = setup([big]);
    for (let i = 0; i < HISTORY_LIMIT + 2; i++) {
      clock.advance(MIN);
      expect((await runSync(deps)).ok).toBe(true);
    }
    const state = stored(storage);
    expect(state.lastGood?.profile).toMatchObject({ name: `${'N'.repeat(MAX_NAME_CHARS - 1)}…`, stamp: null });
    expect(state.lastGood?.profile.description).toHaveLength(MAX_MESSAGE_CHARS);
    expect(state.history.every((entry) => entry.message.length <= MAX_MESSAGE_CHARS)).toBe(true);
    expect(bytesBesidesRules(state)).toBeLessThan(64 * 1024);
  });

  it('stamps longer than 200 characters are not kept, so two that differ late are never taken as the same', async () => {
    const prefix = 'S'.repeat(MAX_NAME_CHARS + 50);
    const { deps, storage, console } = setup([{ ...corp, stamp: `${prefix}1` }]);
    await runSync(deps);
    console.put({ ...corp, stamp: `${prefix}2`, rules: [deny('new.example.com')] });
    expect(await runSync(deps)).toMatchObject({ ok: true, changed: true, rules: 1 });
    expect(stored(storage).lastGood?.rules).toEqual([deny('new.example.com')]);
  });

  it('history entries of a state written elsewhere are cut on the next write', async () => {
    const { deps, storage } = setup();
    await runSync(deps);
    const state = stored(storage);
    const legacy = createMemoryStorage({ ...state, history: [{ at: state.history[0]?.at ?? '', type: 'server', message: 'y'.repeat(HUGE) }] });
    await runSync({ ...deps, storage: legacy });
    expect(stored(legacy).history.every((entry) => entry.message.length <= MAX_MESSAGE_CHARS)).toBe(true);
  });
});

describe('"same rules?" compares what the engine reads, and only that is stored', () => {
  it('key order, unknown keys and spellings the engine normalises away are "unchanged"; the stored rules keep host, port and action', async () => {
    const { deps, storage, console } = setup();
    await runSync(deps);
    const respelled = [
      { note: 'VPN users too', action: 'useEnrollmentCertificate', port: '', host: '*.CORP.example.com' },
      { ...deny('public.corp.example.com', '*'), owner: { team: 'net' } },
    ];
    console.put({ ...corp, stamp: 's2', rules: respelled });
    expect(await runSync(deps)).toMatchObject({ ok: true, changed: false, rules: 2 });
    expect(stored(storage).lastGood?.rules).toEqual([
      { action: 'useEnrollmentCertificate', port: '', host: '*.CORP.example.com' },
      deny('public.corp.example.com', '*'),
    ]);
  });

  it('an added invalid allow rule (dropped with a warning) is a change, and keeps its index', async () => {
    const { deps, storage, console } = setup();
    await runSync(deps);
    console.put({ ...corp, stamp: 's2', rules: [allow('bad host', ''), ...corp.rules] });
    const outcome = await runSync(deps);
    expect(outcome).toMatchObject({ ok: true, changed: true, rules: 3 });
    expect(outcome.warnings[0]).toMatch(/^rule 0/);
    expect(stored(storage).lastGood?.rules).toEqual([allow('bad host', ''), ...corp.rules]);
  });

  it('a changed port or action is a change', async () => {
    const { deps, console } = setup();
    await runSync(deps);
    console.put({ ...corp, stamp: 's2', rules: [allow('*.corp.example.com', '8443'), corp.rules[1]] });
    expect((await runSync(deps)).changed).toBe(true);
    console.put({ ...corp, stamp: 's3', rules: [deny('*.corp.example.com', '8443'), corp.rules[1]] });
    expect((await runSync(deps)).changed).toBe(true);
  });

  it('200,000 nested arrays in an unknown rule key (from any client) neither break the sync nor reach storage', async () => {
    let junk: unknown = [];
    for (let i = 0; i < 200_000; i++) junk = [junk];
    const { deps, storage } = setup();
    await runSync(deps);
    const rules = [...corp.rules, { ...deny('deep.example.com'), notes: junk }];
    // The fake console clones what it serves; this one hands over the deep value as is.
    const outcome = await runSync({ ...deps, client: { ...deps.client, getProfile: async () => ({ ...corp, stamp: 's2', rules }) } });
    expect(outcome).toMatchObject({ ok: true, changed: true, rules: 3 });
    expect(stored(storage).lastGood?.rules[2]).toEqual(deny('deep.example.com'));
  });
});
