import { bestEffort } from './best-effort';
import { lazySchema, z } from '../lib/zod';
import { tabKey, STORAGE_KEYS } from '../shared/storage-keys';
import { TabStateSchema } from '../shared/tab-state';
import { EMPTY_RECORD, type TabRecord } from './tab-reducer';

/** The part of storage.session the tab store needs (a Map in tests). */
export interface SessionArea {
  get(keys: string | string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

const TabRecordSchema = lazySchema(() =>
  z.object({ current: z.nullable(TabStateSchema), pending: z.nullable(TabStateSchema), documentId: z.optional(z.nullable(z.string())) }),
);

/**
 * Per-tab state kept in storage.session, so a service worker that is killed
 * and restarted finds every tab as it left it. Updates to one tab run one
 * after the other (a promise chain per tab): two events arriving together can
 * never read the same old state and overwrite each other's change. When
 * several updates queue up, only the last one writes (the chain drains first),
 * so a burst of requests costs one storage write, not one per request.
 */
export class TabStore {
  readonly #cache = new Map<number, TabRecord>();
  readonly #chains = new Map<number, Promise<unknown>>();
  readonly #queued = new Map<number, number>();
  readonly #dirty = new Set<number>();

  readonly #area: SessionArea;

  constructor(area: SessionArea) {
    this.#area = area;
  }

  /** Applies `change` to the tab's record after every earlier change; resolves to the new record. */
  update(tabId: number, change: (record: TabRecord) => TabRecord | Promise<TabRecord>): Promise<TabRecord> {
    this.#queued.set(tabId, (this.#queued.get(tabId) ?? 0) + 1);
    const previous = this.#chains.get(tabId) ?? Promise.resolve();
    // A change runs after a failed one too; that failure was its own caller's.
    const run = previous
      .catch(() => undefined)
      .then(async () => {
        try {
          const before = await this.#load(tabId);
          const after = await change(before);
          if (after !== before) {
            this.#cache.set(tabId, after);
            this.#dirty.add(tabId);
          }
          return after;
        } finally {
          const left = (this.#queued.get(tabId) ?? 1) - 1;
          this.#queued.set(tabId, left);
          // Write once the burst is over; a failed change still writes what earlier ones did.
          if (left === 0 && this.#dirty.has(tabId)) await this.#persist(tabId, this.#cache.get(tabId) ?? EMPTY_RECORD);
        }
      });
    this.#chains.set(tabId, run);
    const forget = () => {
      if (this.#chains.get(tabId) === run) {
        this.#chains.delete(tabId);
        this.#queued.delete(tabId);
      }
    };
    run.then(forget, forget);
    return run;
  }

  /** The tab's record once every queued change has been applied. */
  async get(tabId: number): Promise<TabRecord> {
    // A failed change was reported to whoever made it; the record is what the others made.
    await (this.#chains.get(tabId) ?? Promise.resolve()).catch(() => undefined);
    return this.#load(tabId);
  }

  /** The tab closed: forget it. */
  async remove(tabId: number): Promise<void> {
    await bestEffort(
      `closing tab ${tabId}`,
      this.update(tabId, () => EMPTY_RECORD),
    );
    this.#cache.delete(tabId);
    this.#dirty.delete(tabId);
    await this.#area.remove(tabKey(tabId));
  }

  /** Every tab with stored state (after a restart, from storage). */
  async tabIds(): Promise<number[]> {
    const all = await this.#area.get(null);
    const ids = new Set<number>(this.#cache.keys());
    for (const key of Object.keys(all)) {
      if (!key.startsWith(STORAGE_KEYS.tabPrefix)) continue;
      const id = Number(key.slice(STORAGE_KEYS.tabPrefix.length));
      if (Number.isInteger(id)) ids.add(id);
    }
    return [...ids];
  }

  async #load(tabId: number): Promise<TabRecord> {
    const cached = this.#cache.get(tabId);
    if (cached) return cached;
    const key = tabKey(tabId);
    const stored = (await this.#area.get(key))[key];
    // Stored data is a boundary too: anything unreadable counts as "nothing recorded".
    // Nothing stored needs no schema (building the tab schemas is a wake-up cost).
    const parsed = stored === undefined ? null : TabRecordSchema.safeParse(stored);
    const record = parsed?.success ? parsed.data : EMPTY_RECORD;
    this.#cache.set(tabId, record);
    return record;
  }

  async #persist(tabId: number, record: TabRecord): Promise<void> {
    this.#dirty.delete(tabId);
    if (!record.current && !record.pending) await this.#area.remove(tabKey(tabId));
    else await this.#area.set({ [tabKey(tabId)]: record });
  }
}
