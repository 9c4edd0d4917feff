import type { SessionArea } from '../../src/background/tab-store';

/** An in-memory session area (storage.session's behaviour: values copied in and out), for tests. */
export function createMemorySessionArea(): SessionArea & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  const copy = (value: unknown) => (value === undefined ? undefined : structuredClone(value));
  return {
    data,
    async get(keys) {
      const wanted = keys === null ? [...data.keys()] : Array.isArray(keys) ? keys : [keys];
      const out: Record<string, unknown> = {};
      for (const key of wanted) if (data.has(key)) out[key] = copy(data.get(key));
      return out;
    },
    async set(items) {
      for (const [key, value] of Object.entries(items)) data.set(key, copy(value));
    },
    async remove(keys) {
      for (const key of Array.isArray(keys) ? keys : [keys]) data.delete(key);
    },
  };
}
