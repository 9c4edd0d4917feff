import { useMemo, useState } from 'preact/hooks';
import type { ConsoleProfile, ConsoleProfileSummary } from '../../shared/messages';
import type { Sender } from '../../shared/send';
import { useConfirm } from '../common/confirm-dialog';
import { errorCode, errorText } from '../common/errors';
import { t } from '../common/i18n';
import { useLoad } from '../common/use-async';
import { RuleEditor } from './rule-editor';
import { parseRuleQuery } from './rule-filter';
import { RuleFilterBox } from './rule-filter-box';
import { StatusLine } from './status-line';

/** A console refusal in words, with the failure kind an admin can look up. */
function refusal(error: unknown): string {
  const code = errorCode(error);
  return code ? t('profiles_refusedWithCode', errorText(error), code) : t('profiles_refused', errorText(error));
}

type Editing = { kind: 'existing'; profile: ConsoleProfile } | { kind: 'new' };

/**
 * Console profiles (administrators only), when profile administration may run
 * with the credentials in force (profileAdminAllowed): otherwise it says why
 * and asks the console nothing.
 */
export function ProfilesSection({ sender, allowed }: { sender: Sender; allowed: boolean }) {
  if (!allowed) {
    return (
      <p role="alert" class="lock-reason">
        {t('profiles_policyCredentials')}
      </p>
    );
  }
  return <ProfileAdmin sender={sender} />;
}

/** List, open in the rule editor, save, create, archive, make default. */
function ProfileAdmin({ sender }: { sender: Sender }) {
  const [catalog, reload] = useLoad(() => sender({ type: 'consoleListProfiles' }), [sender]);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [status, setStatus] = useState<{ text: string; error: boolean }>({ text: '', error: false });
  const [dialog, confirm] = useConfirm();

  const open = async (summary: ConsoleProfileSummary) => {
    setStatus({ text: t('profiles_opening', summary.name), error: false });
    try {
      const profile = await sender({ type: 'consoleGetProfile', profileId: summary.id });
      setEditing({ kind: 'existing', profile });
      setStatus({ text: '', error: false });
    } catch (error) {
      setStatus({ text: refusal(error), error: true });
    }
  };

  const act = async (summary: ConsoleProfileSummary, action: 'archive' | 'default') => {
    const archive = action === 'archive';
    const confirmed = await confirm({
      title: archive ? t('profiles_archiveTitle', summary.name) : t('profiles_defaultTitle', summary.name),
      body: <p>{archive ? t('profiles_archiveBody') : t('profiles_defaultBody')}</p>,
      confirmLabel: archive ? t('profiles_archive') : t('profiles_makeDefault'),
      danger: archive,
    });
    if (!confirmed) return;
    try {
      if (archive) await sender({ type: 'consoleArchiveProfile', profileId: summary.id });
      else await sender({ type: 'consoleSetDefaultProfile', profileId: summary.id });
      setStatus({ text: archive ? t('profiles_archived', summary.name) : t('profiles_madeDefault', summary.name), error: false });
      await reload();
    } catch (error) {
      setStatus({ text: refusal(error), error: true });
    }
  };

  return (
    <>
      {dialog}
      <StatusLine status={status} />
      {editing ? (
        <ProfileEditor
          key={editing.kind === 'existing' ? editing.profile.id : 'new'}
          editing={editing}
          sender={sender}
          confirm={confirm}
          onSaved={async (saved) => {
            setStatus({ text: t('profiles_saved', saved.name), error: false });
            await reload();
          }}
          onCreated={async (created) => {
            await reload();
            await open(created);
          }}
          onClose={() => setEditing(null)}
        />
      ) : (
        <>
          <div class="button-row">
            <button type="button" class="primary" onClick={() => setEditing({ kind: 'new' })}>
              {t('profiles_create')}
            </button>
            <button type="button" onClick={() => void reload()}>
              {t('profiles_refresh')}
            </button>
          </div>
          {catalog.state === 'loading' && <p role="status">{t('ui_loading')}</p>}
          {catalog.state === 'error' && (
            <p role="alert" class="error-text">
              {t('profiles_listFailed', catalog.message)}
            </p>
          )}
          {catalog.state === 'ready' && <ProfileList profiles={catalog.value} onOpen={open} onAct={act} />}
        </>
      )}
    </>
  );
}

function ProfileList({
  profiles,
  onOpen,
  onAct,
}: {
  profiles: ConsoleProfileSummary[];
  onOpen: (profile: ConsoleProfileSummary) => void;
  onAct: (profile: ConsoleProfileSummary, action: 'archive' | 'default') => void;
}) {
  if (profiles.length === 0) return <p>{t('profiles_none')}</p>;
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={t('profiles_caption')}>
      <table>
        <caption class="visually-hidden">{t('profiles_caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('profiles_name')}</th>
            <th scope="col">{t('profiles_description')}</th>
            <th scope="col">{t('profiles_default')}</th>
            <th scope="col">{t('profiles_actions')}</th>
          </tr>
        </thead>
        <tbody>
          {profiles.map((profile) => (
            <tr key={profile.id} data-profile-id={profile.id}>
              <th scope="row">
                {profile.name}
                <div class="muted mono">{profile.id}</div>
              </th>
              <td>{profile.description}</td>
              <td>{profile.isDefault ? t('profiles_isDefault') : ''}</td>
              <td>
                <div class="button-row">
                  <button type="button" onClick={() => onOpen(profile)} aria-label={t('profiles_openNamed', profile.name)}>
                    {t('profiles_open')}
                  </button>
                  {!profile.isDefault && (
                    <button type="button" onClick={() => onAct(profile, 'default')} aria-label={t('profiles_makeDefaultNamed', profile.name)}>
                      {t('profiles_makeDefault')}
                    </button>
                  )}
                  <button type="button" class="danger" onClick={() => onAct(profile, 'archive')} aria-label={t('profiles_archiveNamed', profile.name)}>
                    {t('profiles_archive')}
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ProfileEditor({
  editing,
  sender,
  confirm,
  onSaved,
  onCreated,
  onClose,
}: {
  editing: Editing;
  sender: Sender;
  confirm: ReturnType<typeof useConfirm>[1];
  onSaved: (saved: ConsoleProfileSummary) => Promise<void>;
  onCreated: (created: ConsoleProfileSummary) => Promise<void>;
  onClose: () => void;
}) {
  const profile = editing.kind === 'existing' ? editing.profile : null;
  const [savedName, setSavedName] = useState(profile?.name ?? '');
  const [savedDescription, setSavedDescription] = useState(profile?.description ?? '');
  const [name, setName] = useState(savedName);
  const [description, setDescription] = useState(savedDescription);
  const nameMissing = name.trim() === '';
  const [query, setQuery] = useState('');
  const terms = useMemo(() => parseRuleQuery(query), [query]);
  const title = profile ? t('profiles_editing', profile.name) : t('profiles_creating');
  return (
    <section aria-labelledby="profile-editor-heading" class="profile-editor">
      <h3 id="profile-editor-heading">{title}</h3>
      <button type="button" onClick={onClose}>
        {t('profiles_back')}
      </button>
      {profile && (
        <p class="muted">
          {t('profiles_idLabel')} <code>{profile.id}</code>
          {profile.stamp !== null && (
            <>
              {' · '}
              {t('sync_stamp')} <code>{profile.stamp}</code>
            </>
          )}
        </p>
      )}
      <div class="field">
        <label for="profile-name">{t('profiles_name')}</label>
        <input
          id="profile-name"
          type="text"
          required
          maxLength={200}
          value={name}
          aria-invalid={nameMissing ? 'true' : 'false'}
          aria-describedby="profile-name-msg"
          onInput={(event) => setName(event.currentTarget.value)}
        />
        <p id="profile-name-msg" class={nameMissing ? 'field-message error-text' : 'field-message'}>
          {nameMissing ? t('profiles_nameRequired') : ''}
        </p>
      </div>
      <div class="field">
        <label for="profile-description">{t('profiles_description')}</label>
        <textarea id="profile-description" rows={2} maxLength={2000} value={description} onInput={(event) => setDescription(event.currentTarget.value)} />
      </div>
      <RuleFilterBox id="profile-filter" value={query} onInput={setQuery} />
      <RuleEditor
        id="profile-editor"
        source="profile"
        sourceLabel={name.trim() || null}
        caption={title}
        terms={terms}
        initialRules={profile?.rules ?? []}
        denyOnly={false}
        saveLabel={profile ? t('profiles_saveToConsole') : t('profiles_createOnConsole')}
        extraDirty={name !== savedName || description !== savedDescription || !profile}
        extraInvalid={nameMissing}
        beforeSave={(rules) =>
          confirm({
            title: profile ? t('profiles_saveTitle', name.trim()) : t('profiles_createTitle', name.trim()),
            body: <p>{t('profiles_saveBody', rules.length)}</p>,
            confirmLabel: profile ? t('profiles_saveToConsole') : t('profiles_createOnConsole'),
          })
        }
        onSave={async (rules) => {
          let saved: ConsoleProfileSummary;
          try {
            saved = await sender({ type: 'consoleSaveProfile', profileId: profile?.id ?? null, name: name.trim(), description, rules });
          } catch (error) {
            // Say that the console refused, and why, keeping any rule findings for the editor.
            throw Object.assign(new Error(refusal(error)), { findings: (error as { findings?: unknown }).findings });
          }
          setSavedName(name);
          setSavedDescription(description);
          if (profile) await onSaved(saved);
          else await onCreated(saved);
        }}
      />
    </section>
  );
}
