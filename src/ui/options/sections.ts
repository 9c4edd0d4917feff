import type { MessageKey } from '../common/i18n';

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

/** The section a location hash names ("#tester"); the rules when it names none or an unknown one. */
export function sectionFromHash(hash: string): SectionId {
  const name = hash.replace(/^#/, '');
  return (SECTIONS as readonly string[]).includes(name) ? (name as SectionId) : 'rules';
}
