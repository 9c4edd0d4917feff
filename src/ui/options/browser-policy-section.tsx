import { useEffect, useState } from 'preact/hooks';
import type { CertificateFilter } from '../../config/index';
// The small filter module only: the compiler itself loads when this section opens.
import { filterProblem, isEmptyFilter, NO_CERTIFICATE_FILTER_NOTE } from '../../engine/policy/cert-filter';
import type { Sender } from '../../shared/send';
import { errorText } from '../common/errors';
import { t, type MessageKey } from '../common/i18n';
import { ruleNumberText, sourceText } from '../common/rule-text';
import { useLoad } from '../common/use-async';
import type { SourceName } from '../../engine/model';
import { CertificateFilterForm, draftOf, filterOf, FIRST_FILTER_FIELD_ID, type FilterDraft } from './certificate-filter-form';
import type { Downloader } from './download';
import { FieldMessage } from './field-message';
import type { PolicyExportView } from './policy-export';

/**
 * The rules in force, compiled here in the page: the policy compiler is loaded
 * only when this section opens (it is as large as the rest of the page).
 */
async function exportPolicy(sender: Sender, format: string, ports: number[] | undefined, filter: CertificateFilter | undefined): Promise<PolicyExportView> {
  const [inForce, { policyExport }] = await Promise.all([sender({ type: 'getRulesInForce' }), import('./policy-export')]);
  return policyExport(inForce, format, ports, filter);
}

/** The certificate filter in force and whether policy sets it. */
async function loadFilterSetting(sender: Sender): Promise<{ filter: CertificateFilter | null; locked: boolean }> {
  const [inForce, status] = await Promise.all([sender({ type: 'getRulesInForce' }), sender({ type: 'getStatus' })]);
  return { filter: inForce.certificateFilter, locked: status.settings.origins['certificateFilter'] === 'policy' };
}

/** `value`, once it has stayed the same for `ms` (the exact check reruns on each change of the preview's filter). */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export const POLICY_FORMATS: readonly [string, MessageKey][] = [
  ['chrome-json', 'browserPolicy_chromeJson'],
  ['chrome-reg', 'browserPolicy_chromeReg'],
  ['chrome-mobileconfig', 'browserPolicy_chromeMobileconfig'],
  ['edge-json', 'browserPolicy_edgeJson'],
  ['edge-reg', 'browserPolicy_edgeReg'],
  ['edge-mobileconfig', 'browserPolicy_edgeMobileconfig'],
  ['firefox-json', 'browserPolicy_firefoxJson'],
];

const OUTCOMES: Record<string, MessageKey> = {
  exact: 'browserPolicy_outcomeExact',
  narrower: 'browserPolicy_outcomeNarrower',
  'not-expressible': 'browserPolicy_outcomeNotExpressible',
};

const SOURCES: readonly string[] = ['managed', 'profile', 'local', 'file'];

/** Ports typed as "443, 8443": a list, or the reason it is not one. */
export function parsePorts(text: string): { ok: true; ports: number[] | undefined } | { ok: false } {
  if (text.trim() === '') return { ok: true, ports: undefined };
  const parts = text.split(/[\s,]+/).filter(Boolean);
  const ports = parts.map(Number);
  if (ports.some((port) => !Number.isInteger(port) || port < 1 || port > 65535)) return { ok: false };
  return { ok: true, ports };
}

/** The rules compiled to the browsers' own certificate policy: what translates, and files to deploy. */
export function BrowserPolicySection({ sender, download }: { sender: Sender; download: Downloader }) {
  const [format, setFormat] = useState('chrome-json');
  const [portsText, setPortsText] = useState('');
  const ports = parsePorts(portsText);
  const portList = ports.ok ? ports.ports : undefined;
  const [setting, reloadSetting] = useLoad(() => loadFilterSetting(sender), [sender]);
  const [draft, setDraft] = useState<FilterDraft | null>(null);
  useEffect(() => {
    if (setting.state === 'ready' && draft === null) setDraft(draftOf(setting.value.filter));
  }, [setting]);
  // Until the setting is read, the export uses the filter in force (undefined: policyExport's default).
  const filter = draft ? filterOf(draft) : undefined;
  const filterKey = JSON.stringify(filter ?? null);
  const previewKey = useSettled(filterKey, 300);
  const problem = filter ? filterProblem(filter) : null;
  const saved = setting.state === 'ready' ? setting.value : null;
  const locked = saved?.locked ?? false;
  const unsaved = saved !== null && filter !== undefined && JSON.stringify(filter) !== JSON.stringify(filterOf(draftOf(saved.filter)));
  const anyCertificate = isEmptyFilter(filter ?? saved?.filter ?? {});
  const [view] = useLoad<PolicyExportView>(
    () => exportPolicy(sender, format, portList, filterOfKey(previewKey)),
    [sender, format, portList?.join(','), previewKey],
  );
  const [status, setStatus] = useState<{ text: string; error: boolean }>({ text: '', error: false });
  const [saving, setSaving] = useState<{ busy: boolean; text: string; error: boolean }>({ busy: false, text: '', error: false });

  const downloadFormat = async (name: string) => {
    try {
      const exported = await exportPolicy(sender, name, portList, filter);
      download(exported.filename, exported.mimeType, exported.text);
      setStatus({ text: t('browserPolicy_downloaded', exported.filename), error: false });
    } catch (error) {
      setStatus({ text: t('browserPolicy_failed', errorText(error)), error: true });
    }
  };

  const saveFilter = async () => {
    if (!filter) return;
    setSaving({ busy: true, text: t('sync_saving'), error: false });
    try {
      // An empty filter clears the local value (the policy's, or none, applies again).
      await sender({ type: 'setLocalSettings', settings: { certificateFilter: isEmptyFilter(filter) ? null : filter } });
      await reloadSetting();
      setSaving({ busy: false, text: t('browserPolicy_filterSaved'), error: false });
    } catch (error) {
      setSaving({ busy: false, text: t('browserPolicy_filterSaveFailed', errorText(error)), error: true });
    }
  };

  return (
    <>
      <p>{t('browserPolicy_intro')}</p>
      {draft && (
        <CertificateFilterForm
          draft={draft}
          onDraft={setDraft}
          locked={locked}
          problem={problem}
          unsaved={unsaved}
          busy={saving.busy}
          status={saving}
          onSave={() => void saveFilter()}
        />
      )}
      <div class="policy-options">
        <div class="field">
          <label for="policy-format">{t('browserPolicy_format')}</label>
          <select id="policy-format" value={format} onChange={(event) => setFormat(event.currentTarget.value)}>
            {POLICY_FORMATS.map(([name, title]) => (
              <option key={name} value={name}>
                {t(title)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="policy-ports">{t('browserPolicy_ports')}</label>
          <input
            id="policy-ports"
            type="text"
            inputMode="numeric"
            placeholder="443, 8443"
            value={portsText}
            aria-invalid={ports.ok ? 'false' : 'true'}
            aria-describedby="policy-ports-msg"
            onInput={(event) => setPortsText(event.currentTarget.value)}
          />
          <FieldMessage id="policy-ports-msg" problem={ports.ok ? null : t('browserPolicy_portsInvalid')} help={t('browserPolicy_portsHelp')} />
        </div>
      </div>
      <h3>{t('browserPolicy_downloadHeading')}</h3>
      {anyCertificate && <AnyCertificateWarning onSetFilter={locked || !draft ? null : () => document.getElementById(FIRST_FILTER_FIELD_ID)?.focus()} />}
      <div class="button-row">
        {POLICY_FORMATS.map(([name, title]) => (
          <button key={name} type="button" onClick={() => downloadFormat(name)} data-format={name} disabled={!ports.ok || problem !== null}>
            {t('browserPolicy_download', t(title))}
          </button>
        ))}
      </div>
      <p role={status.error ? 'alert' : 'status'} class={status.error ? 'error-text' : undefined}>
        {status.text}
      </p>
      <div aria-live="polite">
        {view.state === 'loading' && <p>{t('ui_loading')}</p>}
        {view.state === 'error' && <p class="error-text">{t('browserPolicy_failed', view.message)}</p>}
        {view.state === 'ready' && <ExportView view={view.value} />}
      </div>
    </>
  );
}

function filterOfKey(key: string): CertificateFilter | undefined {
  return (JSON.parse(key) as CertificateFilter | null) ?? undefined;
}

/** The CLI's note for an export without a certificate filter, and a way to set one. */
function AnyCertificateWarning({ onSetFilter }: { onSetFilter: (() => void) | null }) {
  return (
    <div class="any-certificate-warning" data-warning="any-certificate">
      <p>
        <strong>{t('browserPolicy_anyCertificate')}</strong> {NO_CERTIFICATE_FILTER_NOTE}
      </p>
      {onSetFilter && (
        <button type="button" onClick={onSetFilter}>
          {t('browserPolicy_setFilter')}
        </button>
      )}
    </div>
  );
}

function ExportView({ view }: { view: PolicyExportView }) {
  return (
    <>
      <h3 id="policy-report-heading">{t('browserPolicy_report', view.report.length)}</h3>
      {view.report.length === 0 ? (
        <p>{t('browserPolicy_reportEmpty')}</p>
      ) : (
        <div class="table-scroll">
          <table aria-labelledby="policy-report-heading">
            <thead>
              <tr>
                <th scope="col">{t('ui_ruleSource')}</th>
                <th scope="col">{t('ui_ruleNumberLabel')}</th>
                <th scope="col">{t('browserPolicy_outcome')}</th>
                <th scope="col">{t('browserPolicy_note')}</th>
              </tr>
            </thead>
            <tbody>
              {view.report.map((line, position) => {
                const outcome = OUTCOMES[line.outcome];
                return (
                  <tr key={position} data-outcome={line.outcome}>
                    <td>{SOURCES.includes(line.source) ? sourceText(line.source as SourceName) : line.source}</td>
                    <td class="rule-number">{ruleNumberText(line.index)}</td>
                    <td>{outcome ? t(outcome) : line.outcome}</td>
                    <td>{line.note}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <h3>{t('browserPolicy_preview', view.filename)}</h3>
      {view.anyCertificate && <AnyCertificateWarning onSetFilter={null} />}
      {view.notes.filter((note) => note !== NO_CERTIFICATE_FILTER_NOTE).length > 0 && (
        <ul class="policy-notes">
          {view.notes
            .filter((note) => note !== NO_CERTIFICATE_FILTER_NOTE)
            .map((note) => (
              <li key={note}>{note}</li>
            ))}
        </ul>
      )}
      <pre class="policy-preview" tabIndex={0} aria-label={t('browserPolicy_preview', view.filename)}>
        {view.text}
      </pre>
    </>
  );
}
