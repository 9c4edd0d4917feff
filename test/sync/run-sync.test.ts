import { describe, expect, it } from 'vitest';
import { ConsoleError } from '../../src/console/failure';
import { createSyncRunner } from '../../src/sync/runner';
import { runSync, type SyncDeps } from '../../src/sync/run-sync';
import { syncSettings } from '../../src/sync/settings';
import { createMemoryStorage } from '../../src/sync/storage';
import { HISTORY_LIMIT, SyncStateSchema } from '../../src/sync/state';
import { allow, deny, fakeClock, fakeConsole } from './fakes';

const MIN = 60_000;
const corp = { id: 'p1', name: 'Corp', description: 'd', stamp: 's1', rules: [allow('*.corp.example.com'), deny('public.corp.example.com', '*')] };

function setup(profiles = [corp]) {
  const fake = fakeConsole(profiles);
  const storage = createMemoryStorage();
  const clock = fakeClock();
  const deps: SyncDeps = { client: fake.client, storage, clock, settings: syncSettings(), random: () => 0.5 };
  return { ...fake, storage, clock, deps };
}

const lastGoodOf = (text: string | undefined) => JSON.stringify((JSON.parse(text ?? 'null') as { lastGood: unknown }).lastGood);

describe('one sync', () => {
  it('first sync stores the profile, its stamp and the rules as delivered, in one write', async () => {
    const { deps, storage, clock } = setup();
    const outcome = await runSync(deps);
    expect(outcome).toMatchObject({ ok: true, changed: true, profile: { id: 'p1', name: 'Corp', stamp: 's1' }, rules: 2, error: null });
    expect(storage.writes).toBe(1);
    const state = SyncStateSchema.parse(JSON.parse(storage.text ?? ''));
    expect(state.lastGood).toEqual({
      profile: { id: 'p1', name: 'Corp', stamp: 's1', description: 'd' },
      rules: corp.rules,
      fetchedAt: new Date(clock.t).toISOString(),
      confirmedAt: new Date(clock.t).toISOString(),
    });
    expect(state.history).toEqual([{ at: new Date(clock.t).toISOString(), type: 'changed', message: expect.stringContaining('2 rules') as string }]);
    expect(state.nextAttemptAt).toBe(new Date(clock.t + Math.round(180 * MIN * (1 + state.installOffset))).toISOString());
  });

  it('an unchanged stamp skips the rest: no recompile, rules untouched, only the confirmation moves', async () => {
    const { deps, storage, clock, console } = setup();
    await runSync(deps);
    const first = SyncStateSchema.parse(JSON.parse(storage.text ?? ''));
    // Same stamp but different rules: proves the rules are not even looked at.
    console.put({ ...corp, rules: [deny('https://broken/')] });
    clock.advance(10 * MIN);
    const outcome = await runSync(deps);
    expect(outcome).toMatchObject({ ok: true, changed: false, rules: 2 });
    const second = SyncStateSchema.parse(JSON.parse(storage.text ?? ''));
    expect(second.lastGood?.rules).toEqual(first.lastGood?.rules);
    expect(second.lastGood?.fetchedAt).toBe(first.lastGood?.fetchedAt);
    expect(second.lastGood?.confirmedAt).toBe(new Date(clock.t).toISOString());
    expect(storage.writes).toBe(2);
  });

  it('a new stamp with new rules is stored; a new stamp with the same rules is "unchanged"', async () => {
    const { deps, console } = setup();
    await runSync(deps);
    console.put({ ...corp, stamp: 's2', rules: [allow('new.example.com')] });
    expect(await runSync(deps)).toMatchObject({ ok: true, changed: true, profile: { stamp: 's2' }, rules: 1 });
    console.put({ ...corp, stamp: 's3', rules: [allow('new.example.com')] });
    expect(await runSync(deps)).toMatchObject({ ok: true, changed: false, profile: { stamp: 's3' } });
  });

  it('binds the rules to the console they came from: another console with the same profile id and stamp is fetched and stored anew', async () => {
    const { deps, storage, console } = setup();
    const at = (href: string): SyncDeps => ({ ...deps, client: Object.assign(Object.create(deps.client) as typeof deps.client, { baseUrl: new URL(href) }) });
    await runSync(at('https://console.example/rest/'));
    expect(SyncStateSchema.parse(JSON.parse(storage.text ?? '')).lastGood?.console).toBe('https://console.example/rest/');
    // Same id and stamp from another console: not "unchanged" — its rules are read and the state names the new console.
    console.put({ ...corp, rules: [deny('other.example.com')] });
    expect(await runSync(at('https://other-console.example/rest/'))).toMatchObject({ ok: true, changed: true, rules: 1 });
    const state = SyncStateSchema.parse(JSON.parse(storage.text ?? ''));
    expect(state.lastGood).toMatchObject({ console: 'https://other-console.example/rest/', rules: [deny('other.example.com')] });
  });

  it('without a stamp, compares the rules', async () => {
    const { deps, console } = setup([{ ...corp, stamp: null as unknown as string }]);
    expect((await runSync(deps)).changed).toBe(true);
    expect((await runSync(deps)).changed).toBe(false);
    console.put({ ...corp, stamp: null as unknown as string, rules: [allow('x.example.com')] });
    expect((await runSync(deps)).changed).toBe(true);
  });

  it('uses the configured profile instead of the default, and fails with config when there is neither', async () => {
    const other = { ...corp, id: 'p2', name: 'Other', stamp: 'o1', rules: [allow('other.example.com')] };
    const { deps, console } = setup([corp, other]);
    expect(await runSync({ ...deps, settings: syncSettings({ profileId: 'p2' }) })).toMatchObject({ ok: true, profile: { id: 'p2' } });
    expect(console.calls.default).toBe(0);
    console.defaultId = null;
    const none = await runSync(deps);
    expect(none).toMatchObject({ ok: false, error: { code: 'config' }, profile: { id: 'p2' } });
  });

  it('a rejected profile (invalid deny rule) keeps the last good rules byte for byte', async () => {
    const { deps, storage, console } = setup();
    await runSync(deps);
    const before = lastGoodOf(storage.text);
    console.put({ ...corp, stamp: 's2', rules: [allow('a.example.com'), deny('https://b.example.com/')] });
    const outcome = await runSync(deps);
    expect(outcome).toMatchObject({ ok: false, changed: false, rules: 2, error: { code: 'rejected' } });
    expect(outcome.error?.message).toMatch(/previous rules stay in force.*scheme/);
    expect(lastGoodOf(storage.text)).toBe(before);
  });

  it('a profile rejected at the first sync does not claim that earlier rules stay in force: there are none', async () => {
    const { deps } = setup([{ ...corp, rules: [deny('https://b.example.com/')] }]);
    const outcome = await runSync(deps);
    expect(outcome).toMatchObject({ ok: false, rules: 0, profile: null, error: { code: 'rejected' } });
    expect(outcome.error?.message).toMatch(/\) rejected: rule 0: .*scheme/);
    expect(outcome.error?.message).not.toMatch(/previous rules stay in force/);
  });

  it('invalid allow rules are dropped with warnings, the profile is accepted as delivered', async () => {
    const { deps, storage } = setup([{ ...corp, rules: [allow('bad host'), allow('good.example.com')] }]);
    const outcome = await runSync(deps);
    expect(outcome).toMatchObject({ ok: true, changed: true, rules: 2 });
    expect(outcome.warnings).toHaveLength(1);
    expect(SyncStateSchema.parse(JSON.parse(storage.text ?? '')).lastGood?.rules).toEqual([allow('bad host'), allow('good.example.com')]);
  });

  it('a failure is recorded (time, type, message, Retry-After) in one write, rules untouched', async () => {
    const { deps, storage, console, clock } = setup();
    await runSync(deps);
    const before = lastGoodOf(storage.text);
    console.failWith = new ConsoleError('http', 'HTTP 503', { status: 503, retryAfterMs: 60 * MIN });
    clock.advance(MIN);
    const outcome = await runSync(deps);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'http', message: 'HTTP 503' }, profile: { id: 'p1' }, rules: 2 });
    expect(storage.writes).toBe(2);
    const state = SyncStateSchema.parse(JSON.parse(storage.text ?? ''));
    expect(lastGoodOf(storage.text)).toBe(before);
    expect(state).toMatchObject({ consecutiveFailures: 1, lastError: { code: 'http', status: 503, retryAfterMs: 60 * MIN } });
    expect(state.history.at(-1)).toEqual({ at: new Date(clock.t).toISOString(), type: 'http', message: 'HTTP 503' });
    expect(state.nextAttemptAt).toBe(new Date(clock.t + 60 * MIN).toISOString());
    console.failWith = null;
    await runSync(deps);
    expect(SyncStateSchema.parse(JSON.parse(storage.text ?? ''))).toMatchObject({ consecutiveFailures: 0, lastError: null });
  });

  it('keeps only the last 20 attempts', async () => {
    const { deps, storage, console, clock } = setup();
    for (let i = 0; i < 25; i++) {
      console.failWith = i % 2 ? new ConsoleError('network', `down ${i}`) : null;
      clock.advance(MIN);
      await runSync(deps);
    }
    const history = SyncStateSchema.parse(JSON.parse(storage.text ?? '')).history;
    expect(history).toHaveLength(HISTORY_LIMIT);
    expect(history.at(-1)).toMatchObject({ type: 'unchanged' });
    expect(history[0]).toMatchObject({ type: 'network', message: 'down 5' });
  });

  it('a stored value that is not a state is never overwritten (CLI), or reset when asked (extension)', async () => {
    const { deps } = setup();
    const foreign = createMemoryStorage({ some: 'file' });
    const outcome = await runSync({ ...deps, storage: foreign });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'storage' } });
    expect(foreign.writes).toBe(0);
    expect(await runSync({ ...deps, storage: foreign, onUnreadableState: 'reset' })).toMatchObject({ ok: true, changed: true });
  });

  it('a failed write reports storage and the previously stored rules', async () => {
    const { deps, storage } = setup();
    await runSync(deps);
    const broken = { read: () => storage.read(), write: async () => Promise.reject(new Error('disk full')) };
    const outcome = await runSync({ ...deps, storage: broken });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'storage' }, rules: 2 });
    expect(outcome.error?.message).toMatch(/disk full/);
  });

  it('an unexpected exception is an internal failure, not a crash', async () => {
    const { deps } = setup();
    const outcome = await runSync({
      ...deps,
      client: { getDefaultProfileId: async () => 'p1', getProfile: async () => Promise.reject(new TypeError('boom')) },
    });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'internal', message: 'unexpected error: boom' } });
  });
});

describe('single flight', () => {
  it('a second trigger joins the running sync', async () => {
    const { deps, console, storage } = setup();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = { ...deps.client, getProfile: async (id: string) => (await gate, deps.client.getProfile(id)) };
    const runner = createSyncRunner({ ...deps, client: slow });
    const a = runner.sync();
    const b = runner.sync();
    expect(runner.running).toBe(true);
    expect(b).toBe(a);
    release();
    const [first, second] = await Promise.all([a, b]);
    expect(first).toBe(second);
    expect(console.calls.profile).toBe(1);
    expect(storage.writes).toBe(1);
    expect(runner.running).toBe(false);
    await runner.sync();
    expect(console.calls.profile).toBe(2);
  });
});
