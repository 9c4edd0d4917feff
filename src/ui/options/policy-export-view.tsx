import type { SourceName } from '../../engine/model';
import { NO_CERTIFICATE_FILTER_NOTE } from '../../engine/policy/cert-filter';
import { OUTCOME_ORDER } from '../../engine/policy/outcome-words';
import type { PolicyOutcome } from '../../engine/policy/policy-report';
import { t, type MessageKey } from '../common/i18n';
import { ruleHash, type RuleRef } from '../common/rule-link';
import { ruleNumberText, ruleReferencesText, sourceText } from '../common/rule-text';
import type { ExportProgress } from './export-protocol';
import { Pager, TABLE_PAGE_SIZE, usePaging } from './pager';
import type { PolicyExportView } from './policy-export';

/** Every outcome of the export (policy-report.ts) in words: a label for the report and a line for the legend. */
export const OUTCOME_TEXT: Readonly<Record<PolicyOutcome, { label: MessageKey; help: MessageKey }>> = {
  exact: { label: 'browserPolicy_outcomeExact', help: 'browserPolicy_outcomeExactHelp' },
  narrower: { label: 'browserPolicy_outcomeNarrower', help: 'browserPolicy_outcomeNarrowerHelp' },
  'not-expressible': { label: 'browserPolicy_outcomeNotExpressible', help: 'browserPolicy_outcomeNotExpressibleHelp' },
  asks: { label: 'browserPolicy_outcomeAsks', help: 'browserPolicy_outcomeAsksHelp' },
};

const knownOutcome = (outcome: string): PolicyOutcome | undefined => OUTCOME_ORDER.find((name) => name === outcome);
const legendId = (outcome: PolicyOutcome) => `outcome-help-${outcome}`;

/** What each outcome means, once above the report; each row's outcome points here for its explanation. */
function OutcomeLegend() {
  return (
    <>
      <h4 id="outcome-legend-heading">{t('browserPolicy_legend')}</h4>
      <dl class="outcome-legend" aria-labelledby="outcome-legend-heading">
        {OUTCOME_ORDER.map((outcome) => (
          <div key={outcome} data-outcome={outcome}>
            <dt>{t(OUTCOME_TEXT[outcome].label)}</dt>
            <dd id={legendId(outcome)}>{t(OUTCOME_TEXT[outcome].help)}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}

const SOURCES: readonly SourceName[] = ['managed', 'profile', 'local', 'file'];
const knownSource = (source: string): SourceName | undefined => SOURCES.find((name) => name === source);

/** The preview shows this many lines at most: a 5,000-rule file is megabytes of text the page need not lay out. */
export const PREVIEW_LINES = 400;

/** The CLI's note for an export without a certificate filter, and a way to set one. */
export function AnyCertificateWarning({ onSetFilter }: { onSetFilter: (() => void) | null }) {
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

/** Where an export is: the step in words and, while the exactness check says how far it is, a bar that fills. */
export function ExportProgressBar({ progress }: { progress: ExportProgress | null }) {
  const counted = progress !== null && progress.phase === 'check' && progress.total > 0 && progress.done > 0;
  const text =
    progress === null
      ? t('ui_loading')
      : progress.phase === 'prepare'
        ? t('browserPolicy_phasePrepare', progress.total)
        : progress.phase === 'write'
          ? t('browserPolicy_phaseWrite')
          : counted
            ? t('browserPolicy_phaseCheckCount', Math.floor((progress.done * 100) / progress.total))
            : t('browserPolicy_phaseCheck');
  return (
    <div class="export-progress" data-phase={progress?.phase ?? 'start'}>
      {/* Without a value the bar is indeterminate: it moves without claiming how far. */}
      <progress aria-label={t('browserPolicy_progressLabel')} aria-valuetext={text} {...(counted ? { value: progress.done, max: progress.total } : {})} />
      <span class="muted">{text}</span>
    </div>
  );
}

function ReportTable({ view, onShowRule }: { view: PolicyExportView; onShowRule: ((rule: RuleRef) => void) | undefined }) {
  const paging = usePaging(view.report.length, TABLE_PAGE_SIZE, view);
  return (
    <>
      {/* Long notes can make the table wider than the page: its scroll area takes the focus, so keys can scroll it. */}
      <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="policy-report-heading">
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
            {view.report.slice(paging.start, paging.end).map((line, offset) => {
              const outcome = knownOutcome(line.outcome);
              const source = knownSource(line.source);
              return (
                <tr key={paging.start + offset} data-outcome={line.outcome}>
                  <td>{source ? sourceText(source) : line.source}</td>
                  <td class="rule-number">
                    {source ? (
                      <a
                        href={ruleHash({ source, index: line.index })}
                        onClick={(event) => {
                          if (!onShowRule) return;
                          event.preventDefault();
                          onShowRule({ source, index: line.index });
                        }}
                      >
                        {ruleNumberText(line.index)}
                      </a>
                    ) : (
                      ruleNumberText(line.index)
                    )}
                  </td>
                  <td class="outcome" aria-describedby={outcome ? legendId(outcome) : undefined}>
                    {outcome ? t(OUTCOME_TEXT[outcome].label) : line.outcome}
                  </td>
                  <td>{ruleReferencesText(line.note)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <Pager paging={paging} label={t('pager_label', t('browserPolicy_report', view.report.length))} />
    </>
  );
}

/** The report (one line per rule, paged), the notes and the start of the file. */
export function ExportView({ view, onShowRule }: { view: PolicyExportView; onShowRule?: (rule: RuleRef) => void }) {
  const lines = view.text.split('\n');
  const cut = lines.length > PREVIEW_LINES;
  const notes = view.notes.filter((note) => note !== NO_CERTIFICATE_FILTER_NOTE);
  return (
    <>
      <h3 id="policy-report-heading">{t('browserPolicy_report', view.report.length)}</h3>
      {view.report.length === 0 ? (
        <p>{t('browserPolicy_reportEmpty')}</p>
      ) : (
        <>
          <OutcomeLegend />
          <ReportTable view={view} onShowRule={onShowRule} />
        </>
      )}
      <h3>{t('browserPolicy_preview', view.filename)}</h3>
      {view.anyCertificate && <AnyCertificateWarning onSetFilter={null} />}
      {notes.length > 0 && (
        <ul class="policy-notes">
          {notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
      <pre class="policy-preview" tabIndex={0} aria-label={t('browserPolicy_preview', view.filename)}>
        {cut ? lines.slice(0, PREVIEW_LINES).join('\n') : view.text}
      </pre>
      {cut && <p class="muted">{t('browserPolicy_previewCut', PREVIEW_LINES, lines.length)}</p>}
    </>
  );
}
