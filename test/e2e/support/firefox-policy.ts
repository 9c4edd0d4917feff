import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { acquirePolicyLock } from './policy';

/** Where Debian's firefox-esr reads enterprise policy at start-up (machine-wide). */
export const FIREFOX_POLICY_DIR = process.env['FIREFOX_POLICY_DIR'] ?? '/usr/lib/firefox-esr/distribution';
export const FIREFOX_POLICY_FILE = path.join(FIREFOX_POLICY_DIR, 'policies.json');
/**
 * What was there before the tests wrote theirs ({"existed":false} or the old
 * text). On disk rather than in memory, so a run that was killed midway is
 * repaired by the next one instead of leaving the test policy in force.
 */
const BACKUP_FILE = path.join(FIREFOX_POLICY_DIR, 'policies.json.ccr-e2e-backup');

interface Backup {
  existed: boolean;
  text?: string;
}

/**
 * Installs `policies.json` with the extension's settings under
 * `3rdparty.Extensions.<gecko id>` (what Firefox passes to storage.managed,
 * unvalidated), beside `browserPolicies` for Firefox itself (e.g.
 * Preferences); `null` settings: no policies.json at all. Any pre-existing
 * file is kept aside and put back by the returned function, which callers run
 * in `finally`/`afterAll`.
 */
export function installFirefoxPolicy(geckoId: string, settings: unknown, browserPolicies: Record<string, unknown> = {}): () => void {
  restoreFirefoxPolicy();
  mkdirSync(FIREFOX_POLICY_DIR, { recursive: true });
  const backup: Backup = existsSync(FIREFOX_POLICY_FILE) ? { existed: true, text: readFileSync(FIREFOX_POLICY_FILE, 'utf8') } : { existed: false };
  writeFileSync(BACKUP_FILE, JSON.stringify(backup));
  if (settings === null) rmSync(FIREFOX_POLICY_FILE, { force: true });
  else writeAtomically(FIREFOX_POLICY_FILE, JSON.stringify({ policies: { ...browserPolicies, '3rdparty': { Extensions: { [geckoId]: settings } } } }, null, 2));
  return restoreFirefoxPolicy;
}

/** Puts back what was there before installFirefoxPolicy (nothing, or the old file). Safe to call twice. */
export function restoreFirefoxPolicy(): void {
  if (!existsSync(BACKUP_FILE)) return;
  const backup = JSON.parse(readFileSync(BACKUP_FILE, 'utf8')) as Backup;
  if (backup.existed && backup.text !== undefined) writeAtomically(FIREFOX_POLICY_FILE, backup.text);
  else rmSync(FIREFOX_POLICY_FILE, { force: true });
  rmSync(BACKUP_FILE, { force: true });
}

function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.tmp-${process.pid}`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

/** Held while a run depends on policies.json (even on its absence): two runs must not swap each other's file. */
export function acquireFirefoxPolicyLock(timeoutMs?: number): Promise<() => void> {
  return acquirePolicyLock(timeoutMs, '/tmp/client-certificate-rules-firefox-policy.lock');
}
