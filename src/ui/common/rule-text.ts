import type { SourceName } from '../../engine/model';
import { ruleReferencesInWords } from '../../engine/rule-words';
import { t } from './i18n';

/**
 * Rule numbers, decided once for every page: in words a rule is counted from 1
 * ("rule 3"), and the 0-based index an admin needs to find it in the JSON array
 * (and that the engine and CLI print) is always shown beside it ("index 2").
 */
export function ruleNumberText(index: number): string {
  return t('ui_ruleNumber', index + 1, index);
}

/** The same inside a sentence ("rule 3 (index 2)"). */
export function ruleReferenceText(index: number): string {
  return t('ui_ruleReference', index + 1, index);
}

/** What a person calls a source: the policy, the console profile by name, or local. */
export function sourceText(source: SourceName, profileName?: string | null): string {
  switch (source) {
    case 'managed':
      return t('ui_sourceManaged');
    case 'profile':
      return profileName ? t('ui_sourceProfileNamed', profileName) : t('ui_sourceProfile');
    case 'local':
      return t('ui_sourceLocal');
    case 'file':
      return t('ui_sourceFile');
  }
}

export function actionText(action: unknown): string {
  if (action === 'useEnrollmentCertificate') return t('ui_actionAllow');
  if (action === 'noCertificate') return t('ui_actionDeny');
  return t('ui_actionUnknown');
}

/**
 * An action as a choice in the rule editor's select: the words alone, short
 * enough for a 320 px window (a select cannot wrap); the editor shows the
 * action's name in the rules file under it.
 */
export function actionChoiceText(action: unknown): string {
  if (action === 'useEnrollmentCertificate') return t('ui_actionChoiceAllow');
  if (action === 'noCertificate') return t('ui_actionChoiceDeny');
  return t('ui_actionUnknown');
}

const LEADING_RULE = /^rule (\d+)(?::\s*|\s+)/;

/**
 * The engine's message, in the pages' numbering. Engine messages start with
 * "rule N" (0-based); beside a rule that prefix is redundant, and any other
 * rule it names is rewritten to "rule N+1 (index N)" so one page never mixes
 * the two countings.
 */
export function findingText(message: string): string {
  return ruleReferencesText(message.replace(LEADING_RULE, ''));
}

/** Every "rule N" an engine message names, in the pages' numbering (for a message that is not beside its rule). */
export function ruleReferencesText(message: string): string {
  return ruleReferencesInWords(message, ruleReferenceText);
}
