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
 * A small model of how Chromium applies a declarativeNetRequest rule to a
 * top-level navigation: `requestDomains` matches the host (one trailing dot
 * ignored, as measured in Chromium 156) or any subdomain of it; `regexFilter`
 * is an RE2 search over the canonical URL, case-insensitive by default. The
 * compiled expressions use only syntax RE2 and JavaScript read alike.
 */
function dnrMatches(rule: GuardDnrRule, url: string): boolean {
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/\.$/, '').replace(/^\[|\]$/g, '');
  const domains = rule.condition.requestDomains;
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

const denyRuleArb = fc.record({
  host: fc.oneof({ weight: 6, arbitrary: hostPatternArb }, { weight: 1, arbitrary: ipv6PatternArb }),
  port: portPatternArb,
  action: actionArb,
});

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
  it('matches exactly the URLs the engine denies, and sends them to the guard page with the whole URL', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(denyRuleArb, { minLength: 1, maxLength: 10 }), fc.array(canonicalUrlArb, { minLength: 1, maxLength: 12 }), async (raw, urls) => {
        const { ruleSet, fit } = await compile(raw);
        expect(fit.notFitted).toEqual([]);
        for (const url of urls) {
          const engineDenies = decide(ruleSet, url).reason === 'deny-rule';
          const hit = fit.rules.find((rule) => dnrMatches(rule, url));
          expect(hit !== undefined, `${url} with ${JSON.stringify(raw)}`).toBe(engineDenies);
          if (hit) expect(redirectTarget(hit, url)).toBe(`${GUARD_PAGE}?url=${url}`);
        }
      }),
      { numRuns: RUNS },
    );
  }, 60_000);

  it('stays exact when the browser refuses large expressions and groups are split', async () => {
    const refuseLong = async (regex: string): Promise<RegexCheck> => (regex.length > 90 ? { ok: false, reason: 'memoryLimitExceeded' } : { ok: true });
    await fc.assert(
      fc.asyncProperty(fc.array(denyRuleArb, { minLength: 1, maxLength: 14 }), fc.array(canonicalUrlArb, { minLength: 1, maxLength: 10 }), async (raw, urls) => {
        const { ruleSet, denies, fit } = await compile(raw, { isSupported: refuseLong });
        const unfitted = new Set(fit.notFitted.map((gap) => `${gap.rule.host} ${gap.rule.port}`));
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
            const matching = ruleSet?.index.allMatches(new URL(url).hostname.replace(/\.$/, '').replace(/^\[|\]$/g, ''), new URL(url).port || '443').filter((rule) => rule.action === 'noCertificate') ?? [];
            for (const rule of matching) expect(unfitted.has(`${rule.host} ${rule.port}`)).toBe(true);
          }
        }
      }),
      { numRuns: RUNS },
    );
  }, 60_000);

  it('uses requestDomains with a regex that makes exact hosts exact and *.suffix exclude the apex', async () => {
    const { fit } = await compile([
      { host: 'acme.com', port: '', action: 'noCertificate' },
      { host: '*.corp.example', port: '', action: 'noCertificate' },
      { host: 'api.example', port: '8443', action: 'noCertificate' },
      { host: 'svc.example', port: '*443', action: 'noCertificate' },
    ]);
    const stops = (url: string) => fit.rules.some((rule) => dnrMatches(rule, url));
    expect(fit.rules.map((rule) => rule.condition.requestDomains)).toEqual([['acme.com'], ['corp.example'], ['api.example'], ['svc.example']]);
    expect(stops('https://acme.com/')).toBe(true);
    expect(stops('https://acme.com./x')).toBe(true);
    expect(stops('https://user@acme.com/')).toBe(true);
    expect(stops('https://www.acme.com/')).toBe(false);
    expect(stops('https://acme.com:8443/')).toBe(false);
    expect(stops('https://evilacme.com/')).toBe(false);
    expect(stops('https://a.corp.example/')).toBe(true);
    expect(stops('https://a.b.corp.example/')).toBe(true);
    expect(stops('https://corp.example/')).toBe(false);
    expect(stops('https://api.example:8443/')).toBe(true);
    expect(stops('https://api.example/')).toBe(false);
    expect(stops('https://svc.example/')).toBe(true);
    expect(stops('https://svc.example:10443/')).toBe(true);
    expect(stops('https://svc.example:4430/')).toBe(false);
    expect(stops('http://acme.com/')).toBe(false);
  });

  it('groups exact hosts and suffixes that share a port into one rule each', async () => {
    const raw = ['a.example', 'b.example', 'c.example'].map((host) => ({ host, port: '', action: 'noCertificate' }));
    raw.push({ host: '*.d.example', port: '', action: 'noCertificate' }, { host: '*.e.example', port: '', action: 'noCertificate' });
    const { fit } = await compile(raw);
    expect(fit.rules).toHaveLength(2);
    expect(fit.rules[0]?.condition.requestDomains).toEqual(['a.example', 'b.example', 'c.example']);
    expect([...fit.members.values()].map((members) => members.map((rule) => rule.index))).toEqual([[0, 1, 2], [3, 4]]);
  });

  it('reports the deny rules past the browser regex limit, earliest rules first in', async () => {
    const raw = Array.from({ length: 6 }, (_, index) => ({ host: `h${index}.*.example`, port: '', action: 'noCertificate' }));
    const { fit } = await compile(raw, { maxRegexRules: 4 });
    expect(fit.rules).toHaveLength(4);
    expect(fit.notFitted.map((gap) => [gap.rule.index, gap.reason])).toEqual([
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
      { isSupported: async (regex) => (regex.includes('x[') ? { ok: false, reason: 'memoryLimitExceeded' } : { ok: true }) },
    );
    expect(fit.rules).toHaveLength(1);
    expect(fit.notFitted).toEqual([expect.objectContaining({ reason: 'regex-unsupported', rule: expect.objectContaining({ index: 1 }) })]);
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
