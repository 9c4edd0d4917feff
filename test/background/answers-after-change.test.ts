import { beforeAll, describe, expect, it } from 'vitest';
import { createRouter } from '../../src/background/router';
import type { RuleLint, RuleSources } from '../../src/shared/status';
import { STORAGE_KEYS } from '../../src/shared/storage-keys';
import { fakeBrowser, loadBackground, wake } from './fake-browser';

/**
 * A page that sees storage change asks the background again at once. The
 * background sees the same change and reloads; the answer must show what
 * storage holds now, not the rules from before the change.
 */
describe('the background answers a page after a storage change with the changed state', () => {
  const fake = fakeBrowser();
  const page = { id: 'test-extension', url: 'chrome-extension://test-extension/src/ui/options/index.html' };
  let Background: Awaited<ReturnType<typeof loadBackground>>;
  beforeAll(async () => {
    Background = await loadBackground(fake);
  });

  it('waits for the reload the change started: the new local rules are in the answer', async () => {
    const { createHandlers } = await import('../../src/background/handlers');
    fake.local.data.clear();
    const background = await wake(Background);
    const route = createRouter(createHandlers(background), {
      own: { id: 'test-extension', origin: 'chrome-extension://test-extension/' },
      ready: background.settled,
    });
    const before = await route({ type: 'getRuleSources' }, page);
    expect(before).toMatchObject({ ok: true, value: { rulesAvailable: false } });

    // Another page saved local rules: storage changes, and the browser tells the background and this page at once.
    const rules = { rules: [{ host: 'www.acme.test', port: '443', action: 'useEnrollmentCertificate' }], at: 5 };
    await fake.local.set({ [STORAGE_KEYS.localRules]: rules });
    const reload = background.onStorageChanged({ [STORAGE_KEYS.localRules]: { newValue: rules } }, 'local');
    const reply = await route({ type: 'getRuleSources' }, page);
    await reload;
    expect(reply.ok).toBe(true);
    const sources = (reply as { value: RuleSources }).value;
    expect(sources.rulesAvailable).toBe(true);
    expect(sources.sources.find((source) => source.name === 'local')?.rules).toEqual(rules.rules);
  });

  it("answers the rules' lint apart from them, under the same revision, which changes with the rules", async () => {
    const { createHandlers } = await import('../../src/background/handlers');
    fake.local.data.clear();
    const first = { rules: [{ host: '*acme.test', port: '', action: 'noCertificate' }], at: 7 };
    await fake.local.set({ [STORAGE_KEYS.localRules]: first });
    const background = await wake(Background);
    const route = createRouter(createHandlers(background), {
      own: { id: 'test-extension', origin: 'chrome-extension://test-extension/' },
      ready: background.settled,
    });
    const valueOf = async <T>(type: 'getRuleSources' | 'getRuleLint') => ((await route({ type }, page)) as { value: T }).value;
    const sources = await valueOf<RuleSources>('getRuleSources');
    const lint = await valueOf<RuleLint>('getRuleLint');
    // The views carry no lint: it is the longer part of a large answer, asked for after the rules.
    expect(sources.sources.every((source) => !('lint' in source))).toBe(true);
    expect(lint.revision).toBe(sources.revision);
    expect(lint.sources.map((entry) => entry.name)).toEqual(sources.sources.map((source) => source.name));
    expect(lint.sources.find((entry) => entry.name === 'local')?.lint).toEqual([expect.objectContaining({ code: 'wildcard-suffix', index: 0 })]);

    const second = { rules: [{ host: 'www.acme.test', port: '443', action: 'noCertificate' }], at: 8 };
    await fake.local.set({ [STORAGE_KEYS.localRules]: second });
    await background.onStorageChanged({ [STORAGE_KEYS.localRules]: { newValue: second } }, 'local');
    const after = await valueOf<RuleLint>('getRuleLint');
    expect(after.revision).not.toBe(lint.revision);
    expect(after.revision).toBe((await valueOf<RuleSources>('getRuleSources')).revision);
    expect(after.sources.find((entry) => entry.name === 'local')?.lint).toEqual([]);
  });
});
