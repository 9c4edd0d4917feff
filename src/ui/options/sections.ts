import type { MessageKey } from '../common/i18n';
import { ruleFromHash, type RuleRef } from '../common/rule-link';

export const SECTIONS = ['rules', 'tester', 'sync', 'profiles', 'import', 'policy', 'browser-policy'] as const;
export type SectionId = (typeof SECTIONS)[number];

export const SECTION_TITLES: Record<SectionId, MessageKey> = {
  rules: 'options_sectionRules',
  tester: 'options_sectionTester',
  sync: 'options_sectionSync',
  profiles: 'options_sectionProfiles',
  import: 'options_sectionImport',
  policy: 'options_sectionPolicy',
  'browser-policy': 'options_sectionBrowserPolicy',
};

/** The section a location hash names ("#tester"); the rules when it names none, an unknown one, or a rule. */
export function sectionFromHash(hash: string): SectionId {
  const name = hash.replace(/^#/, '');
  return (SECTIONS as readonly string[]).includes(name) ? (name as SectionId) : 'rules';
}

/** Where a location hash points: a section, and the rule to show there ("#rule=profile:16" is a row of the rules section). */
export function locationFromHash(hash: string): { section: SectionId; rule: RuleRef | null } {
  const rule = ruleFromHash(hash);
  return rule ? { section: 'rules', rule } : { section: sectionFromHash(hash), rule: null };
}
