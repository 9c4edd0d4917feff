/** Every storage key in one place, so no two parts of the extension disagree. */
export const STORAGE_KEYS = {
  /** storage.local: the sync engine's state (profile rules as delivered, last good, history). */
  syncState: 'syncState',
  /** storage.local: the sync state without the profile's rule array (status lines, scheduling), written with syncState. */
  syncSummary: 'syncSummary',
  /** storage.local: local settings (validated on read). */
  localSettings: 'localSettings',
  /** storage.local: local rules as the user saved them: {rules: raw array, at: epoch ms} (a bare array is read too). */
  localRules: 'localRules',
  /** storage.local: the last good managed rules (managed source's last-known-good). */
  managedLastGood: 'managedLastGood',
  /** storage.local: what the guard last put in the browser (so a restarted worker need not redo it; the pages show it). */
  guardState: 'guardState',
  /** storage.local: a fixed random per-install number used to spread sync times. */
  installSeed: 'installSeed',
  /** storage.session: per-tab state, one key per tab. */
  tabPrefix: 'tab:',
  /** storage.session: hosts the user chose to continue to under guard `warn`. */
  guardBypass: 'guardBypass',
} as const;

export const tabKey = (tabId: number) => `${STORAGE_KEYS.tabPrefix}${tabId}`;
