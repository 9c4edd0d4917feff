import { useEffect, useRef, useState } from 'preact/hooks';
import type { CertificateFilter } from '../../config/index';
// The small filter module only: the compiler runs in the export worker (export-worker.ts).
import { filterProblem, isEmptyFilter } from '../../engine/policy/cert-filter';

import type { Sender } from '../../shared/send';
import { errorText } from '../common/errors';
import { t, type MessageKey } from '../common/i18n';
import { useLoad } from '../common/use-async';
import { CertificateFilterForm, draftOf, filterOf, FIRST_FILTER_FIELD_ID, type FilterDraft } from './certificate-filter-form';
import type { Downloader } from './download';
import { FieldMessage } from './field-message';
import { ExportCancelled, exportInWorker, type ExportWorkerFactory } from './export-client';
import type { ExportProgress, ExportRequest } from './export-protocol';
import type { PolicyExportView } from './policy-export';
import { AnyCertificateWarning, ExportProgressBar, ExportView } from './policy-export-view';
import type { RuleRef } from '../common/rule-link';
import { StatusLine } from './status-line';

/** A request for the export worker: the rules in force, read now from the background, and what to export. */
async function exportRequest(sender: Sender, format: string, ports: number[] | undefined, filter: CertificateFilter | undefined): Promise<ExportRequest> {
  const inForce = await sender({ type: 'getRulesInForce' });
  return { inForce, format, ports: ports ?? null, filter: filter ?? null };
}

type ExportState =
  { state: 'running'; progress: ExportProgress | null } | { state: 'ready'; value: PolicyExportView; key: string } | { state: 'error'; message: string };

/** What an export depends on: the same key, the same file. */
const exportKey = (format: string, ports: number[] | undefined, filter: CertificateFilter | undefined) =>
  JSON.stringify([format, ports ?? null, filter ?? null]);

/**
 * The export for the preview, in its worker: started again when what it
 * depends on changes (the one running is ended: only the newest answer
 * counts), and ended when the section closes. `filterKey` null: the filter is
 * not known yet, so nothing is exported (it would be exported again at once).
 */
function usePreviewExport(sender: Sender, format: string, ports: number[] | undefined, filterKey: string | null, startWorker?: ExportWorkerFactory) {
  const filter = filterKey === null ? undefined : filterOfKey(filterKey);
  const key = exportKey(format, ports, filter);
  const [state, setState] = useState<ExportState>({ state: 'running', progress: null });
  useEffect(() => {
    if (filterKey === null) return;
    const controller = new AbortController();
    setState({ state: 'running', progress: null });
    const onProgress = (progress: ExportProgress) => setState({ state: 'running', progress });
    exportRequest(sender, format, ports, filter)
      .then((request) => exportInWorker(request, { onProgress, signal: controller.signal, ...(startWorker ? { startWorker } : {}) }))
      .then(
        (value) => setState({ state: 'ready', value, key }),
        (error: unknown) => {
          if (!(error instanceof ExportCancelled) && !controller.signal.aborted) setState({ state: 'error', message: errorText(error) });
        },
      );
    return () => controller.abort();
  }, [sender, key, filterKey === null]);
  return state;
}

/** The certificate filter in force and whether policy sets it. */
async function loadFilterSetting(sender: Sender): Promise<{ filter: CertificateFilter | null; locked: boolean }> {
  const [inForce, status] = await Promise.all([sender({ type: 'getRulesInForce' }), sender({ type: 'getStatus' })]);
  return { filter: inForce.certificateFilter, locked: status.settings.origins['certificateFilter'] === 'policy' };
}

/**
 * `value`, once it has stayed the same for `ms` (the exact check reruns on
 * each change of the preview's filter); the first value after null at once
 * (the filter as loaded is not being typed).
 */
function useSettled<T>(value: T | null, ms: number): T | null {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    if (settled === null) {
      setSettled(value);
      return;
    }
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

/** Ports typed as "443, 8443": a list, or the reason it is not one. */
export function parsePorts(text: string): { ok: true; ports: number[] | undefined } | { ok: false } {
  if (text.trim() === '') return { ok: true, ports: undefined };
  const parts = text.split(/[\s,]+/).filter(Boolean);
  const ports = parts.map(Number);
  if (ports.some((port) => !Number.isInteger(port) || port < 1 || port > 65535)) return { ok: false };
  return { ok: true, ports };
}

export interface BrowserPolicySectionProps {
  sender: Sender;
  download: Downloader;
  /** Shows a rule of the report in the rules section. */
  onShowRule?: (rule: RuleRef) => void;
  /** Starts the export worker (tests give a stand-in). */
  startWorker?: ExportWorkerFactory;
}

/** The rules compiled to the browsers' own certificate policy, in a worker: what translates, and files to deploy. */
export function BrowserPolicySection({ sender, download, onShowRule, startWorker }: BrowserPolicySectionProps) {
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
  // Until the filter form has its values (or failed to get them), the preview waits rather than export twice.
  const previewKey = useSettled(draft !== null || setting.state === 'error' ? filterKey : null, 300);
  const problem = filter ? filterProblem(filter) : null;
  const saved = setting.state === 'ready' ? setting.value : null;
  const locked = saved?.locked ?? false;
  const unsaved = saved !== null && filter !== undefined && JSON.stringify(filter) !== JSON.stringify(filterOf(draftOf(saved.filter)));
  const anyCertificate = isEmptyFilter(filter ?? saved?.filter ?? {});
  const view = usePreviewExport(sender, format, portList, previewKey, startWorker);
  const [status, setStatus] = useState<{ text: string; error: boolean }>({ text: '', error: false });
  const [downloading, setDownloading] = useState<{ progress: ExportProgress | null } | null>(null);
  const downloads = useRef<AbortController | null>(null);
  useEffect(() => () => downloads.current?.abort(), []);
  const [saving, setSaving] = useState<{ busy: boolean; text: string; error: boolean }>({ busy: false, text: '', error: false });

  /** The preview's file when it is the one asked for; otherwise an export of its own, with its progress shown. */
  const downloadFormat = async (name: string) => {
    downloads.current?.abort();
    const controller = new AbortController();
    downloads.current = controller;
    try {
      let exported: PolicyExportView;
      if (view.state === 'ready' && view.key === exportKey(name, portList, filter)) exported = view.value;
      else {
        setDownloading({ progress: null });
        setStatus({ text: '', error: false });
        const request = await exportRequest(sender, name, portList, filter);
        exported = await exportInWorker(request, {
          onProgress: (progress) => setDownloading({ progress }),
          signal: controller.signal,
          ...(startWorker ? { startWorker } : {}),
        });
      }
      download(exported.filename, exported.mimeType, exported.text);
      setStatus({ text: t('browserPolicy_downloaded', exported.filename), error: false });
    } catch (error) {
      if (!(error instanceof ExportCancelled)) setStatus({ text: t('browserPolicy_failed', errorText(error)), error: true });
    } finally {
      if (downloads.current === controller) setDownloading(null);
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
      {downloading && <ExportProgressBar progress={downloading.progress} />}
      <StatusLine status={status} />
      {/* The bar stays out of the live region: it changes every tenth of a second. */}
      {view.state === 'running' && <ExportProgressBar progress={view.progress} />}
      <div aria-live="polite">
        {view.state === 'running' && <p class="visually-hidden">{t('ui_loading')}</p>}
        {view.state === 'error' && <p class="error-text">{t('browserPolicy_failed', view.message)}</p>}
        {view.state === 'ready' && <ExportView view={view.value} onShowRule={onShowRule} />}
      </div>
    </>
  );
}

function filterOfKey(key: string): CertificateFilter | undefined {
  return (JSON.parse(key) as CertificateFilter | null) ?? undefined;
}
