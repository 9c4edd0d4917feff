import { describe, expect, it, vi } from 'vitest';
import { createRouter, HandlerError, type Handlers } from '../../src/background/router';
import { checkSender, type OwnExtension } from '../../src/background/sender-check';
import { MUTATING_REQUESTS, RequestSchema, type RequestType } from '../../src/shared/messages';

const own: OwnExtension = { id: 'kebbolecefaiafmemkajogjapghbkmfl', origin: 'chrome-extension://kebbolecefaiafmemkajogjapghbkmfl/' };
const optionsPage = { id: own.id, url: `${own.origin}src/ui/options/index.html`, origin: own.origin.slice(0, -1) };
const contentScript = { id: own.id, url: 'https://evil.example/page', origin: 'https://evil.example' };
const otherExtension = { id: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', url: 'chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/x.html' };

const ALL_TYPES = RequestSchema.def.options.map((option) => option.shape.type.def.values[0]) as RequestType[];

/** Handlers that answer with their own name, so a test sees which one ran. */
function echoHandlers(): Handlers {
  return Object.fromEntries(ALL_TYPES.map((type) => [type, vi.fn(async () => type)])) as unknown as Handlers;
}

const SAMPLE: Record<RequestType, Record<string, unknown>> = {
  getPopupState: { tabId: 1 },
  getTabState: { tabId: 1 },
  evaluateUrl: { url: 'https://a.example/' },
  getRuleSources: {},
  getStatus: {},
  syncNow: {},
  setLocalRules: { rules: [] },
  setLocalSettings: { settings: {} },
  guardContinue: { url: 'https://a.example/' },
  consoleAccount: {},
  consoleListProfiles: {},
  consoleGetProfile: { profileId: 'p1' },
  consoleSaveProfile: { profileId: null, name: 'n', description: '', rules: [] },
  consoleArchiveProfile: { profileId: 'p1' },
  consoleSetDefaultProfile: { profileId: 'p1' },
  getRulesInForce: {},
};

describe('sender checks', () => {
  it('accepts everything from the extension’s own pages', () => {
    for (const type of ALL_TYPES) expect(checkSender(type, optionsPage, own), type).toBeNull();
  });

  it('refuses every request from another extension', () => {
    for (const type of ALL_TYPES) expect(checkSender(type, otherExtension, own)?.code, type).toBe('forbidden');
  });

  it('refuses state-changing requests from a web page context (a content script carries our id)', () => {
    for (const type of ALL_TYPES) {
      const refused = checkSender(type, contentScript, own);
      expect(refused?.code ?? null, type).toBe(MUTATING_REQUESTS.has(type) ? 'forbidden' : null);
    }
    // A look-alike prefix is not the extension's origin.
    expect(checkSender('setLocalRules', { id: own.id, url: `${own.origin.slice(0, -1)}x/page.html` }, own)?.code).toBe('forbidden');
    // Chrome's reported origin must agree with the URL.
    expect(checkSender('setLocalRules', { id: own.id, url: optionsPage.url, origin: 'https://evil.example' }, own)?.code).toBe('forbidden');
    expect(checkSender('setLocalRules', { id: own.id }, own)?.code).toBe('forbidden');
  });

  it('accepts "continue" from the guard page only as a top-level page, not framed by a web page', () => {
    const guard = { id: own.id, url: `${own.origin}src/ui/guard/index.html?url=https://a.example/`, frameId: 0 };
    expect(checkSender('guardContinue', guard, own)).toBeNull();
    expect(checkSender('guardContinue', { ...guard, frameId: 3 }, own)?.code).toBe('forbidden');
    expect(checkSender('getStatus', { ...guard, frameId: 3 }, own)).toBeNull();
  });
});

describe('message router', () => {
  it('routes every request type of the protocol to its one handler', async () => {
    const handlers = echoHandlers();
    const route = createRouter(handlers, { own, ready: async () => undefined });
    for (const type of ALL_TYPES) {
      expect(await route({ type, ...SAMPLE[type] }, optionsPage), type).toEqual({ ok: true, value: type });
    }
  });

  it('answers invalid requests without calling a handler', async () => {
    const handlers = echoHandlers();
    const route = createRouter(handlers, { own, ready: async () => undefined });
    for (const message of [null, 'getStatus', { type: 'nope' }, { type: 'getTabState', tabId: 'one' }, { type: 'evaluateUrl', url: 'x'.repeat(9000) }]) {
      const reply = await route(message, optionsPage);
      expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    }
    for (const type of ALL_TYPES) expect(handlers[type]).not.toHaveBeenCalled();
  });

  it('refuses a forbidden sender before waiting or handling', async () => {
    const handlers = echoHandlers();
    const ready = vi.fn(async () => undefined);
    const route = createRouter(handlers, { own, ready });
    expect(await route({ type: 'setLocalRules', rules: [] }, contentScript)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(handlers.setLocalRules).not.toHaveBeenCalled();
    expect(ready).not.toHaveBeenCalled();
  });

  it('waits for readiness before any handler runs', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const handlers = echoHandlers();
    const route = createRouter(handlers, { own, ready: () => gate });
    const pending = route({ type: 'getStatus' }, optionsPage);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(handlers.getStatus).not.toHaveBeenCalled();
    release();
    expect(await pending).toEqual({ ok: true, value: 'getStatus' });
  });

  it('turns handler failures into error replies: coded ones as given, others as internal', async () => {
    const handlers = echoHandlers();
    handlers.setLocalRules = async () => {
      throw new HandlerError('invalid-rules', 'nothing was saved', [{ index: 0, severity: 'error', code: 'invalid-host', message: 'bad host' }]);
    };
    handlers.getStatus = async () => {
      throw new TypeError('oops');
    };
    const log = vi.fn();
    const route = createRouter(handlers, { own, ready: async () => undefined, log });
    expect(await route({ type: 'setLocalRules', rules: [{}] }, optionsPage)).toEqual({
      ok: false,
      error: { code: 'invalid-rules', message: 'nothing was saved', findings: [{ index: 0, severity: 'error', code: 'invalid-host', message: 'bad host' }] },
    });
    expect(await route({ type: 'getStatus' }, optionsPage)).toEqual({ ok: false, error: { code: 'internal', message: 'oops' } });
    expect(log).toHaveBeenCalledWith('request getStatus failed: oops');
  });
});
