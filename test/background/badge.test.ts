import { describe, expect, it } from 'vitest';
import { allBadges, badgeFor, badgeTitle } from '../../src/background/badge';
import { ReasonSchema } from '../../src/engine/index';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/paths';

const messages = JSON.parse(readFileSync(path.join(REPO_ROOT, 'public/_locales/en/messages.json'), 'utf8')) as Record<string, { message: string }>;
const getMessage = (key: string, substitutions: string[] = []) =>
  (messages[key]?.message ?? '').replace(/\$(\d)/g, (_, digit: string) => substitutions[Number(digit) - 1] ?? '');

describe('toolbar badge', () => {
  it('gives each decision reason its state', () => {
    const states = Object.fromEntries(ReasonSchema.options.map((reason) => [reason, badgeFor({ reason }).state]));
    expect(states).toEqual({
      'allow-rule': 'allowed',
      'deny-rule': 'excluded',
      'no-match': 'no-match',
      'not-tls': 'not-tls',
      'no-rules': 'unavailable',
      'invalid-url': 'invalid',
    });
  });

  it('while the rules are not known yet, "no rules" is a badge of its own; every other reason keeps its state', () => {
    const states = Object.fromEntries(ReasonSchema.options.map((reason) => [reason, badgeFor({ reason }, true).state]));
    expect(states).toEqual({
      'allow-rule': 'allowed',
      'deny-rule': 'excluded',
      'no-match': 'no-match',
      'not-tls': 'not-tls',
      'no-rules': 'pending',
      'invalid-url': 'invalid',
    });
    const pending = badgeFor({ reason: 'no-rules' }, true);
    const unavailable = badgeFor({ reason: 'no-rules' }, false);
    expect(pending.text).not.toBe(unavailable.text);
    expect(pending.color).not.toBe(unavailable.color);
    expect(unavailable).toMatchObject({ text: '!', color: '#9a6700' });
    expect(badgeTitle(pending, null, getMessage)).toContain('Rules not known yet');
    expect(badgeTitle(unavailable, null, getMessage)).toContain('Rules unavailable');
  });

  it('tells allowed, excluded, no rule, not TLS, rules not known yet and rules unavailable apart by text and by colour', () => {
    const six = allBadges().filter((badge) => badge.state !== 'invalid');
    expect(six.map((badge) => badge.state).sort()).toEqual(['allowed', 'excluded', 'no-match', 'not-tls', 'pending', 'unavailable']);
    expect(new Set(six.map((badge) => badge.text)).size).toBe(6);
    expect(new Set(six.map((badge) => badge.color)).size).toBe(6);
    for (const badge of allBadges()) {
      expect(badge.text.length).toBeGreaterThan(0);
      expect(badge.text.length).toBeLessThanOrEqual(4);
      expect(badge.color).toMatch(/^#[0-9a-f]{6}$/);
    }
  });

  it('says it in words in the tooltip, from the locale file, naming the host', () => {
    for (const badge of allBadges()) {
      expect(messages[badge.titleKey]?.message, badge.titleKey).toBeTruthy();
      const title = badgeTitle(badge, 'intranet.acme.com', getMessage);
      expect(title.startsWith('Client Certificate Rules\n')).toBe(true);
      if (messages[badge.titleKey]?.message.includes('$1')) expect(title).toContain('intranet.acme.com');
    }
    expect(badgeTitle(badgeFor({ reason: 'deny-rule' }), 'a.example', getMessage)).toContain('must not receive');
  });

  it('still names the state when the locale lacks a key', () => {
    expect(badgeTitle(badgeFor({ reason: 'no-rules' }), null, () => '')).toBe('Client Certificate Rules\nunavailable');
    expect(badgeTitle(badgeFor({ reason: 'deny-rule' }), 'a.example', () => '')).toBe('Client Certificate Rules\nexcluded');
  });
});
