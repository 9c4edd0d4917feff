import { readFileSync } from 'node:fs';

/**
 * The exact bytes of the `lastGood` member as written in a state file (the
 * rules in force and where they came from). A failed sync must leave these
 * bytes identical; the rest of the file (attempt history) may change.
 */
export function lastGoodBytes(file: string): string {
  const text = readFileSync(file, 'utf8');
  const match = /\n {2}"lastGood": ([\s\S]*?),\n {2}"[A-Za-z]+":/.exec(text);
  if (!match?.[1]) throw new Error(`no lastGood member in ${file}`);
  return match[1];
}
