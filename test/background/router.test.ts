import { describe, expect, it, vi } from 'vitest';
import { createRouter, HandlerError, type Handlers } from '../../src/background/router';
import { checkSender, type OwnExtension } from '../../src/background/sender-check';
import { MUTATING_REQUESTS, RequestSchema, type RequestType } from '../../src/shared/messages';

const own: OwnExtension = { id: 'kebbolecefaiafmemkajogjapghbkmfl', origin: 'chrome-extension://kebbolecefaiafmemkajogjapghbkmfl/' };
const optionsPage = { id: own.id, url: `${own.origin}src/ui/options/index.html`, origin: own.origin.slice(0, -1) };
const contentScript = { id: own.id, url: 'https://evil.example/page', origin: 'https://evil.example' };
const guardPage = {
  id: own.id,
  url: `${own.origin}src/ui/guard/index.html?url=https://a.example/`,
  origin: own.origin.slice(0, -1),
  frameId: 0,
  tab: { id: 7 },
};
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
  getRuleLint: {},
  getStatus: {},
  syncNow: {},
  setLocalRules: { rules: [] },
  setLocalSettings: { settings: {} },
  guardContinue: { url: 'https://a.example/' },
  guardRemoveException: { origin: 'https://a.example' },
  consoleAccount: {},
  consoleListProfiles: {},
  consoleGetProfile: { profileId: 'p1' },
  consoleSaveProfile: { profileId: null, name: 'n', description: '', rules: [] },
  consoleArchiveProfile: { profileId: 'p1' },
  consoleSetDefaultProfile: { profileId: 'p1' },
  getRulesInForce: {},
};

describe('sender checks', () => {
  it('accepts everything from the extension’s own pages ("continue" only from the guard page in a tab)', () => {
    for (const type of ALL_TYPES) expect(checkSender(type, type === 'guardContinue' ? guardPage : optionsPage, own), type).toBeNull();
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
    // Ending a guard exception changes state too: the extension's pages only, any of them.
    expect(checkSender('guardRemoveException', contentScript, own)?.code).toBe('forbidden');
    expect(checkSender('guardRemoveException', { ...contentScript, frameId: 0, tab: { id: 7 } }, own)?.code).toBe('forbidden');
    expect(checkSender('guardRemoveException', { id: own.id, url: `${own.origin}src/ui/popup/index.html` }, own)).toBeNull();
  });

  it('accepts "continue" only from the guard page as the top-level page of a tab', () => {
    expect(checkSender('guardContinue', guardPage, own)).toBeNull();
    // Framed by a web page: the frame is the guard page, in a tab, but not its top-level page.
    expect(checkSender('guardContinue', { ...guardPage, frameId: 3 }, own)?.code).toBe('forbidden');
    // No tab (e.g. opened outside any tab), or a frame id the browser did not report.
    expect(checkSender('guardContinue', { ...guardPage, tab: undefined }, own)?.code).toBe('forbidden');
    expect(checkSender('guardContinue', { ...guardPage, frameId: undefined }, own)?.code).toBe('forbidden');
    // Another of the extension's own pages, even as a tab's top-level page.
    expect(checkSender('guardContinue', { ...optionsPage, frameId: 0, tab: { id: 7 } }, own)?.code).toBe('forbidden');
    expect(checkSender('guardContinue', { ...guardPage, url: `${own.origin}src/ui/guard/index.html.evil?url=https://a.example/` }, own)?.code).toBe(
      'forbidden',
    );
    // A web page (a content script carries the extension's id) and another extension.
    expect(checkSender('guardContinue', { ...contentScript, frameId: 0, tab: { id: 7 } }, own)?.code).toBe('forbidden');
    expect(checkSender('guardContinue', { ...guardPage, id: otherExtension.id }, own)?.code).toBe('forbidden');
    // Reading stays open to a framed guard page: it only explains the rule.
    expect(checkSender('getStatus', { ...guardPage, frameId: 3 }, own)).toBeNull();
    expect(checkSender('evaluateUrl', { ...guardPage, frameId: 3, tab: undefined }, own)).toBeNull();
  });
});

describe('message router', () => {
  it('routes every request type of the protocol to its one handler', async () => {
    const handlers = echoHandlers();
    const route = createRouter(handlers, { own, ready: async () => undefined });
    for (const type of ALL_TYPES) {
      expect(await route({ type, ...SAMPLE[type] }, type === 'guardContinue' ? guardPage : optionsPage), type).toEqual({ ok: true, value: type });
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
