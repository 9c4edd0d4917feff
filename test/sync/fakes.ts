import type { ConsoleProfile } from '../../src/console/client';
import { ConsoleError } from '../../src/console/failure';
import type { SyncClient } from '../../src/sync/run-sync';

export const allow = (host: string, port: unknown = '') => ({ host, port, action: 'useEnrollmentCertificate' });
export const deny = (host: string, port: unknown = '') => ({ host, port, action: 'noCertificate' });

/** A console in memory: profiles by id, a default, and an optional failure for the next calls. */
export function fakeConsole(initial: ConsoleProfile[], defaultId: string | null = initial[0]?.id ?? null) {
  const profiles = new Map(initial.map((p) => [p.id, p]));
  const state = {
    defaultId,
    failWith: null as ConsoleError | null,
    calls: { default: 0, profile: 0 },
    put(profile: ConsoleProfile) {
      profiles.set(profile.id, profile);
    },
  };
  const client: SyncClient = {
    async getDefaultProfileId() {
      state.calls.default++;
      if (state.failWith) throw state.failWith;
      return state.defaultId;
    },
    async getProfile(id: string) {
      state.calls.profile++;
      if (state.failWith) throw state.failWith;
      const profile = profiles.get(id);
      if (!profile) throw new ConsoleError('server', `the console reported an error: Profile ${id} not found`);
      return structuredClone(profile);
    },
  };
  return { client, console: state };
}

export function fakeClock(start = Date.parse('2026-03-01T12:00:00Z')) {
  const clock = { t: start, now: () => clock.t, advance: (ms: number) => (clock.t += ms) };
  return clock;
}
