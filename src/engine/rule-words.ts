/**
 * How a rule is named for people, everywhere (the pages, the command line,
 * lint, the export report): counted from 1, with the 0-based index an admin
 * needs to find it in the JSON array beside it — "rule 3 (index 2)". The
 * engine writes "rule N" with the index (its messages are data the
 * conformance tests compare); this turns them into words at the edge.
 */
export function ruleInWords(index: number): string {
  return `rule ${index + 1} (index ${index})`;
}

/** "rule N" not already followed by its index (so a message in words stays as it is). */
const RULE_REFERENCE = /\brule (\d+)\b(?! \(index)/g;

/** Every "rule N" an engine message names, in people's numbering; `reference` words one (the pages pass their localised form). */
export function ruleReferencesInWords(message: string, reference: (index: number) => string = ruleInWords): string {
  return message.replace(RULE_REFERENCE, (_match, digits: string) => reference(Number(digits)));
}
