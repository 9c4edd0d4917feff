import type { VerdictView } from '../shared/tab-state';
import { verdictKind, type VerdictKind } from '../shared/verdict-kind';

/** What the toolbar badge can say about a tab: the five decisions, rules not known yet, and an unreadable address. */
export type BadgeState = VerdictKind;

export interface Badge {
  state: BadgeState;
  /** At most a few characters: the badge is tiny. Never empty, so every state is visible. */
  text: string;
  /** Background colour; each state has its own, all readable with white text. */
  color: string;
  /** _locales key of the tooltip; its one substitution is the host. */
  titleKey: string;
}

const BADGES: Readonly<Record<BadgeState, Omit<Badge, 'state'>>> = {
  allowed: { text: '✓', color: '#1a7f37', titleKey: 'badgeTitleAllowed' },
  excluded: { text: '✕', color: '#b42318', titleKey: 'badgeTitleExcluded' },
  'no-match': { text: '–', color: '#57606a', titleKey: 'badgeTitleNoMatch' },
  'not-tls': { text: '·', color: '#8c959f', titleKey: 'badgeTitleNotTls' },
  pending: { text: '…', color: '#0969da', titleKey: 'badgeTitlePending' },
  unavailable: { text: '!', color: '#9a6700', titleKey: 'badgeTitleUnavailable' },
  invalid: { text: '?', color: '#57606a', titleKey: 'badgeTitleInvalid' },
};

/**
 * Which badge a tab's top-level decision shows: the kind of verdict, as the
 * extension's pages show it. `pending`: the rules are not known yet
 * (rulesNotKnownYet), so "no rules" is shown as waiting, not as a failure.
 */
export const badgeState: (verdict: Pick<VerdictView, 'reason'>, pending?: boolean) => BadgeState = verdictKind;

export function badgeFor(verdict: Pick<VerdictView, 'reason'>, pending = false): Badge {
  const state = badgeState(verdict, pending);
  return { state, ...BADGES[state] };
}

/** Every badge (for tests and the deployment guide; a function, so the worker's bundle leaves it out). */
export function allBadges(): readonly Badge[] {
  return (Object.keys(BADGES) as BadgeState[]).map((state) => ({ state, ...BADGES[state] }));
}

/**
 * The tooltip in words: the localised sentence for the state, naming the host
 * when there is one. The locale files always ship with the extension; were a
 * key missing, the state's name still tells the states apart.
 */
export function badgeTitle(badge: Badge, host: string | null, getMessage: (key: string, substitutions?: string[]) => string): string {
  const name = getMessage('extensionName') || 'Client Certificate Rules';
  return `${name}\n${getMessage(badge.titleKey, [host ?? '']) || badge.state}`;
}
