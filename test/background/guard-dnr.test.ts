import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitGuardCandidates, type RegexCheck } from '../../src/background/guard-fit';
import { planGuardCandidates, type GuardDnrRule } from '../../src/background/guard-plan';
import { buildRuleSet, compileSource, decide, type NormalizedRule } from '../../src/engine/index';
import { actionArb, hostArb, hostPatternArb, portNumberArb, portPatternArb } from '../helpers/arbitraries';
import { propertyRuns } from '../helpers/property-runs';

const RUNS = propertyRuns(300);
const GUARD_PAGE = 'chrome-extension://kebbolecefaiafmemkajogjapghbkmfl/src/ui/guard/index.html';

/**
 * Small models of how each browser applies a declarativeNetRequest rule to a
 * top-level navigation. `regexFilter` is an RE2 search over the URL as the
 * browser writes it (both keep a trailing dot and user info; the compiled
 * expressions use only syntax RE2 and JavaScript read alike), case-insensitive
 * by default. `requestDomains` matches the host or any subdomain of it, and
 * the browsers differ on the trailing dot: Chromium 156 ignores one, Firefox
 * ESR 153 compares the host as written, dot included (both measured).
 */
const BROWSERS = {
  chromium: (host: string) => host.replace(/\.$/, ''),
  firefox: (host: string) => host,
} as const;
type Browser = keyof typeof BROWSERS;

function dnrMatches(rule: GuardDnrRule, url: string, browser: Browser = 'firefox'): boolean {
  const parsed = new URL(url);
  const host = BROWSERS[browser](parsed.hostname.replace(/^\[|\]$/g, ''));
  // GuardDnrRule has no requestDomains; the model reads them all the same, so a rule that carried some would be judged as the browser would.
  const domains = (rule.condition as { requestDomains?: string[] }).requestDomains;
  if (domains && !domains.some((domain) => host === domain || host.endsWith(`.${domain}`))) return false;
  return new RegExp(rule.condition.regexFilter, 'i').test(url);
}

/** What the browser would load instead: the regexSubstitution applied to the URL. */
function redirectTarget(rule: GuardDnrRule, url: string): string {
  const match = new RegExp(rule.condition.regexFilter, 'i').exec(url);
  if (!match) throw new Error('no match');
  return rule.action.redirect.regexSubstitution.replace(/\\0/g, match[0]);
}

/** Canonical URLs as the browser hands them to DNR: lower case, no :443, brackets around IPv6, a path. */
const ipv6HostArb = fc.constantFrom('::1', '2001:db8::1', '2001:db8::a:1', 'fe80::1', '::');
const ipv6PatternArb = fc.constantFrom('::1', '2001:db8::*', '*::1', 'fe80::*', '*1', '*');
const canonicalUrlArb = fc
  .record({
    host: fc.oneof({ weight: 5, arbitrary: hostArb }, { weight: 1, arbitrary: ipv6HostArb }),
    port: portNumberArb,
    trailingDot: fc.constantFrom('', '', '.', '..'),
    user: fc.constantFrom('', '', '', 'user@', 'u:p@'),
    path: fc.constantFrom('/', '/a/b?x=1&y=2', '/@evil.com/', '/x#frag'),
  })
  .map(({ host, port, trailingDot, user, path }) => {
    const name = host.includes(':') ? `[${host}]` : `${host}${trailingDot}`;
    try {
      return new URL(`https://${user}${name}${port === '443' ? '' : `:${port}`}${path}`).href;
    } catch {
      // e.g. "a.10": a last label of digits makes it an IPv4 address, and this one is not valid.
      return null;
    }
  })
  .filter((url): url is string => url !== null);

/**
 * URLs written from the rules themselves (each star filled in), in the
 * spellings a user may type: the random URLs above rarely land on a rule's host.
 */
type RawRule = { host: string; port: string };
function urlsFromRulesArb(raw: readonly RawRule[]) {
  return fc
    .record({
      rule: fc.constantFrom(...raw),
      fill: fc.constantFrom('', 'a', 'x.y', 'acme'),
      portFill: fc.constantFrom('', '4', '44'),
      trailingDot: fc.constantFrom('', '.'),
      user: fc.constantFrom('', 'user@', 'u:p@'),
      upper: fc.boolean(),
    })
    .map(({ rule, fill, portFill, trailingDot, user, upper }) => {
      const filled = rule.host.replace(/\*/g, rule.host.includes(':') ? '1' : fill);
      const host = rule.host.includes(':') ? `[${filled}]` : `${upper ? filled.toUpperCase() : filled}${trailingDot}`;
      const port = rule.port.replace(/\*/g, portFill);
      try {
        return new URL(`https://${user}${host}${port === '' ? '' : `:${port}`}/p`).href;
      } catch {
        // e.g. a last label of digits that is no valid IPv4 address. Not filtered here: a rule set where every
        // rule gives such a host would make fast-check's filter retry forever.
        return null;
      }
    });
}

const denyRuleArb = fc.record({
  host: fc.oneof({ weight: 6, arbitrary: hostPatternArb }, { weight: 1, arbitrary: ipv6PatternArb }),
  port: portPatternArb,
  action: actionArb,
});

/** Rules, and URLs both random and written from those rules. */
function rulesAndUrlsArb(maxRules: number, maxUrls: number) {
  return fc.array(denyRuleArb, { minLength: 1, maxLength: maxRules }).chain((raw) =>
    fc.tuple(
      fc.constant(raw),
      fc
        .tuple(canonicalUrlArb, fc.array(fc.oneof(canonicalUrlArb, urlsFromRulesArb(raw)), { maxLength: maxUrls - 1 }))
        .map(([first, rest]) => [first, ...rest.filter((url): url is string => url !== null)]),
    ),
  );
}

async function compile(raw: unknown[], options: { maxRegexRules?: number; isSupported?: (regex: string) => Promise<RegexCheck> } = {}) {
  const source = compileSource('managed', raw);
  const ruleSet = buildRuleSet([source]);
  const denies = source.rules.filter((rule) => rule.action === 'noCertificate');
  const fit = await fitGuardCandidates(planGuardCandidates(denies), {
    guardPage: GUARD_PAGE,
    maxRegexRules: options.maxRegexRules ?? 1000,
    isSupported: options.isSupported,
  });
  return { ruleSet, denies, fit };
}

describe('guard: deny rules compiled to declarativeNetRequest', () => {
  it.each(Object.keys(BROWSERS) as Browser[])(
    'matches in %s exactly the URLs the engine denies, and sends them to the guard page with the whole URL',
    async (browser) => {
      await fc.assert(
        fc.asyncProperty(rulesAndUrlsArb(10, 12), async ([raw, urls]) => {
          const { ruleSet, fit } = await compile(raw);
          expect(fit.notFitted).toEqual([]);
          for (const url of urls) {
            const engineDenies = decide(ruleSet, url).reason === 'deny-rule';
            const hit = fit.rules.find((rule) => dnrMatches(rule, url, browser));
            expect(hit !== undefined, `${url} with ${JSON.stringify(raw)}`).toBe(engineDenies);
            if (hit) expect(redirectTarget(hit, url)).toBe(`${GUARD_PAGE}?url=${url}`);
          }
        }),
        { numRuns: RUNS },
      );
    },
    60_000,
  );

  it('stays exact when the browser refuses large expressions and groups are split', async () => {
    const refuseLong = async (regex: string): Promise<RegexCheck> =>
      regex.length > 90 ? { isSupported: false, reason: 'memoryLimitExceeded' } : { isSupported: true };
    await fc.assert(
      fc.asyncProperty(rulesAndUrlsArb(14, 10), async ([raw, urls]) => {
        const { ruleSet, denies, fit } = await compile(raw, { isSupported: refuseLong });
        const unfitted = new Set(fit.notFitted.map((gap) => `${gap.host} ${gap.port}`));
        // Everything is accounted for: covered by a browser rule, or reported.
        const covered = [...fit.members.values()].flat();
        expect(covered.length + fit.notFitted.length).toBe(denies.length);
        for (const url of urls) {
          const verdict = decide(ruleSet, url);
          const hit = fit.rules.some((rule) => dnrMatches(rule, url));
          // A browser rule never stops a URL the engine does not deny.
          if (hit) expect(verdict.reason).toBe('deny-rule');
          // A denied URL is stopped unless every deny rule matching it was reported as not fitting.
          if (verdict.reason === 'deny-rule' && !hit) {
            const matching =
              ruleSet?.index
                .allMatches(new URL(url).hostname.replace(/\.$/, '').replace(/^\[|\]$/g, ''), new URL(url).port || '443')
                .filter((rule) => rule.action === 'noCertificate') ?? [];
            for (const rule of matching) expect(unfitted.has(`${rule.host} ${rule.port}`)).toBe(true);
          }
        }
      }),
      { numRuns: RUNS },
    );
  }, 60_000);

  it.each(Object.keys(BROWSERS) as Browser[])('makes exact hosts exact and *.suffix exclude the apex, in every spelling %s hands over', async (browser) => {
    const { fit } = await compile([
      { host: 'acme.com', port: '', action: 'noCertificate' },
      { host: '*.corp.example', port: '', action: 'noCertificate' },
      { host: 'api.example', port: '8443', action: 'noCertificate' },
      { host: 'svc.example', port: '*443', action: 'noCertificate' },
      { host: 'bücher.example', port: '*', action: 'noCertificate' },
      { host: 'intranet.*', port: '', action: 'noCertificate' },
    ]);
    const stops = (url: string) => fit.rules.some((rule) => dnrMatches(rule, url, browser));
    const stopped = [
      'https://acme.com/',
      'https://acme.com./x',
      'https://user@acme.com/',
      'https://user:pass@acme.com./',
      'https://a.corp.example/',
      'https://a.corp.example./',
      'https://a.b.corp.example/',
      'https://u@a.b.corp.example./p?q#f',
      'https://api.example:8443/',
      'https://api.example.:8443/',
      'https://svc.example/',
      'https://svc.example./',
      'https://svc.example:10443/',
      'https://svc.example.:10443/',
      'https://xn--bcher-kva.example/',
      'https://xn--bcher-kva.example.:8443/',
      'https://intranet.acme.com./',
      'https://acme.com/%70ath/a%20b?q=%2F',
    ];
    const passed = [
      'https://www.acme.com/',
      'https://www.acme.com./',
      'https://acme.com:8443/',
      'https://acme.com.:8443/',
      'https://evilacme.com/',
      'https://acme.com.evil/',
      'https://corp.example/',
      'https://corp.example./',
      'https://api.example/',
      'https://api.example./',
      'https://svc.example:4430/',
      'https://xn--bchern-3ya.example/',
      'https://intranet.acme.com.:8443/',
      'https://intranetx.acme.com./',
      'http://acme.com/',
      'http://acme.com./',
    ];
    // The URLs as the browser writes them (lower case, IDNA, no :443): what the DNR matcher sees.
    for (const url of stopped) expect(stops(new URL(url).href), url).toBe(true);
    for (const url of passed) expect(stops(new URL(url).href), url).toBe(false);
  });

  it('stops a host written with a trailing dot in Firefox, which compares request domains with the dot kept', async () => {
    const { fit } = await compile([
      { host: 'secret.corp.test', port: '', action: 'noCertificate' },
      { host: '*.corp.test', port: '*', action: 'noCertificate' },
    ]);
    for (const url of ['https://secret.corp.test./', 'https://www.corp.test./', 'https://SECRET.corp.test.:443/x']) {
      expect(
        fit.rules.some((rule) => dnrMatches(rule, new URL(url).href, 'firefox')),
        url,
      ).toBe(true);
    }
  });

  it('groups exact hosts and suffixes that share a port into one rule each', async () => {
    const raw = ['a.example', 'b.example', 'c.example'].map((host) => ({ host, port: '', action: 'noCertificate' }));
    raw.push({ host: '*.d.example', port: '', action: 'noCertificate' }, { host: '*.e.example', port: '', action: 'noCertificate' });
    const { fit } = await compile(raw);
    expect(fit.rules).toHaveLength(2);
    expect(fit.rules[0]?.condition.regexFilter).toMatch(/a\\.example\|b\\.example\|c\\.example/);
    expect([...fit.members.values()].map((members) => members.map((rule) => rule.index))).toEqual([
      [0, 1, 2],
      [3, 4],
    ]);
  });

  it('reports the deny rules past the browser regex limit, earliest rules first in', async () => {
    const raw = Array.from({ length: 6 }, (_, index) => ({ host: `h${index}.*.example`, port: '', action: 'noCertificate' }));
    const { fit } = await compile(raw, { maxRegexRules: 4 });
    expect(fit.rules).toHaveLength(4);
    expect(fit.notFitted.map((gap) => [gap.index, gap.reason])).toEqual([
      [4, 'regex-limit'],
      [5, 'regex-limit'],
    ]);
  });

  it('reports a pattern the browser refuses even alone', async () => {
    const { fit } = await compile(
      [
        { host: 'ok.example', port: '', action: 'noCertificate' },
        { host: 'x*y*z*w.example', port: '', action: 'noCertificate' },
      ],
      { isSupported: async (regex) => (regex.includes('x[') ? { isSupported: false, reason: 'memoryLimitExceeded' } : { isSupported: true }) },
    );
    expect(fit.rules).toHaveLength(1);
    expect(fit.notFitted).toEqual([
      {
        source: 'managed',
        index: 1,
        host: 'x*y*z*w.example',
        port: '443',
        reason: 'regex-unsupported',
        message: 'the browser refused its expression (memoryLimitExceeded)',
      },
    ]);
  });

  it('keeps regexes within the size Chromium accepted in measurement (about 170 characters per group)', async () => {
    const raw = Array.from({ length: 40 }, (_, index) => ({ host: `service-${index}.branch.example.net`, port: '', action: 'noCertificate' }));
    const { fit } = await compile(raw);
    for (const rule of fit.rules) expect(rule.condition.regexFilter.length).toBeLessThanOrEqual(220);
    expect(fit.rules.length).toBeLessThan(raw.length);
  });

  it('never produces a rule for allow rules', async () => {
    const { fit } = await compile([{ host: '*', port: '*', action: 'useEnrollmentCertificate' }]);
    expect(fit.rules).toEqual([]);
    const denies: NormalizedRule[] = [];
    expect(planGuardCandidates(denies)).toEqual([]);
  });
});
