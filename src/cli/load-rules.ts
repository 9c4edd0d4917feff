import { compileManagedRules, parseManagedPolicy } from '../config/index';
import { compileSource, rejectedWithoutLastGood, unavailableText, type CompiledSource, type RuleDocument, type UnavailableSource } from '../engine/index';
import { jsonSyntaxMessage, parseRuleFile } from '../engine/json-syntax';
import { ruleReferencesInWords as inWords } from '../engine/rule-words';
import { readUserFile } from './read-file';

export interface LoadedRules {
  source: CompiledSource | null;
  /** Why the rules are not known (rejected or unreadable), when they are not: a rule set with them is unusable. */
  unavailable: UnavailableSource | null;
  /** Lines for stderr: why the file was rejected, or which rules were dropped. */
  messages: string[];
}

/** Reads and compiles a rules file in any accepted form as the `file` source. */
export async function loadRulesFile(path: string): Promise<LoadedRules> {
  const text = await readUserFile(path);
  const document = parseRuleFile(text);
  if (!document.ok) {
    const message = documentProblem(document);
    return { source: null, unavailable: { source: 'file', code: 'rejected', message }, messages: [`${path}: rejected: ${message}`] };
  }
  const source = compileSource('file', document.rules, { label: document.profile?.name ?? path });
  const messages = [
    ...source.errors.map((finding) => `${path}: error: ${inWords(finding.message)}`),
    ...source.warnings.map((finding) => `${path}: warning: ${inWords(finding.message)}`),
  ];
  if (!source.accepted) {
    messages.push(
      `${path}: rejected: an invalid noCertificate rule or an unknown action rejects the whole file (dropping it would widen where the certificate goes); every decision fails closed`,
    );
  }
  return { source, unavailable: source.accepted ? null : rejectedWithoutLastGood(source), messages };
}

/**
 * Reads the managed policy's rules as the `managed` source: FILE holds the
 * policy object as deployed (its "rules" key is read, checked as the extension
 * checks it; the other keys are ignored) or the rules array itself. A policy
 * without "rules" has no managed source. There is no earlier accepted version
 * here, so rejected rules make the rule set unusable (docs/rules.md §5).
 */
export async function loadManagedFile(path: string): Promise<LoadedRules> {
  const text = await readUserFile(path);
  const unreadable = (why: string): LoadedRules => {
    const unavailable: UnavailableSource = { source: 'managed', code: 'unreadable', message: why };
    return { source: null, unavailable, messages: [`${path}: rules unavailable: ${inWords(unavailableText(unavailable))}`] };
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return unreadable(jsonSyntaxMessage(text) ?? `not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null) return unreadable('the policy must be an object of settings or an array of rules');
  const policy = parseManagedPolicy(Array.isArray(value) ? { rules: value } : value);
  const source = compileManagedRules(policy.values.rules ?? null);
  if (!source) return { source: null, unavailable: null, messages: [`${path}: the policy sets no "rules": no managed rules`] };
  const messages = source.warnings.map((finding) => `${path}: warning: ${inWords(finding.message)}`);
  if (source.accepted) return { source, unavailable: null, messages };
  const unavailable = rejectedWithoutLastGood(source);
  messages.push(
    ...source.errors.map((finding) => `${path}: error: ${inWords(finding.message)}`),
    `${path}: rules unavailable: ${inWords(unavailableText(unavailable))}`,
  );
  return { source: null, unavailable, messages };
}

/** What is wrong with a rules document, and where inside it when that is not the whole of it. */
export function documentProblem(document: Extract<RuleDocument, { ok: false }>): string {
  return document.path === '$' ? document.message : `${document.message} (at ${document.path})`;
}
