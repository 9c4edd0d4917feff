import { DEMO_ADMIN, DEMO_USER, type ConsoleSeed } from '../../console/emulator/index';

/**
 * The state the layout checks look at: every part of every page filled with
 * its longest usual content. A console profile whose rules draw lint notes
 * (the rules table's Notes column), local rules in the editor (the Action
 * select), a managed rule, and a sync history with an error in it.
 */
export const LAYOUT_PROFILE_ID = 'a1100000-0000-4000-8000-000000000001';
export const LAYOUT_HOSTS = {
  allowed: 'intranet.acme.test',
  denied: 'public.acme.test',
} as const;

export const LAYOUT_PROFILE_RULES = [
  { host: '*.acme.test', port: '*', action: 'useEnrollmentCertificate' },
  { host: LAYOUT_HOSTS.denied, port: '*', action: 'noCertificate' },
  // Covered by rule 1: lint notes it, and the note is the longest text of the table.
  { host: 'intranet.acme.test', port: '443', action: 'useEnrollmentCertificate' },
  { host: 'a-rather-long-host-name-for-the-reporting-service.eu-west.acme.test', port: '8443', action: 'noCertificate' },
];

export const LAYOUT_LOCAL_RULES = [
  { host: 'wiki.example.test', port: '*', action: 'noCertificate' },
  { host: '*example.test', port: '443', action: 'useEnrollmentCertificate' },
];

export const LAYOUT_MANAGED_RULES = [{ host: 'managed.example.test', port: '*', action: 'useEnrollmentCertificate' }];

export function layoutSeed(): ConsoleSeed {
  return {
    accounts: [DEMO_ADMIN, DEMO_USER],
    profiles: [{ id: LAYOUT_PROFILE_ID, name: 'Acme corporate', description: 'Layout checks', rules: LAYOUT_PROFILE_RULES }],
    defaultProfileId: LAYOUT_PROFILE_ID,
  };
}

/** The policy: the console as an admin (the profiles section shows its editor), local rules allowed, guard warn. */
export function layoutPolicy(consoleUrl: string | null): Record<string, unknown> {
  return {
    consoleUrl,
    authMode: 'form',
    username: DEMO_ADMIN.email,
    password: DEMO_ADMIN.password,
    rules: LAYOUT_MANAGED_RULES,
    localRules: 'all',
    guard: 'warn',
    syncIntervalMinutes: 60,
    allowProfileAdmin: true,
  };
}

/** The options page's sections, each as a person first sees it. */
export const OPTION_SECTIONS = ['rules', 'tester', 'sync', 'profiles', 'import', 'policy', 'browser-policy'] as const;
export type OptionSection = (typeof OPTION_SECTIONS)[number];
