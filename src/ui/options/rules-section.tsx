import { useCallback, useMemo, useState } from 'preact/hooks';
import type { Finding, SourceName } from '../../engine/model';
import type { UnavailableSource } from '../../engine/unavailable';
import type { RuleLint, RuleSources, SourceView, LocalRulesMode } from '../../shared/status';
import type { Loadable } from '../common/use-async';
import type { Sender } from '../../shared/send';
import { FindingList } from '../common/finding-list';
import { Icon } from '../common/icon';
import { pure } from '../common/pure';
import { t } from '../common/i18n';
import { sourceText } from '../common/rule-text';
import { absoluteTime } from '../common/time';
import { UnavailableList, unavailableReasonText } from '../common/unavailable-list';
import { ruleNumberText } from '../common/rule-text';
import type { RuleRef } from '../common/rule-link';
import { RuleEditor } from './rule-editor';
import { parseRuleQuery, type FilterTerm } from './rule-filter';
import { RuleFilterBox } from './rule-filter-box';
import { RuleTable } from './rule-table';
import type { RuleTarget } from './rule-target';

const PRECEDENCE: readonly SourceName[] = ['managed', 'profile', 'local', 'file'];

/** Why a source cannot be edited here, in one line of the pages' own words. */
function lockReason(source: SourceView, mode: LocalRulesMode): string {
  if (source.name === 'managed') return t('rules_lockManaged');
  if (source.name === 'profile') return t('rules_lockProfile');
  if (mode === 'none') return t('rules_lockLocalNone');
  return source.lockReason ?? t('rules_lockOther');
}

function emptyLocal(mode: LocalRulesMode): SourceView {
  return {
    name: 'local',
    label: null,
    editable: mode !== 'none',
    lockReason: null,
    rules: [],
    inForce: false,
    errors: [],
    warnings: [],
    rejected: null,
    updatedAt: null,
  };
}

/** One source's lint as the section has it: the findings, on their way, or not known (the request failed). */
type SourceLintState = readonly Finding[] | 'loading' | 'unknown';

/** The lint of one source, if `lint` is about these sources (the same revision). */
function lintOf(lint: Loadable<RuleLint>, sources: RuleSources, name: SourceName): SourceLintState {
  if (lint.state === 'error') return 'unknown';
  if (!lintIn(lint, sources)) return 'loading';
  return lint.value.sources.find((entry) => entry.name === name)?.lint ?? [];
}

/** Whether the lint of these sources has come (or will not come): an answer about another revision has not. */
function lintIn(lint: Loadable<RuleLint>, sources: RuleSources): lint is Exclude<Loadable<RuleLint>, { state: 'loading' }> {
  return lint.state === 'error' || (lint.state === 'ready' && lint.value.revision === sources.revision);
}

/** A jump to a rule (#rule=profile:16): `seq` tells one jump from the next, also to the same rule. */
export interface RuleJump {
  rule: RuleRef;
  seq: number;
}

/** Why a link's rule is not shown: its source is not listed, or has fewer rules. */
function missingTarget(jump: RuleJump | null, sources: readonly SourceView[]): string | null {
  if (!jump) return null;
  const source = sources.find((candidate) => candidate.name === jump.rule.source);
  const where = sourceText(jump.rule.source, source?.label ?? null);
  if (!source) return t('rules_linkSourceMissing', ruleNumberText(jump.rule.index), where);
  if (jump.rule.index >= source.rules.length) return t('rules_linkRuleMissing', ruleNumberText(jump.rule.index), where, source.rules.length);
  return null;
}

/**
 * Every source in precedence order; managed and profile read-only, local
 * editable when policy allows. One filter above them all; a link to a rule
 * clears it and shows that rule's row. Pure (common/pure.ts), like each
 * source's block: the page's other answers (status, account) do not render
 * thousands of rules again.
 */
export const RulesSection = pure(function RulesSection({
  sources,
  lint,
  sender,
  onChanged,
  editorVersion,
  jump = null,
}: {
  sources: RuleSources;
  /** The lint of the sources, asked for after them: the rows are shown first, their lint when it comes. */
  lint: Loadable<RuleLint>;
  sender: Sender;
  onChanged: (next: RuleSources) => void;
  /** Bumped when local rules were replaced elsewhere (import), so the editor starts over from them. */
  editorVersion: number;
  jump?: RuleJump | null;
}) {
  // A new jump starts with an empty filter (in the same render, so the row it names is never filtered out).
  const [filter, setFilter] = useState<{ seq: number | null; query: string }>({ seq: jump?.seq ?? null, query: '' });
  const query = filter.seq === (jump?.seq ?? null) ? filter.query : '';
  const setQuery = (next: string) => setFilter({ seq: jump?.seq ?? null, query: next });
  const terms = useMemo(() => parseRuleQuery(query), [query]);
  const noLocal = useMemo(() => emptyLocal(sources.localRules), [sources.localRules]);
  const ordered = [...sources.sources].sort((a, b) => PRECEDENCE.indexOf(a.name) - PRECEDENCE.indexOf(b.name));
  if (!ordered.some((source) => source.name === 'local')) ordered.push(noLocal);
  const missing = missingTarget(jump, ordered);
  // A row a link asks for is shown once the lint is in: the notes it brings change the rows' heights, which would move the row out of view.
  const lintSettled = lintIn(lint, sources);
  return (
    <>
      <p>{t('rules_intro')}</p>
      <RuleFilterBox id="rules-filter" value={query} onInput={setQuery} />
      {missing && (
        <p role="alert" class="error-text" data-link-missing>
          {missing}
        </p>
      )}
      {lint.state === 'error' && (
        <p class="error-text" role="note">
          {t('rules_lintFailed', lint.message)}
        </p>
      )}
      {!sources.rulesAvailable && (
        <p class="decision decision-unavailable" role="note">
          <Icon name="unavailable" /> {t('rules_unavailable')}
        </p>
      )}
      <UnavailableList unavailable={sources.unavailable} profileName={ordered.find((source) => source.name === 'profile')?.label ?? null} />
      {ordered.map((source) => (
        <SourceBlock
          key={source.name}
          source={source}
          // While the rules are unavailable no source decides anything, whatever it holds.
          inForce={sources.rulesAvailable && source.inForce}
          lint={lintOf(lint, sources, source.name)}
          unavailable={(sources.unavailable ?? []).find((entry) => entry.source === source.name) ?? null}
          mode={sources.localRules}
          sender={sender}
          onChanged={onChanged}
          editorVersion={editorVersion}
          terms={terms}
          targetIndex={jump && lintSettled && jump.rule.source === source.name ? jump.rule.index : null}
          targetSeq={jump?.seq ?? null}
        />
      ))}
    </>
  );
});

const SourceBlock = pure(function SourceBlock({
  source,
  inForce,
  lint,
  unavailable,
  mode,
  sender,
  onChanged,
  editorVersion,
  terms,
  targetIndex,
  targetSeq,
}: {
  source: SourceView;
  /** Whether its rules decide now (not while the rules are unavailable). */
  inForce: boolean;
  lint: SourceLintState;
  /** Why this source makes the rules unavailable, when it does. */
  unavailable: UnavailableSource | null;
  mode: LocalRulesMode;
  sender: Sender;
  onChanged: (next: RuleSources) => void;
  editorVersion: number;
  terms: readonly FilterTerm[];
  /** The rule a link asks for, in this source, and which jump asked. */
  targetIndex: number | null;
  targetSeq: number | null;
}) {
  const target = useMemo<RuleTarget | null>(() => (targetIndex === null ? null : { index: targetIndex, seq: targetSeq ?? 0 }), [targetIndex, targetSeq]);
  const save = useCallback(async (rules: unknown[]) => onChanged(await sender({ type: 'setLocalRules', rules })), [sender, onChanged]);
  const editable = source.name === 'local' && source.editable && mode !== 'none';
  const headingId = `source-${source.name}`;
  // Kept between renders: the table prepares its filter from these once per change of the source, not per keystroke.
  const findings = useMemo(() => [...source.errors, ...source.warnings, ...(typeof lint === 'string' ? [] : lint)], [source.errors, source.warnings, lint]);
  return (
    <section class="source" aria-labelledby={headingId} data-source={source.name}>
      <h3 id={headingId} class="source-heading">
        {!editable && <Icon name="lock" />}
        {sourceText(source.name, source.label)}
        <span class="source-count muted">{t('rules_count', source.rules.length)}</span>
      </h3>
      {!editable && <p class="lock-reason">{lockReason(source, mode)}</p>}
      <p class="muted">
        {inForce ? t('rules_inForce') : t('rules_notInForce')}
        {source.updatedAt !== null && ` ${t('rules_updatedAt', absoluteTime(source.updatedAt))}`}
      </p>
      {unavailable && <p class="error-text source-unavailable">{t('rules_sourceUnavailable', unavailableReasonText(unavailable))}</p>}
      {source.errors.length > 0 && (
        <div class="source-errors">
          <p class="error-text">{t('rules_sourceRejected')}</p>
          <FindingList findings={source.errors} withNumbers />
        </div>
      )}
      {source.rejected && (
        <div class="source-errors">
          <p class="error-text">{t('rules_newerRejected', absoluteTime(source.rejected.at), source.rejected.message)}</p>
          <FindingList findings={source.rejected.errors} withNumbers />
        </div>
      )}
      {source.warnings.length > 0 && <FindingList findings={source.warnings} withNumbers />}
      {editable ? (
        <RuleEditor
          key={`${editorVersion}`}
          id="local-editor"
          initialRules={source.rules}
          initialWarnings={lint === 'loading' ? null : lint === 'unknown' ? undefined : lint}
          denyOnly={mode === 'denyOnly'}
          onSave={save}
          source={source.name}
          sourceLabel={source.label}
          caption={sourceText(source.name, source.label)}
          terms={terms}
          target={target}
        />
      ) : (
        <RuleTable
          rules={source.rules}
          findings={findings}
          caption={sourceText(source.name, source.label)}
          source={source.name}
          sourceLabel={source.label}
          terms={terms}
          target={target}
        />
      )}
    </section>
  );
});
