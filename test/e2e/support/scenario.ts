import { DEMO_ADMIN, DEMO_USER, type ConsoleSeed } from '../../console/emulator/index';

/**
 * The rules the end-to-end tests run against, on hostnames under .acme.test
 * and .example.test (mapped to 127.0.0.1). The console's default profile:
 */
export const E2E_PROFILE_ID = 'e2e00000-0000-4000-8000-000000000001';
export const E2E_PROFILE_NAME = 'E2E corporate';
export const PROFILE_RULES = [
  // 0: every acme.test subdomain may receive the certificate, on any port.
  { host: '*.acme.test', port: '*', action: 'useEnrollmentCertificate' },
  // 1: except this host,
  { host: 'deny.acme.test', port: '*', action: 'noCertificate' },
  // 2: and every subdomain of blocked.acme.test (but not blocked.acme.test itself).
  { host: '*.blocked.acme.test', port: '*', action: 'noCertificate' },
];

/** Rules in the managed policy (source `managed`, before the profile's). */
export const MANAGED_RULES = [
  { host: 'managed-allow.example.test', port: '*', action: 'useEnrollmentCertificate' },
  { host: 'managed-deny.acme.test', port: '*', action: 'noCertificate' },
  // A pattern that ends in a star (compiled with care for the trailing dot of a host).
  { host: 'intranet.*', port: '*', action: 'noCertificate' },
];

export const HOSTS = {
  allowed: 'allowed.acme.test',
  image: 'img.acme.test',
  deny: 'deny.acme.test',
  blocked: 'www.blocked.acme.test',
  blockedOther: 'other.blocked.acme.test',
  blockedApex: 'blocked.acme.test',
  unmatched: 'nomatch.example.test',
  managedAllow: 'managed-allow.example.test',
  managedDeny: 'managed-deny.acme.test',
  intranet: 'intranet.acme.test',
  localDeny: 'local-deny.acme.test',
  mtls: 'mtls.acme.test',
  plain: 'plain.acme.test',
} as const;

export function e2eSeed(): ConsoleSeed {
  return {
    accounts: [DEMO_ADMIN, DEMO_USER],
    profiles: [
      { id: E2E_PROFILE_ID, name: E2E_PROFILE_NAME, description: 'Default profile for the end-to-end tests', rules: PROFILE_RULES },
      {
        id: 'e2e00000-0000-4000-8000-000000000002',
        name: 'Not the default',
        description: 'Must not be synced',
        rules: [{ host: '*', port: '*', action: 'useEnrollmentCertificate' }],
      },
    ],
    defaultProfileId: E2E_PROFILE_ID,
  };
}

export const E2E_USER = DEMO_USER;
