import type { VerdictView } from '../shared/tab-state';
import { verdictKind, type VerdictKind } from '../shared/verdict-kind';

/** The five things the toolbar badge can say about a tab, plus an unreadable address. */
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
  unavailable: { text: '!', color: '#9a6700', titleKey: 'badgeTitleUnavailable' },
  invalid: { text: '?', color: '#57606a', titleKey: 'badgeTitleInvalid' },
};

/** Which badge a tab's top-level decision shows: the kind of verdict, as the extension's pages show it. */
export const badgeState: (verdict: Pick<VerdictView, 'reason'>) => BadgeState = verdictKind;

export function badgeFor(verdict: Pick<VerdictView, 'reason'>): Badge {
  const state = badgeState(verdict);
  return { state, ...BADGES[state] };
}

export const ALL_BADGES: readonly Badge[] = (Object.keys(BADGES) as BadgeState[]).map((state) => ({ state, ...BADGES[state] }));

/** The tooltip in words: the localised sentence for the state, naming the host when there is one. */
export function badgeTitle(badge: Badge, host: string | null, getMessage: (key: string, substitutions?: string[]) => string): string {
  const name = getMessage('extensionName') || 'Client Certificate Rules';
  const sentence = getMessage(badge.titleKey, [host ?? '']) || FALLBACK_TITLES[badge.state].replace('$1', host ?? '');
  return `${name}\n${sentence}`;
}

/** English fallbacks, used only when the locale files lack a key (e.g. in unit tests). */
export const FALLBACK_TITLES: Readonly<Record<BadgeState, string>> = {
  allowed: 'Certificate allowed: a rule lets $1 receive the enrollment certificate.',
  excluded: 'Certificate excluded: a noCertificate rule says $1 must not receive the enrollment certificate.',
  'no-match': 'No rule matched $1, so the enrollment certificate is not proposed.',
  'not-tls': 'Not a TLS page: no client certificate can be sent here.',
  unavailable: 'Rules unavailable: the extension has no usable rules yet, so no certificate is proposed.',
  invalid: 'This address could not be read, so no certificate is proposed.',
};
