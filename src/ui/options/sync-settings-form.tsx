import { useState } from 'preact/hooks';
import { consoleUrlFault } from '../../config/console-url';
import {
  AUTH_MODES,
  SYNC_INTERVAL_MINUTES,
  syncIntervalInRange,
  type AuthMode,
  type LocalSettingKey,
  type LocalSettings,
  type SecretKey,
} from '../../config/settings-schema';
import { profileAdminAllowed } from '../../shared/credential-owner';
import type { ConsoleProfileSummary } from '../../shared/messages';
import type { SettingsView } from '../../shared/status';
import type { Sender } from '../../shared/send';
import { errorText } from '../common/errors';
import { Icon } from '../common/icon';
import { t, type MessageKey } from '../common/i18n';
import { FieldMessage } from './field-message';

const { min: INTERVAL_MIN, max: INTERVAL_MAX } = SYNC_INTERVAL_MINUTES;

/** The words for each of config's verdicts on a console URL (consoleUrlFault): the same verdict the background gives. */
const URL_FAULT_TEXT: Record<NonNullable<ReturnType<typeof consoleUrlFault>>, MessageKey> = {
  'not-a-url': 'sync_urlInvalid',
  credentials: 'sync_urlCredentials',
  'plain-http': 'sync_urlNotHttps',
  scheme: 'sync_urlNotHttps',
};

/** The labels of the sign-in methods, in config's order (AUTH_MODES). */
const AUTH_MODE_TEXT: Record<AuthMode, MessageKey> = {
  form: 'sync_authForm',
  browserSession: 'sync_authBrowserSession',
  bearer: 'sync_authBearer',
};

/** Console URLs as config checks them: empty (no console), or https, or plain http to a loopback host; never with a user name or password. */
export function consoleUrlProblem(value: string): string | null {
  const fault = consoleUrlFault(value);
  return fault === null ? null : t(URL_FAULT_TEXT[fault]);
}

export function intervalProblem(value: string): string | null {
  if (value.trim() === '') return null;
  return syncIntervalInRange(Number(value)) ? null : t('sync_intervalRange', INTERVAL_MIN, INTERVAL_MAX);
}

/** Shown with a field that policy sets: it cannot be changed here. */
function LockNote({ locked }: { locked: boolean }) {
  return locked ? (
    <span class="lock-note">
      <Icon name="lock" /> {t('sync_setByPolicy')}
    </span>
  ) : null;
}

/**
 * A write-only secret (password, token): the field starts empty and says only
 * whether one is saved, and that what is typed is stored in clear.
 */
function SecretField(props: {
  id: string;
  label: string;
  autocomplete: string;
  value: string;
  saved: boolean;
  locked: boolean;
  onInput: (value: string) => void;
}) {
  const { id, locked } = props;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <input
        id={id}
        type="password"
        autocomplete={props.autocomplete}
        value={props.value}
        disabled={locked}
        aria-describedby={locked ? `${id}-msg` : `${id}-msg ${id}-storage`}
        onInput={(event) => props.onInput(event.currentTarget.value)}
      />
      <p id={`${id}-msg`} class="field-message muted">
        {props.saved ? t('sync_secretSaved') : t('sync_secretNotSaved')}
      </p>
      {/* A policy value is not stored in the extension's storage; what a user types is. */}
      {!locked && (
        <p id={`${id}-storage`} class="field-message storage-note">
          {t('sync_secretStoredInClear')}
        </p>
      )}
      <LockNote locked={locked} />
    </div>
  );
}

/**
 * The console settings a user may set when policy does not. The password and
 * token are write-only: the page only learns whether one is saved, and the
 * field is empty again after saving.
 */
export function SyncSettingsForm({ settings, sender, onSaved }: { settings: SettingsView; sender: Sender; onSaved: (next: SettingsView) => void }) {
  const values = settings.values;
  const locked = (key: LocalSettingKey) => settings.origins[key] === 'policy';
  const [consoleUrl, setConsoleUrl] = useState(values.consoleUrl);
  const [authMode, setAuthMode] = useState<AuthMode>(values.authMode);
  const [username, setUsername] = useState(values.username);
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [profileId, setProfileId] = useState(values.profileId);
  const [interval, setIntervalText] = useState(String(values.syncIntervalMinutes));
  const [catalog, setCatalog] = useState<{ profiles: ConsoleProfileSummary[] } | { error: string } | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);

  const urlProblem = consoleUrlProblem(consoleUrl);
  const intervalMessage = intervalProblem(interval);
  const invalid = urlProblem !== null || intervalMessage !== null;

  const loadCatalog = async () => {
    setCatalog(null);
    try {
      setCatalog({ profiles: await sender({ type: 'consoleListProfiles' }) });
    } catch (error) {
      setCatalog({ error: errorText(error) });
    }
  };

  const save = async (event: Event) => {
    event.preventDefault();
    if (invalid) return;
    const next: LocalSettings = {};
    if (!locked('consoleUrl')) next.consoleUrl = consoleUrl.trim();
    if (!locked('authMode')) next.authMode = authMode;
    if (!locked('username')) next.username = username.trim();
    if (!locked('password') && password !== '') next.password = password;
    if (!locked('token') && token !== '') next.token = token;
    if (!locked('profileId')) next.profileId = profileId.trim();
    if (!locked('syncIntervalMinutes') && interval.trim() !== '') next.syncIntervalMinutes = Number(interval);
    setBusy(true);
    setStatus(t('sync_saving'));
    try {
      const saved = await sender({ type: 'setLocalSettings', settings: next });
      // Write-only: forget what was typed once the background has it.
      setPassword('');
      setToken('');
      setStatus(t('sync_saved'));
      onSaved(saved);
    } catch (error) {
      setStatus(t('sync_saveFailed', errorText(error)));
    } finally {
      setBusy(false);
    }
  };

  const lockNote = (key: LocalSettingKey) => <LockNote locked={locked(key)} />;

  const profiles = catalog && 'profiles' in catalog ? catalog.profiles : null;
  // Listing the profiles with the policy's account would let a user pick a more permissive one.
  const catalogAllowed = !locked('profileId') && profileAdminAllowed(settings);
  const secretSaved = (key: SecretKey) => values[key].set;

  return (
    <form class="settings-form" onSubmit={save} aria-labelledby="sync-settings-heading">
      <h3 id="sync-settings-heading">{t('sync_settingsHeading')}</h3>
      <div class="field">
        <label for="sync-console-url">{t('sync_consoleUrl')}</label>
        <input
          id="sync-console-url"
          type="text"
          inputMode="url"
          spellcheck={false}
          autocomplete="url"
          placeholder="https://console.example.com/mocana-app-control/rest/"
          value={consoleUrl}
          disabled={locked('consoleUrl')}
          aria-invalid={urlProblem ? 'true' : 'false'}
          aria-describedby="sync-console-url-msg"
          onInput={(event) => setConsoleUrl(event.currentTarget.value)}
        />
        <FieldMessage id="sync-console-url-msg" problem={urlProblem} help={t('sync_consoleUrlHelp')} />
        {lockNote('consoleUrl')}
      </div>
      <div class="field">
        <label for="sync-auth-mode">{t('sync_authMode')}</label>
        <select id="sync-auth-mode" value={authMode} disabled={locked('authMode')} onChange={(event) => setAuthMode(event.currentTarget.value as AuthMode)}>
          {AUTH_MODES.map((mode) => (
            <option key={mode} value={mode}>
              {t(AUTH_MODE_TEXT[mode])}
            </option>
          ))}
        </select>
        {lockNote('authMode')}
      </div>
      {authMode === 'form' && (
        <>
          <div class="field">
            <label for="sync-username">{t('sync_username')}</label>
            <input
              id="sync-username"
              type="email"
              autocomplete="username"
              value={username}
              disabled={locked('username')}
              onInput={(event) => setUsername(event.currentTarget.value)}
            />
            {lockNote('username')}
          </div>
          <SecretField
            id="sync-password"
            label={t('sync_password')}
            autocomplete="new-password"
            value={password}
            saved={secretSaved('password')}
            locked={locked('password')}
            onInput={setPassword}
          />
        </>
      )}
      {authMode === 'bearer' && (
        <SecretField
          id="sync-token"
          label={t('sync_token')}
          autocomplete="off"
          value={token}
          saved={secretSaved('token')}
          locked={locked('token')}
          onInput={setToken}
        />
      )}
      {authMode === 'browserSession' && <p class="muted">{t('sync_browserSessionHelp')}</p>}
      <div class="field">
        <label for="sync-profile">{t('sync_profile')}</label>
        {profiles ? (
          <select id="sync-profile" value={profileId} disabled={locked('profileId')} onChange={(event) => setProfileId(event.currentTarget.value)}>
            <option value="">{t('sync_profileDefault')}</option>
            {profileId !== '' && !profiles.some((profile) => profile.id === profileId) && <option value={profileId}>{profileId}</option>}
            {profiles.map((profile) => (
              <option key={profile.id} value={profile.id}>
                {profile.isDefault ? t('sync_profileIsDefault', profile.name) : profile.name}
              </option>
            ))}
          </select>
        ) : (
          <input
            id="sync-profile"
            type="text"
            spellcheck={false}
            autocomplete="off"
            value={profileId}
            disabled={locked('profileId')}
            aria-describedby="sync-profile-msg"
            onInput={(event) => setProfileId(event.currentTarget.value)}
          />
        )}
        <p id="sync-profile-msg" class="field-message muted">
          {catalog && 'error' in catalog ? t('sync_catalogFailed', catalog.error) : t('sync_profileHelp')}
        </p>
        {catalogAllowed && (
          <button type="button" onClick={loadCatalog}>
            {t('sync_loadCatalog')}
          </button>
        )}
        {!locked('profileId') && !catalogAllowed && <p class="field-message muted">{t('sync_catalogNotAllowed')}</p>}
        {lockNote('profileId')}
      </div>
      <div class="field">
        <label for="sync-interval">{t('sync_interval')}</label>
        <input
          id="sync-interval"
          type="number"
          min={INTERVAL_MIN}
          max={INTERVAL_MAX}
          step={1}
          value={interval}
          disabled={locked('syncIntervalMinutes')}
          aria-invalid={intervalMessage ? 'true' : 'false'}
          aria-describedby="sync-interval-msg"
          onInput={(event) => setIntervalText(event.currentTarget.value)}
        />
        <FieldMessage id="sync-interval-msg" problem={intervalMessage} help={t('sync_intervalHelp', INTERVAL_MIN, INTERVAL_MAX)} />
        {lockNote('syncIntervalMinutes')}
      </div>
      <div class="button-row">
        <button type="submit" class="primary" disabled={invalid || busy}>
          {t('sync_saveSettings')}
        </button>
        <p role="status">{status}</p>
      </div>
    </form>
  );
}
