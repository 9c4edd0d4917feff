import type { PopupState, UrlEvaluation } from '../../../src/shared/messages';
import type { GuardStatus, RuleSources, SettingsView, SourceView, SyncStatus } from '../../../src/shared/status';
import type { TabState, VerdictView } from '../../../src/shared/tab-state';

export const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

export function syncStatus(overrides: Partial<SyncStatus> = {}): SyncStatus {
  return {
    configured: true,
    canSyncNow: true,
    inProgress: false,
    profileId: 'p-corp',
    profileName: 'Corporate',
    stamp: 's1',
    lastSuccessAt: NOW - 5 * 60_000,
    lastAttemptAt: NOW - 5 * 60_000,
    nextSyncAt: NOW + 175 * 60_000,
    lastError: null,
    stale: false,
    staleReason: null,
    history: [],
    ...overrides,
  };
}

export const verdicts = {
  allowed: {
    decision: 'useEnrollmentCertificate',
    reason: 'allow-rule',
    rule: { source: 'profile', index: 2, host: '*.acme.com', port: '443', action: 'useEnrollmentCertificate' },
  },
  excluded: { decision: 'noCertificate', reason: 'deny-rule', rule: { source: 'local', index: 0, host: 'evil.acme.com', port: '*', action: 'noCertificate' } },
  noRule: { decision: 'noCertificate', reason: 'no-match', rule: null },
  notTls: { decision: 'notApplicable', reason: 'not-tls', rule: null },
  unavailable: { decision: 'noCertificate', reason: 'no-rules', rule: null },
} satisfies Record<string, VerdictView>;

export function tabState(url: string, host: string | null, port: string | null, verdict: VerdictView, overrides: Partial<TabState> = {}): TabState {
  return { tabId: 7, url, host, port, verdict, endpoints: [], endpointsDropped: 0, clientAuthEvents: [], updatedAt: NOW, ...overrides };
}

export function popupState(
  verdict: VerdictView,
  overrides: Partial<PopupState> = {},
  where = { url: 'https://www.acme.com/', host: 'www.acme.com', port: '443' },
): PopupState {
  const tls = verdict.reason !== 'not-tls';
  const host = tls ? where.host : null;
  const port = tls ? where.port : null;
  return {
    tab: tabState(where.url, host, port, verdict),
    current: { url: where.url, host, port, verdict, lint: [] },
    sources: [
      { name: 'managed', label: null },
      { name: 'profile', label: 'Corporate' },
      { name: 'local', label: null },
    ],
    rulesAvailable: verdict.reason !== 'no-rules',
    unavailable: [],
    sync: syncStatus(),
    exceptions: [],
    ...overrides,
  };
}

export function source(name: SourceView['name'], rules: unknown[], overrides: Partial<SourceView> = {}): SourceView {
  return {
    name,
    label: name === 'profile' ? 'Corporate' : null,
    editable: name === 'local',
    lockReason: name === 'local' ? null : 'read-only',
    rules,
    inForce: true,
    errors: [],
    warnings: [],
    rejected: null,
    updatedAt: NOW - 60_000,
    ...overrides,
  };
}

/** The revision of the fixtures' rule sources; the fake sender's default lint answer is about it. */
export const FIXTURE_REVISION = 'fixture-revision';

export function ruleSources(overrides: Partial<RuleSources> = {}, local: unknown[] = []): RuleSources {
  return {
    revision: FIXTURE_REVISION,
    sources: [
      source('managed', [{ host: 'secure.acme.com', port: '443', action: 'useEnrollmentCertificate' }]),
      source('profile', [{ host: '*.acme.com', port: '', action: 'useEnrollmentCertificate' }]),
      source('local', local),
    ],
    localRules: 'all',
    rulesAvailable: true,
    unavailable: [],
    ...overrides,
  };
}

export function settingsView(overrides: Partial<SettingsView> = {}): SettingsView {
  return {
    values: {
      consoleUrl: 'https://console.example.com/mocana-app-control/rest/',
      authMode: 'form',
      username: 'admin@example.com',
      password: { set: true },
      token: { set: false },
      profileId: '',
      syncIntervalMinutes: 180,
      maxRuleAgeHours: 0,
      rules: null,
      localRules: 'all',
      guard: 'off',
      certificateFilter: {},
      allowProfileAdmin: false,
    },
    origins: {
      consoleUrl: 'local',
      authMode: 'local',
      username: 'local',
      password: 'local',
      token: 'default',
      profileId: 'default',
      syncIntervalMinutes: 'default',
      maxRuleAgeHours: 'default',
      rules: 'default',
      localRules: 'default',
      guard: 'default',
      certificateFilter: 'default',
      allowProfileAdmin: 'default',
    },
    managedPresent: false,
    policyErrors: [],
    policyWarnings: [],
    ...overrides,
  };
}

export function evaluation(overrides: Partial<UrlEvaluation>): UrlEvaluation {
  return {
    url: 'https://www.acme.com/',
    host: 'www.acme.com',
    port: '443',
    decision: 'noCertificate',
    reason: 'no-match',
    rule: null,
    matched: [],
    lint: {},
    sources: [
      { name: 'managed', label: null },
      { name: 'profile', label: 'Corporate' },
      { name: 'local', label: null },
    ],
    unavailable: [],
    ...overrides,
  };
}

export function guardStatus(overrides: Partial<GuardStatus> = {}): GuardStatus {
  return { mode: 'off', applied: true, browserRules: 0, denyRulesCovered: 0, denyRulesTotal: 0, notFitted: [], bypassed: [], error: null, ...overrides };
}
