import { compileSource, explain, type Finding } from '../engine/index';
import { ConsoleError, type ConsoleClient } from '../console/index';
import { parseLocalSettings, type SettingKey } from '../config/index';
import { profileAdminAllowed } from '../shared/credential-owner';
import type { ConsoleProfileSummary, PopupState, SourceLabel, UrlEvaluation } from '../shared/messages';
import type { RuleSources } from '../shared/status';
import { STORAGE_KEYS } from '../shared/storage-keys';
import type { BackgroundParts } from './compose';
import { bypassedOrigins, clearBypasses, guardStatusView } from './guard-apply';
import { continueThroughGuard } from './guard-continue';
import { browser, dnrApi } from './platform';
import { HandlerError, type Handlers } from './router';
import { outcomeView, settingsView, syncStatusView } from './status-views';
import { REVISION_KEYS } from './wake-up/index';
import { backgroundConsoleClient } from './sync-service';

/** Why a profile request is refused while the policy's credentials are in force. */
export const PROFILE_ADMIN_REFUSED =
  "console profiles can be listed and changed only with your own sign-in (your console session in this browser, or credentials entered here), not with the account your organisation's policy supplies; the policy can allow it with allowProfileAdmin";

/** What the handlers use of the background. */
export type HandlerParts = Pick<BackgroundParts, 'rules' | 'guard' | 'sync' | 'tabs' | 'area'>;

/** Every request of src/shared/messages.ts, answered from the background's state. */
export function createHandlers(parts: HandlerParts): Handlers {
  const { rules, guard, sync, tabs, area } = parts;
  const syncStatus = async () =>
    syncStatusView({
      settings: rules.settings,
      state: rules.syncSummary,
      profile: rules.profileState(),
      inProgress: sync.runner.running,
      nextAlarmAt: await sync.nextAlarmAt().catch(() => null),
    });

  const exceptions = async (): Promise<string[]> => {
    const dnr = dnrApi();
    return dnr ? bypassedOrigins(dnr).catch(() => []) : [];
  };

  const sourceLabels = (): SourceLabel[] => (rules.ruleSet?.summaries ?? []).map((source) => ({ name: source.name, label: source.label ?? null }));

  const ruleSources = (): RuleSources => ({
    revision: rules.sourcesRevision,
    sources: rules.sourceViews(),
    localRules: rules.settings.values.localRules,
    rulesAvailable: rules.ruleSet !== null,
    unavailable: rules.unavailable,
  });

  const client = (): ConsoleClient => {
    try {
      return backgroundConsoleClient(rules.settings);
    } catch (error) {
      throw consoleFailure(error);
    }
  };

  const callConsole = async <T>(call: (console: ConsoleClient) => Promise<T>): Promise<T> => {
    try {
      return await call(client());
    } catch (error) {
      throw consoleFailure(error);
    }
  };

  /** Listing, reading and changing profiles: refused before any console call unless profileAdminAllowed. */
  const requireProfileAdmin = (): void => {
    if (!profileAdminAllowed(rules.settings)) throw new HandlerError('managed', PROFILE_ADMIN_REFUSED);
  };

  const adminConsole = async <T>(call: (console: ConsoleClient) => Promise<T>): Promise<T> => {
    requireProfileAdmin();
    return callConsole(call);
  };

  return {
    async getPopupState({ tabId }): Promise<PopupState> {
      const tab = await tabs.state(tabId);
      let current: PopupState['current'] = null;
      const url = tab?.url ?? (await browser.tabs.get(tabId).catch(() => null))?.url ?? null;
      if (url) {
        const judged = tab ? { url: tab.url, host: tab.host, port: tab.port, verdict: tab.verdict } : rules.judge(url);
        const rule = judged.verdict.rule;
        current = { ...judged, lint: rule ? await rules.lintFor(rule.source, rule.index) : [] };
      }
      return {
        tab,
        current,
        sources: sourceLabels(),
        rulesAvailable: rules.ruleSet !== null,
        unavailable: rules.unavailable,
        sync: await syncStatus(),
        exceptions: await exceptions(),
      };
    },

    async getTabState({ tabId }) {
      return tabs.state(tabId);
    },

    async evaluateUrl({ url }): Promise<UrlEvaluation> {
      const explanation = explain(rules.ruleSet, url);
      const lint: Record<string, Finding[]> = {};
      for (const rule of explanation.matched) lint[`${rule.source}:${rule.index}`] = await rules.lintFor(rule.source, rule.index);
      return { ...explanation, lint, sources: sourceLabels(), unavailable: rules.unavailable };
    },

    async getRuleSources() {
      await rules.full();
      return ruleSources();
    },

    async getRuleLint() {
      await rules.full();
      return { revision: rules.sourcesRevision, sources: rules.sourceLint().map(({ name, lint }) => ({ name, lint })) };
    },

    async getStatus() {
      await guard.settled();
      const bypassed = await exceptions();
      return {
        sync: await syncStatus(),
        settings: settingsView(rules.settings, rules.policyWarnings()),
        guard: guardStatusView(rules.settings.values.guard, guard.appliedState, guard.fingerprint(rules.settings.values.guard, rules.readable), bypassed),
      };
    },

    async syncNow() {
      if (!sync.configured()) throw new HandlerError('config', 'no management console is configured, so there is nothing to sync');
      return outcomeView(await sync.syncNow(), Date.now());
    },

    async setLocalRules({ rules: given }) {
      const mode = rules.settings.values.localRules;
      if (mode === 'none') throw new HandlerError('managed', "your organisation's policy does not allow local rules");
      const compiled = compileSource('local', given, { denyOnly: mode === 'denyOnly' });
      if (!compiled.accepted) {
        throw new HandlerError(
          'invalid-rules',
          `nothing was saved: ${compiled.errors.length} rule problem(s), e.g. ${compiled.errors[0]?.message ?? ''}`,
          compiled.errors,
        );
      }
      // Nothing invalid is ever saved, not even an allow rule the engine would merely drop.
      if (compiled.warnings.length > 0) {
        throw new HandlerError('invalid-rules', `nothing was saved: ${compiled.warnings[0]?.message ?? ''}`, compiled.warnings);
      }
      const at = Date.now();
      // With its revision in the same call: a wake-up then knows the compiled cache is out of date.
      await area.set({ [STORAGE_KEYS.localRules]: { rules: given, at }, [REVISION_KEYS.localRules]: String(at) });
      await rules.reload();
      return ruleSources();
    },

    async setLocalSettings({ settings }) {
      const locked = Object.keys(settings).filter((key) => rules.settings.origins[key as SettingKey] === 'policy');
      if (locked.length > 0) {
        throw new HandlerError('managed', `set by your organisation's policy, so it cannot be changed here: ${locked.join(', ')}`);
      }
      // null clears a local value (the default, or the policy's, applies again).
      const cleared = Object.keys(settings).filter((key) => settings[key] === null);
      const given = Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== null));
      const checked = parseLocalSettings(given);
      if (checked.errors.length > 0) {
        throw new HandlerError('invalid-request', checked.errors.map((issue) => `${issue.key}: ${issue.message}`).join('; '));
      }
      // Read, changed and written alone in the write queue: two quick saves both land.
      await area.update(async (local) => {
        const stored = (await local.get(STORAGE_KEYS.localSettings))[STORAGE_KEYS.localSettings];
        const next: Record<string, unknown> = { ...(parseLocalSettings(stored).values as Record<string, unknown>), ...checked.values };
        for (const key of cleared) delete next[key];
        await local.set({ [STORAGE_KEYS.localSettings]: next });
      });
      await rules.reload();
      return settingsView(rules.settings, rules.policyWarnings());
    },

    async guardContinue({ url }) {
      return continueThroughGuard({ mode: rules.settings.values.guard, ruleSet: rules.ruleSet, dnr: dnrApi() }, url);
    },

    async guardRemoveException({ origin }) {
      const dnr = dnrApi();
      if (dnr) await clearBypasses(dnr, origin);
      return { exceptions: await exceptions() };
    },

    async consoleAccount() {
      const user = await callConsole((console) => console.ping());
      return { email: user.email, admin: user.admin };
    },

    async consoleListProfiles() {
      return adminConsole(async (console) => {
        const [catalog, defaultId] = await Promise.all([console.catalog(), console.getDefaultProfileId()]);
        return catalog.map((profile): ConsoleProfileSummary => ({
          id: profile.id,
          name: profile.name ?? profile.id,
          description: profile.description ?? '',
          isDefault: profile.id === defaultId,
        }));
      });
    },

    async consoleGetProfile({ profileId }) {
      return adminConsole(async (console) => {
        const [profile, defaultId] = await Promise.all([console.getProfile(profileId), console.getDefaultProfileId()]);
        return {
          id: profile.id,
          name: profile.name ?? profile.id,
          description: profile.description ?? '',
          isDefault: profile.id === defaultId,
          rules: profile.rules,
          stamp: profile.stamp,
        };
      });
    },

    async consoleSaveProfile({ profileId, name, description, rules }) {
      requireProfileAdmin();
      const compiled = compileSource('profile', rules);
      if (!compiled.accepted) throw new HandlerError('invalid-rules', `nothing was saved: ${compiled.errors[0]?.message ?? 'invalid rules'}`, compiled.errors);
      return adminConsole(async (console) => {
        const id = profileId ?? (await console.createProfile({ name, description, rules }));
        if (profileId) await console.updateProfile(profileId, { name, description, rules });
        const defaultId = await console.getDefaultProfileId().catch(() => null);
        return { id, name, description, isDefault: id === defaultId };
      });
    },

    async consoleArchiveProfile({ profileId }) {
      await adminConsole((console) => console.archiveProfile(profileId));
      return { id: profileId };
    },

    async consoleSetDefaultProfile({ profileId }) {
      await adminConsole((console) => console.setDefaultProfile(profileId));
      return { id: profileId };
    },

    async getRulesInForce() {
      return { sources: rules.ruleSet?.sources ?? [], certificateFilter: rules.settings.values.certificateFilter };
    },
  };
}

function consoleFailure(error: unknown): unknown {
  if (error instanceof HandlerError) return error;
  if (error instanceof ConsoleError) return new HandlerError(`console:${error.kind}`, error.message);
  return error;
}
