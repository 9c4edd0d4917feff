import type { CertificateFilter, CertificatePrincipal } from '../../config/index';
import { Icon } from '../common/icon';
import { t, type MessageKey } from '../common/i18n';
import { FieldMessage } from './field-message';
import { StatusLine } from './status-line';

const WHO = ['issuer', 'subject'] as const;
const FIELDS = ['CN', 'O', 'OU', 'L'] as const;
type Who = (typeof WHO)[number];
type Field = (typeof FIELDS)[number];

/** The filter as typed: every field a string, '' when not given. */
export type FilterDraft = Record<Who, Record<Field, string>>;

const WHO_LABEL: Record<Who, MessageKey> = { issuer: 'browserPolicy_filterIssuer', subject: 'browserPolicy_filterSubject' };
const FIELD_LABEL: Record<Field, MessageKey> = {
  CN: 'browserPolicy_filterCN',
  O: 'browserPolicy_filterO',
  OU: 'browserPolicy_filterOU',
  L: 'browserPolicy_filterL',
};

export function draftOf(filter: CertificateFilter | null): FilterDraft {
  const principal = (who: Who) => Object.fromEntries(FIELDS.map((field) => [field, filter?.[who]?.[field] ?? ''])) as Record<Field, string>;
  return { issuer: principal('issuer'), subject: principal('subject') };
}

/** The filter a draft stands for; fields left empty (or only spaces) are not part of it. */
export function filterOf(draft: FilterDraft): CertificateFilter {
  const filter: CertificateFilter = {};
  for (const who of WHO) {
    const principal: CertificatePrincipal = {};
    for (const field of FIELDS) {
      const value = draft[who][field].trim();
      if (value !== '') principal[field] = value;
    }
    if (Object.keys(principal).length > 0) filter[who] = principal;
  }
  return filter;
}

export const FIRST_FILTER_FIELD_ID = 'filter-issuer-CN';

export interface CertificateFilterFormProps {
  draft: FilterDraft;
  onDraft: (next: FilterDraft) => void;
  /** Set by policy: shown, not editable. */
  locked: boolean;
  /** Why the draft cannot be used, or null. */
  problem: string | null;
  /** Whether the draft differs from the saved filter. */
  unsaved: boolean;
  busy: boolean;
  status: { text: string; error: boolean };
  onSave: () => void;
}

/**
 * The certificate filter of the export (the local `certificateFilter`
 * setting): which certificate Chrome and Edge may pick on the allowed sites.
 * The preview and the downloads follow the draft as it is typed.
 */
export function CertificateFilterForm({ draft, onDraft, locked, problem, unsaved, busy, status, onSave }: CertificateFilterFormProps) {
  const set = (who: Who, field: Field, value: string) => onDraft({ ...draft, [who]: { ...draft[who], [field]: value } });
  return (
    <form
      class="filter-form"
      aria-labelledby="filter-heading"
      onSubmit={(event) => {
        event.preventDefault();
        if (!locked && problem === null) onSave();
      }}
    >
      <h3 id="filter-heading">{t('browserPolicy_filterHeading')}</h3>
      <p id="filter-help" class="muted">
        {t('browserPolicy_filterHelp')}
      </p>
      {locked && (
        <p class="lock-reason">
          <Icon name="lock" /> {t('browserPolicy_filterLocked')}
        </p>
      )}
      <div class="filter-groups">
        {WHO.map((who) => (
          <fieldset key={who} class="filter-group">
            <legend>{t(WHO_LABEL[who])}</legend>
            {FIELDS.map((field) => {
              const id = `filter-${who}-${field}`;
              return (
                <div class="field" key={field}>
                  <label for={id}>{t('browserPolicy_filterField', t(WHO_LABEL[who]), t(FIELD_LABEL[field]))}</label>
                  <input
                    id={id}
                    type="text"
                    spellcheck={false}
                    autocomplete="off"
                    value={draft[who][field]}
                    disabled={locked}
                    aria-describedby="filter-help"
                    onInput={(event) => set(who, field, event.currentTarget.value)}
                  />
                </div>
              );
            })}
          </fieldset>
        ))}
      </div>
      <FieldMessage id="filter-msg" problem={problem} help={unsaved ? t('browserPolicy_filterUnsaved') : ''} />
      {!locked && (
        <div class="button-row">
          <button type="submit" disabled={busy || problem !== null || !unsaved}>
            {t('browserPolicy_filterSave')}
          </button>
        </div>
      )}
      <StatusLine status={status} />
    </form>
  );
}
