import * as fs from 'node:fs/promises';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileStorage, type FileOps } from '../../src/cli/file-storage';
import { runSync, type SyncClient, type SyncDeps } from '../../src/sync/run-sync';
import { syncSettings } from '../../src/sync/settings';
import { SyncStateSchema } from '../../src/sync/state';
import { allow, deny, fakeClock, fakeConsole } from '../sync/fakes';

/**
 * Crash safety: the sync is stopped for good at each await point in turn (the
 * promise there never settles, as if the process died), before or after the
 * awaited operation took effect, and with a torn half-written temp file. The
 * state file must then hold the old bytes exactly, or the complete new state.
 */
type Gate = <T>(name: string, op: () => Promise<T>) => Promise<T>;

interface Plan {
  at: number;
  when: 'before' | 'after' | 'throw';
}

function gated(plan: Plan | null) {
  const names: string[] = [];
  let frozen!: () => void;
  const hit = new Promise<void>((resolve) => (frozen = resolve));
  const gate: Gate = async (name, op) => {
    names.push(name);
    if (!plan || names.length !== plan.at) return op();
    if (plan.when === 'throw') throw Object.assign(new Error(`EIO injected at ${name}`), { code: 'EIO' });
    if (plan.when === 'after') await op();
    frozen();
    return new Promise<never>(() => undefined);
  };
  return { gate, names, hit };
}

/** Handles a simulated crash left open; closed after each case, as the OS would on process exit. */
const openHandles: fs.FileHandle[] = [];
async function reapHandles(): Promise<void> {
  await Promise.all(openHandles.splice(0).map((handle) => handle.close().catch(() => undefined)));
}

function gatedOps(gate: Gate, tearWrites: boolean): FileOps {
  return {
    readFile: (p, e) => gate('readFile', () => fs.readFile(p, e)),
    rename: (a, b) => gate('rename', () => fs.rename(a, b)),
    unlink: (p) => gate('unlink', () => fs.unlink(p)),
    open: (p, flags, mode) =>
      gate('open', async () => {
        const handle = await fs.open(p, flags, mode);
        openHandles.push(handle);
        return {
          writeFile: (data: string, encoding: 'utf8') =>
            gate('writeFile', async () => {
              // A torn write: half the bytes reach the temp file before the "crash".
              if (tearWrites) await handle.writeFile(data.slice(0, Math.floor(data.length / 2)), encoding);
              else await handle.writeFile(data, encoding);
            }),
          sync: () => gate('sync', () => handle.sync()),
          close: () => gate('close', () => handle.close()),
        };
      }),
  };
}

function gatedClient(client: SyncClient, gate: Gate): SyncClient {
  return {
    getDefaultProfileId: () => gate('getDefaultProfileId', () => client.getDefaultProfileId()),
    getProfile: (id) => gate('getProfile', () => client.getProfile(id)),
  };
}

const v1 = { id: 'p1', name: 'Corp', description: null, stamp: 's1', rules: [allow('*.corp.example.com'), deny('public.corp.example.com', '*')] };
const v2 = { ...v1, stamp: 's2', rules: [allow('*.corp.example.com'), allow('vpn.example.com', '*443')] };

async function prepare() {
  const dir = mkdtempSync(path.join(tmpdir(), 'sync-crash-'));
  const file = path.join(dir, 'state.json');
  const fake = fakeConsole([v1]);
  const base: Omit<SyncDeps, 'client' | 'storage'> = { clock: fakeClock(), settings: syncSettings(), random: () => 0.5 };
  expect((await runSync({ ...base, client: fake.client, storage: createFileStorage(file) })).ok).toBe(true);
  fake.console.put(v2);
  return { dir, file, fake, base, old: readFileSync(file, 'utf8') };
}

/** Reads the state file as a fresh process would and classifies it. */
function classify(file: string, old: string): 'old' | 'new' {
  const text = readFileSync(file, 'utf8');
  if (text === old) return 'old';
  const state = SyncStateSchema.parse(JSON.parse(text));
  expect(state.lastGood?.profile.stamp).toBe('s2');
  expect(state.lastGood?.rules).toEqual(v2.rules);
  return 'new';
}

async function points(): Promise<string[]> {
  const { file, fake, base } = await prepare();
  const { gate, names } = gated(null);
  await runSync({ ...base, client: gatedClient(fake.client, gate), storage: createFileStorage(file, gatedOps(gate, false)) });
  return names;
}

describe('crash safety of a sync into a state file', () => {
  it('interrupted at every await point, before or after it takes effect, or with a torn write: old state or complete new one', async () => {
    const names = await points();
    expect(names).toEqual(['readFile', 'getDefaultProfileId', 'getProfile', 'open', 'writeFile', 'sync', 'close', 'rename']);
    const seen: Record<string, string> = {};
    for (let at = 1; at <= names.length; at++) {
      for (const when of ['before', 'after'] as const) {
        for (const tear of when === 'after' && names[at - 1] === 'writeFile' ? [false, true] : [false]) {
          const { file, fake, base, old, dir } = await prepare();
          const { gate, hit } = gated({ at, when });
          void runSync({ ...base, client: gatedClient(fake.client, gate), storage: createFileStorage(file, gatedOps(gate, tear)) });
          await hit;
          const result = classify(file, old);
          await reapHandles();
          seen[`${names[at - 1]}:${when}${tear ? ':torn' : ''}`] = result;
          // The next run, in a "new process", works over whatever the crash left (stray temp files are ignored).
          const next = await runSync({ ...base, client: fake.client, storage: createFileStorage(file) });
          expect(next).toMatchObject({ ok: true, profile: { stamp: 's2' } });
          expect(readdirSync(dir).filter((name) => !name.endsWith('.tmp'))).toEqual(['state.json']);
        }
      }
    }
    // Only a completed rename publishes the new state.
    expect(
      Object.entries(seen)
        .filter(([, r]) => r === 'new')
        .map(([k]) => k),
    ).toEqual(['rename:after']);
    expect(Object.keys(seen)).toHaveLength(names.length * 2 + 1);
  });

  it('an I/O error at any await point leaves the old rules in force, byte for byte', async () => {
    const names = await points();
    for (let at = 1; at <= names.length; at++) {
      const { file, fake, base, old } = await prepare();
      const { gate } = gated({ at, when: 'throw' });
      const outcome = await runSync({ ...base, client: gatedClient(fake.client, gate), storage: createFileStorage(file, gatedOps(gate, false)) });
      expect(outcome.ok).toBe(false);
      await reapHandles();
      const text = readFileSync(file, 'utf8');
      const lastGood = (s: string) => JSON.stringify((JSON.parse(s) as { lastGood: unknown }).lastGood);
      expect(lastGood(text)).toBe(lastGood(old));
      // Failures on the write path cannot record anything; the others record exactly one failure.
      if (at <= 3 && names[at - 1] !== 'readFile') expect(text).not.toBe(old);
      else expect(text).toBe(old);
    }
  });

  it('a torn or foreign state file is never overwritten by the CLI adapter', async () => {
    const { file, fake, base } = await prepare();
    writeFileSync(file, '{"format":"cert-rules-sync-state","vers');
    const outcome = await runSync({ ...base, client: fake.client, storage: createFileStorage(file) });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'storage' } });
    expect(readFileSync(file, 'utf8')).toBe('{"format":"cert-rules-sync-state","vers');
  });
});
