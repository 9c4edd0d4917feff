import { compileSource, parseRuleText, type CompiledSource } from '../engine/index';
import { readUserFile } from './read-file';

export interface LoadedRules {
  source: CompiledSource | null;
  /** Lines for stderr: why the file was rejected, or which rules were dropped. */
  messages: string[];
}

/** Reads and compiles a rules file in any accepted form as the `file` source. */
export async function loadRulesFile(path: string): Promise<LoadedRules> {
  const text = await readUserFile(path);
  const document = parseRuleText(text);
  if (!document.ok) {
    return { source: null, messages: [`${path}: rejected: ${document.message} (at ${document.path})`] };
  }
  const source = compileSource('file', document.rules, { label: document.profile?.name ?? path });
  const messages = [
    ...source.errors.map((finding) => `${path}: error: ${finding.message}`),
    ...source.warnings.map((finding) => `${path}: warning: ${finding.message}`),
  ];
  if (!source.accepted) {
    messages.push(`${path}: rejected: an invalid noCertificate rule or an unknown action rejects the whole file (dropping it would widen where the certificate goes); every decision fails closed`);
  }
  return { source, messages };
}
