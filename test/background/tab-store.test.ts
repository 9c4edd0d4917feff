import { describe, expect, it } from 'vitest';
import { EMPTY_RECORD, navigationSettled, requestSeen, type Judged } from '../../src/background/tab-reducer';
import { TabStore, type SessionArea } from '../../src/background/tab-store';
import { createMemorySessionArea } from './memory-session-area';
import { tabKey } from '../../src/shared/storage-keys';

const judged = (host: string): Judged => ({
  url: `https://${host}/`,
  host,
  port: '443',
  verdict: { decision: 'noCertificate', reason: 'no-match', rule: null },
});

/** A session area whose calls take a little while, as storage.session's do, and that counts writes. */
function slowArea(): SessionArea & { writes: number; data: Map<string, unknown> } {
  const inner = createMemorySessionArea();
  const pause = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
  const area = {
    data: inner.data,
    writes: 0,
    async get(keys: string | string[] | null) {
      await pause();
      return inner.get(keys);
    },
    async set(items: Record<string, unknown>) {
      await pause();
      area.writes++;
      return inner.set(items);
    },
    async remove(keys: string | string[]) {
      await pause();
      return inner.remove(keys);
    },
  };
  return area;
}

describe('tab store (storage.session, one queue per tab)', () => {
  it('applies concurrent updates one after another: none is lost', async () => {
    const area = slowArea();
    const store = new TabStore(area);
    await store.update(1, (record) => navigationSettled(record, 1, judged('page.example'), 0));
    const hosts = Array.from({ length: 60 }, (_, index) => `h${index}.example`);
    await Promise.all(hosts.map((host, index) => store.update(1, (record) => requestSeen(record, 1, judged(host), false, index + 1))));
    const record = await store.get(1);
    expect(record.current?.endpoints.map((endpoint) => endpoint.host).sort()).toEqual(['page.example', ...hosts].sort());
  });

  it('writes a burst once it is over, not once per event', async () => {
    const area = slowArea();
    const store = new TabStore(area);
    await store.update(2, (record) => navigationSettled(record, 2, judged('page.example'), 0));
    const writesBefore = area.writes;
    await Promise.all(Array.from({ length: 50 }, (_, index) => store.update(2, (record) => requestSeen(record, 2, judged('cdn.example'), false, index))));
    expect(area.writes - writesBefore).toBeLessThanOrEqual(2);
    expect((await store.get(2)).current?.endpoints.find((endpoint) => endpoint.host === 'cdn.example')?.requests).toBe(50);
  });

  it('a fresh store (a restarted service worker) finds every tab as it was left', async () => {
    const area = slowArea();
    const first = new TabStore(area);
    await first.update(3, (record) => navigationSettled(record, 3, judged('a.example'), 0));
    await first.update(4, (record) => navigationSettled(record, 4, judged('b.example'), 0));
    await first.update(4, (record) => requestSeen(record, 4, judged('c.example'), false, 1));
    const restarted = new TabStore(area);
    expect(await restarted.get(4)).toEqual(await first.get(4));
    expect((await restarted.tabIds()).sort()).toEqual([3, 4]);
  });

  it('forgets a closed tab, in memory and in storage', async () => {
    const area = slowArea();
    const store = new TabStore(area);
    await store.update(5, (record) => navigationSettled(record, 5, judged('a.example'), 0));
    expect(area.data.has(tabKey(5))).toBe(true);
    await store.remove(5);
    expect(area.data.has(tabKey(5))).toBe(false);
    expect(await new TabStore(area).get(5)).toEqual(EMPTY_RECORD);
  });

  it('treats unreadable stored data as "nothing recorded"', async () => {
    const area = createMemorySessionArea();
    await area.set({ [tabKey(6)]: { current: { tabId: 'six' }, pending: null } });
    expect(await new TabStore(area).get(6)).toEqual(EMPTY_RECORD);
  });

  it('a failing change does not block the queue or lose earlier changes', async () => {
    const area = slowArea();
    const store = new TabStore(area);
    const first = store.update(7, (record) => navigationSettled(record, 7, judged('a.example'), 0));
    const failing = store.update(7, () => {
      throw new Error('boom');
    });
    const third = store.update(7, (record) => requestSeen(record, 7, judged('b.example'), false, 1));
    await expect(failing).rejects.toThrow('boom');
    await Promise.all([first, third]);
    const stored = await new TabStore(area).get(7);
    expect(stored.current?.endpoints.map((endpoint) => endpoint.host)).toEqual(['a.example', 'b.example']);
  });
});
