import { describe, expect, it } from 'vitest';
import { BYPASS_RULE_PRIORITY, bypassedOrigins, clearBypasses } from '../../src/background/guard-apply';
import { continueThroughGuard, type GuardContinueContext } from '../../src/background/guard-continue';
import type { DnrApi } from '../../src/background/platform';
import { HandlerError } from '../../src/background/router';
import type { GuardMode } from '../../src/config/index';
import { buildRuleSet, compileSource, type RuleSet } from '../../src/engine/index';

/** The session rule set of declarativeNetRequest, in memory. */
function fakeDnr(): DnrApi & { session: { id: number; condition?: { urlFilter?: string } }[] } {
  const session: { id: number; condition?: { urlFilter?: string } }[] = [];
  return {
    session,
    getDynamicRules: async () => [],
    updateDynamicRules: async () => undefined,
    getSessionRules: async () => session.map((rule) => ({ ...rule })),
    updateSessionRules: async ({ removeRuleIds = [], addRules = [] }) => {
      for (const id of removeRuleIds)
        session.splice(
          session.findIndex((rule) => rule.id === id),
          1,
        );
      session.push(...(addRules as { id: number; condition?: { urlFilter?: string } }[]));
    },
  };
}

const rules: RuleSet | null = buildRuleSet([
  compileSource('managed', [
    { host: 'intranet.acme.test', port: '*', action: 'useEnrollmentCertificate' },
    { host: '*.blocked.acme.test', port: '*', action: 'noCertificate' },
    { host: 'pay.acme.test', port: '8443', action: 'noCertificate' },
    { host: '*.acme.test', port: '*', action: 'useEnrollmentCertificate' },
  ]),
]);

function context(mode: GuardMode, ruleSet: RuleSet | null = rules) {
  const dnr = fakeDnr();
  const value: GuardContinueContext = { mode, ruleSet, dnr };
  return { value, dnr };
}

async function refusal(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await call.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof HandlerError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return { code: error.code, message: error.message };
}

describe('"continue" through the guard', () => {
  it('lets an address a deny rule in force covers through for the session, by its origin', async () => {
    const { value, dnr } = context('warn');
    expect(await continueThroughGuard(value, 'https://www.blocked.acme.test/secret?x=1')).toEqual({ url: 'https://www.blocked.acme.test/secret?x=1' });
    expect(await continueThroughGuard(value, 'https://pay.acme.test:8443/')).toEqual({ url: 'https://pay.acme.test:8443/' });
    expect(dnr.session).toEqual([
      {
        id: 1,
        priority: BYPASS_RULE_PRIORITY,
        action: { type: 'allow' },
        condition: { urlFilter: '|https://www.blocked.acme.test/', resourceTypes: ['main_frame'] },
      },
      {
        id: 2,
        priority: BYPASS_RULE_PRIORITY,
        action: { type: 'allow' },
        condition: { urlFilter: '|https://pay.acme.test:8443/', resourceTypes: ['main_frame'] },
      },
    ]);
  });

  it.each([
    ['no rule matches', 'https://anything.example/'],
    ['an allow rule decides', 'https://intranet.acme.test/'],
    ['a deny rule covers the host on another port only', 'https://pay.acme.test/'],
    ['the apex the wildcard does not cover (an allow rule decides)', 'https://blocked.acme.test/'],
  ])('refuses an address the guard did not stop: %s', async (_case, url) => {
    const { value, dnr } = context('warn');
    const refused = await refusal(continueThroughGuard(value, url));
    expect(refused.code).toBe('forbidden');
    expect(refused.message).toContain(new URL(url).host);
    expect(dnr.session).toEqual([]);
  });

  it('refuses everything when no rules are usable (nothing is excluded by a rule)', async () => {
    const { value, dnr } = context('warn', null);
    expect((await refusal(continueThroughGuard(value, 'https://www.blocked.acme.test/'))).code).toBe('forbidden');
    expect(dnr.session).toEqual([]);
  });

  it('refuses under guard off and guard block, even for an excluded address', async () => {
    for (const mode of ['off', 'block'] as const) {
      const { value, dnr } = context(mode);
      const refused = await refusal(continueThroughGuard(value, 'https://www.blocked.acme.test/'));
      expect(refused.code, mode).toBe('forbidden');
      expect(refused.message, mode).toMatch(mode === 'off' ? /guard is off/ : /blocks/);
      expect(dnr.session, mode).toEqual([]);
    }
  });

  it('refuses what is not an https URL, saying what it got', async () => {
    const { value, dnr } = context('warn');
    expect(await refusal(continueThroughGuard(value, 'not a url'))).toEqual({ code: 'invalid-request', message: 'not a URL: "not a url"' });
    expect(await refusal(continueThroughGuard(value, 'http://www.blocked.acme.test/'))).toMatchObject({
      code: 'invalid-request',
      message: expect.stringContaining('http:'),
    });
    expect(await refusal(continueThroughGuard(value, 'wss://www.blocked.acme.test/'))).toMatchObject({ code: 'invalid-request' });
    expect(dnr.session).toEqual([]);
  });

  it('says so when the browser has no declarativeNetRequest API', async () => {
    const { value } = context('warn');
    expect((await refusal(continueThroughGuard({ ...value, dnr: null }, 'https://www.blocked.acme.test/'))).code).toBe('unavailable');
  });
});

describe('ending an exception before the session does', () => {
  it('removes exactly the origin asked for: not another port of the same host, nor the other exceptions, nor rules that are not exceptions', async () => {
    const { value, dnr } = context('warn');
    await continueThroughGuard(value, 'https://www.blocked.acme.test/a');
    await continueThroughGuard(value, 'https://www.blocked.acme.test:8443/b');
    await continueThroughGuard(value, 'https://pay.acme.test:8443/');
    dnr.session.push({ id: 50, condition: { urlFilter: '||ads.example^' } });
    expect(await bypassedOrigins(dnr)).toEqual(['https://www.blocked.acme.test', 'https://www.blocked.acme.test:8443', 'https://pay.acme.test:8443']);
    await clearBypasses(dnr, 'https://www.blocked.acme.test');
    expect(await bypassedOrigins(dnr)).toEqual(['https://www.blocked.acme.test:8443', 'https://pay.acme.test:8443']);
    // An origin with no exception, or a piece of one, removes nothing.
    await clearBypasses(dnr, 'https://pay.acme.test');
    await clearBypasses(dnr, 'https://www.blocked.acme');
    expect(await bypassedOrigins(dnr)).toEqual(['https://www.blocked.acme.test:8443', 'https://pay.acme.test:8443']);
    // Without an origin, every exception goes (guard off or block); other session rules stay.
    await clearBypasses(dnr);
    expect(dnr.session).toEqual([{ id: 50, condition: { urlFilter: '||ads.example^' } }]);
  });
});
