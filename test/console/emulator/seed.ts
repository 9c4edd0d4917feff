/**
 * Seed data for the console emulator: demo accounts and realistic Client
 * Certificates profiles. Ids are fixed so tests and manual use can name them.
 */
export interface SeedAccount {
  email: string;
  password: string;
  /** Accepted as `Authorization: Bearer <token>`. */
  token: string;
  admin: boolean;
  id: string;
}

export interface SeedProfile {
  id: string;
  name: string;
  description: string;
  rules: unknown[];
}

export interface ConsoleSeed {
  accounts: SeedAccount[];
  profiles: SeedProfile[];
  defaultProfileId: string | null;
}

export const DEMO_ADMIN: SeedAccount = {
  email: 'admin@example.com',
  password: 'demo-admin-password',
  token: 'demo-admin-token',
  admin: true,
  id: '1',
};

export const DEMO_USER: SeedAccount = {
  email: 'user@example.com',
  password: 'demo-user-password',
  token: 'demo-user-token',
  admin: false,
  id: '2',
};

export const CORPORATE_PROFILE_ID = '98098be0-2efe-4cd2-a7cd-bb99a39219fa';
export const PATTERNS_PROFILE_ID = '5c1d3e2a-7b4f-4e8a-9c6d-0a1b2c3d4e5f';
export const LARGE_PROFILE_ID = 'e7a9b0c1-d2e3-4f56-8789-9a0b1c2d3e4f';
export const POLICY_ID = 'c0ffee00-1c2d-4e3f-8a9b-0c1d2e3f4a5b';

/** A small corporate profile: the intranet and VPN get the certificate, a public subdomain never does. */
export const CORPORATE_RULES = [
  { host: '*.corp.example.com', port: '', action: 'useEnrollmentCertificate' },
  { host: 'vpn.example.com', port: '*443', action: 'useEnrollmentCertificate' },
  { host: 'mail.example.com', port: '443', action: 'useEnrollmentCertificate' },
  { host: 'public.corp.example.com', port: '*', action: 'noCertificate' },
];

/** Every pattern form docs/rules.md documents, all valid. */
export const PATTERN_RULES: unknown[] = [
  { host: '*.acme.com', port: '', action: 'useEnrollmentCertificate' },
  { host: '*acme.org', port: '443', action: 'useEnrollmentCertificate' },
  { host: 'any-port.example.com', port: '*', action: 'useEnrollmentCertificate' },
  { host: 'tls-ports.example.com', port: '*443', action: 'useEnrollmentCertificate' },
  { host: 'numeric-port.example.com', port: 8443, action: 'useEnrollmentCertificate' },
  { host: 'null-port.example.com', port: null, action: 'useEnrollmentCertificate' },
  { host: 'missing-port.example.com', action: 'useEnrollmentCertificate' },
  { host: 'leading-zero.example.com', port: '08443', action: 'useEnrollmentCertificate' },
  { host: '  Mixed.Case.EXAMPLE.com.  ', port: ' 443 ', action: 'useEnrollmentCertificate' },
  { host: 'münchen.example', port: '', action: 'useEnrollmentCertificate' },
  { host: '10.20.30.40', port: '', action: 'useEnrollmentCertificate' },
  { host: '[2001:db8::1]', port: '', action: 'useEnrollmentCertificate' },
  { host: '0:0:0:0:0:0:0:1', port: '', action: 'useEnrollmentCertificate' },
  { host: 'double**star.example.com', port: '**443', action: 'useEnrollmentCertificate' },
  { host: 'svc_account.example.com', port: '', action: 'useEnrollmentCertificate', comment: 'extra keys are ignored' },
  { host: 'blocked.acme.com', port: '*', action: 'noCertificate' },
];

/** Exactly 5,000 rules: the most a profile may hold. */
export function largeRules(count = 5000): unknown[] {
  const rules: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const deny = i % 97 === 0;
    rules.push({
      host: `app-${i}.branch-${i % 50}.example.net`,
      port: i % 3 === 0 ? '' : i % 3 === 1 ? '*443' : String(8000 + (i % 1000)),
      action: deny ? 'noCertificate' : 'useEnrollmentCertificate',
    });
  }
  return rules;
}

export function defaultSeed(): ConsoleSeed {
  return {
    accounts: [DEMO_ADMIN, DEMO_USER],
    profiles: [
      { id: CORPORATE_PROFILE_ID, name: 'Corporate', description: 'Default Profile', rules: CORPORATE_RULES },
      { id: PATTERNS_PROFILE_ID, name: 'Every pattern form', description: 'One rule per documented pattern form', rules: PATTERN_RULES },
      { id: LARGE_PROFILE_ID, name: 'Large (5,000 rules)', description: 'The most rules a profile may hold', rules: largeRules() },
    ],
    defaultProfileId: CORPORATE_PROFILE_ID,
  };
}
