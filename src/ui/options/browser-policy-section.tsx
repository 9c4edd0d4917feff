import { useState } from 'preact/hooks';
import type { Sender } from '../../shared/send';
import { errorText } from '../common/errors';
import { t, type MessageKey } from '../common/i18n';
import { ruleNumberText, sourceText } from '../common/rule-text';
import { useLoad } from '../common/use-async';
import type { SourceName } from '../../engine/model';
import type { Downloader } from './download';
import { FieldMessage } from './field-message';
import type { PolicyExportView } from './policy-export';

/**
 * The rules in force, compiled here in the page: the policy compiler is loaded
 * only when this section opens (it is as large as the rest of the page).
 */
async function exportPolicy(sender: Sender, format: string, ports: number[] | undefined): Promise<PolicyExportView> {
  const [inForce, { policyExport }] = await Promise.all([sender({ type: 'getRulesInForce' }), import('./policy-export')]);
  return policyExport(inForce, format, ports);
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
  const [view] = useLoad<PolicyExportView>(
    () => exportPolicy(sender, format, portList),
    [sender, format, portList?.join(',')],
  );
  const [status, setStatus] = useState<{ text: string; error: boolean }>({ text: '', error: false });

  const downloadFormat = async (name: string) => {
    try {
      const exported = await exportPolicy(sender, name, portList);
      download(exported.filename, exported.mimeType, exported.text);
      setStatus({ text: t('browserPolicy_downloaded', exported.filename), error: false });
    } catch (error) {
      setStatus({ text: t('browserPolicy_failed', errorText(error)), error: true });
    }
  };

  return (
    <>
      <p>{t('browserPolicy_intro')}</p>
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
      <div class="button-row">
        {POLICY_FORMATS.map(([name, title]) => (
          <button key={name} type="button" onClick={() => downloadFormat(name)} data-format={name} disabled={!ports.ok}>
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
      <pre class="policy-preview" tabIndex={0} aria-label={t('browserPolicy_preview', view.filename)}>
        {view.text}
      </pre>
    </>
  );
}
