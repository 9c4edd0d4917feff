import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRuleSet, compileSource, decide, normalizeHostPattern, normalizePortPattern } from '../../src/engine/index';
import { hostArb, hostPatternArb, portNumberArb, portPatternArb, ruleArb, rulesArb, targetArb, urlOf } from '../helpers/arbitraries';
import { propertyRuns, propertyTimeout } from '../helpers/property-runs';

const RUNS = propertyRuns(2_000);
const tried: Record<string, number> = {};
const count = (name: string) => {
  tried[name] = (tried[name] ?? 0) + 1;
};
afterAll(() => {
  for (const [name, runs] of Object.entries(tried)) console.log(`property "${name}": ${runs} cases tried`);
});

const decideWith = (rules: unknown[], url: string) => decide(buildRuleSet([compileSource('file', rules)]), url);

describe('engine properties', { timeout: propertyTimeout(60_000) }, () => {
  it('adding a deny rule never turns a decision into useEnrollmentCertificate', () => {
    fc.assert(
      fc.property(rulesArb, fc.record({ host: hostPatternArb, port: portPatternArb }), fc.nat(8), targetArb, (rules, deny, at, target) => {
        count('deny never widens');
        const before = decideWith(rules, urlOf(target));
        const withDeny = [...rules];
        withDeny.splice(Math.min(at, rules.length), 0, { ...deny, action: 'noCertificate' });
        const after = decideWith(withDeny, urlOf(target));
        if (after.decision === 'useEnrollmentCertificate') expect(before.decision).toBe('useEnrollmentCertificate');
      }),
      { numRuns: RUNS },
    );
  });

  it('path, query, fragment and userinfo never change the decision', () => {
    const extra = fc.record({
      path: fc.constantFrom('', 'a/b', 'acme.com', '%2e%2e/x'),
      query: fc.constantFrom('', '?q=1', '?host=evil.com'),
      fragment: fc.constantFrom('', '#x', '#evil.com'),
      userinfo: fc.constantFrom('', 'user@', 'evil.com:pw@', 'a%40b@'),
    });
    fc.assert(
      fc.property(rulesArb, targetArb, extra, (rules, target, parts) => {
        count('path/query/fragment/userinfo ignored');
        const port = target.port === '443' ? '' : `:${target.port}`;
        const decorated = `https://${parts.userinfo}${target.host}${port}/${parts.path}${parts.query}${parts.fragment}`;
        expect(decideWith(rules, decorated)).toEqual(decideWith(rules, urlOf(target)));
      }),
      { numRuns: RUNS },
    );
  });

  it('case and a trailing dot never change the decision', () => {
    fc.assert(
      fc.property(rulesArb, targetArb, fc.boolean(), fc.boolean(), (rules, target, upper, dot) => {
        count('case and trailing dot');
        const host = `${upper ? target.host.toUpperCase() : target.host.replace(/a/g, 'A')}${dot ? '.' : ''}`;
        const shouted = rules.map((rule) => ({ ...rule, host: dot ? `${rule.host.toUpperCase()}.` : rule.host.toUpperCase() }));
        expect(decideWith(shouted, urlOf({ host, port: target.port }))).toEqual(decideWith(rules, urlOf(target)));
      }),
      { numRuns: RUNS },
    );
  });

  it('an explicit :443 is the same as no port', () => {
    fc.assert(
      fc.property(rulesArb, hostArb, fc.constantFrom('https', 'wss'), (rules, host, scheme) => {
        count('explicit :443');
        expect(decideWith(rules, `${scheme}://${host}:443/`)).toEqual(decideWith(rules, `${scheme}://${host}/`));
      }),
      { numRuns: RUNS },
    );
  });

  it('non-TLS schemes are always notApplicable', () => {
    const scheme = fc.constantFrom('http', 'ws', 'ftp', 'file', 'chrome', 'chrome-extension', 'moz-extension', 'about', 'data', 'blob', 'mailto');
    fc.assert(
      fc.property(rulesArb, scheme, hostArb, portNumberArb, (rules, name, host, port) => {
        count('non-TLS is notApplicable');
        for (const url of [`${name}://${host}:${port}/`, `${name}:${host}`]) {
          // Strings the URL parser rejects (e.g. "http://acme.10/", a bad IPv4) fail closed instead.
          const expected = URL.canParse(url)
            ? { decision: 'notApplicable', reason: 'not-tls', rule: null }
            : { decision: 'noCertificate', reason: 'invalid-url', rule: null };
          expect(decideWith(rules, url)).toEqual(expected);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('normalising a pattern twice changes nothing', () => {
    const messy = fc
      .tuple(hostPatternArb, fc.boolean(), fc.boolean(), fc.boolean())
      .map(([host, upper, dot, spaces]) => `${spaces ? '  ' : ''}${upper ? host.toUpperCase() : host}${dot ? '.' : ''}${spaces ? ' ' : ''}`);
    fc.assert(
      fc.property(
        fc.oneof(messy, fc.constantFrom('MÜNCHEN.de', '[0:0:0:0:0:0:0:1]', 'fe80::1', 'a**b'), fc.string()),
        fc.oneof(portPatternArb, fc.string(), fc.integer()),
        (host, port) => {
          count('normalising is idempotent');
          const once = normalizeHostPattern(host);
          if (once.ok) expect(normalizeHostPattern(once.value)).toEqual(once);
          const portOnce = normalizePortPattern(port);
          if (portOnce.ok) expect(normalizePortPattern(portOnce.value)).toEqual(portOnce);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('rule order changes only which rule is reported, never the decision', () => {
    fc.assert(
      fc.property(
        fc
          .array(ruleArb, { minLength: 1, maxLength: 8 })
          .chain((rules) => fc.tuple(fc.constant(rules), fc.shuffledSubarray(rules, { minLength: rules.length }))),
        targetArb,
        ([rules, shuffled], target) => {
          count('order only changes the reported rule');
          const a = decideWith(rules, urlOf(target));
          const b = decideWith(shuffled, urlOf(target));
          expect({ decision: b.decision, reason: b.reason }).toEqual({ decision: a.decision, reason: a.reason });
        },
      ),
      { numRuns: RUNS },
    );
  });
});
