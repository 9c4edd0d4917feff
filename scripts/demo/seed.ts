import { DEMO_ADMIN, defaultSeed, type ConsoleSeed } from '../../test/console/emulator/index';

/**
 * What the demo shows: the console's default profile "Acme demo" and the
 * sites it decides. Every name is under .acme.test or .example.test, which the
 * demo browser maps to 127.0.0.1 (--host-resolver-rules); the sites run on
 * loopback ports chosen at start, so the rules match any port.
 */
export const DEMO_PROFILE_ID = 'ac3e0000-de30-4000-8000-000000000001';
export const DEMO_PROFILE_NAME = 'Acme demo';

export const DEMO_RULES = [
  // 0: the company's own sites receive the enrollment certificate,
  { host: '*.acme.test', port: '*', action: 'useEnrollmentCertificate' },
  // 1: except its public web site, which must never see it.
  { host: 'public.acme.test', port: '*', action: 'noCertificate' },
  // 2: a partner's VPN, on the standard port only.
  { host: 'vpn.example.test', port: '443', action: 'useEnrollmentCertificate' },
];

export const DEMO_HOSTS = {
  intranet: 'intranet.acme.test',
  public: 'public.acme.test',
  unmatched: 'www.example.test',
  /** Demands a client certificate (the mTLS server): the popup lists the failed request. */
  mtls: 'login.acme.test',
  /** A third-party image on the intranet page: an endpoint no rule matches. */
  cdn: 'cdn.example.test',
} as const;

/** The emulator's usual data (accounts, the Corporate profiles) with the demo profile as the default. */
export function demoSeed(): ConsoleSeed {
  const seed = defaultSeed();
  return {
    ...seed,
    profiles: [{ id: DEMO_PROFILE_ID, name: DEMO_PROFILE_NAME, description: 'Default profile of the npm start demo', rules: DEMO_RULES }, ...seed.profiles],
    defaultProfileId: DEMO_PROFILE_ID,
  };
}

/** The extension's settings for the demo: the console with a read-only account, guard `warn`. */
export function demoSettings(consoleUrl: string): Record<string, unknown> {
  return {
    consoleUrl,
    authMode: 'form',
    username: DEMO_ADMIN.email,
    password: DEMO_ADMIN.password,
    guard: 'warn',
    syncIntervalMinutes: 30,
  };
}
