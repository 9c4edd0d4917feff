import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Where Debian's Chromium reads machine-wide mandatory policy at start-up. */
export const CHROMIUM_POLICY_DIR = '/etc/chromium/policies/managed';
const POLICY_FILE = path.join(CHROMIUM_POLICY_DIR, 'client-certificate-rules-e2e.json');

/**
 * Installs a managed policy for the extension (the `3rdparty.extensions.<id>`
 * form Chromium passes to storage.managed), and `browserPolicy` for Chromium
 * itself (e.g. NetworkPredictionOptions). Machine-wide: a test must call the
 * returned remover in `finally`/`afterAll`, and test files run one at a time.
 */
export function installChromiumPolicy(extensionId: string, policy: Record<string, unknown>, browserPolicy: Record<string, unknown> = {}): () => void {
  mkdirSync(CHROMIUM_POLICY_DIR, { recursive: true });
  writeFileSync(POLICY_FILE, JSON.stringify({ ...browserPolicy, '3rdparty': { extensions: { [extensionId]: policy } } }, null, 2));
  return removeChromiumPolicy;
}

export function removeChromiumPolicy(): void {
  rmSync(POLICY_FILE, { force: true });
}

const LOCK_DIR = '/tmp/client-certificate-rules-chromium-policy.lock';

/**
 * A lock across processes for the machine-wide policy directory: two test
 * runs (two checkouts, or a run and a manual session) must not mix their
 * policies, because Chromium merges every file in the directory. mkdir is
 * atomic; a lock whose owner process is gone is taken over. Firefox's
 * policies.json has its own lock (another `lockDir`).
 */
export async function acquirePolicyLock(timeoutMs = 15 * 60_000, lockDir = LOCK_DIR): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(path.join(lockDir, 'owner'), String(process.pid));
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(lockDir, { recursive: true, force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (!lockOwnerAlive(lockDir)) {
      rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`another test run holds ${lockDir} (browser policy is machine-wide)`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function lockOwnerAlive(lockDir: string): boolean {
  let owner: number;
  try {
    owner = Number(readFileSync(path.join(lockDir, 'owner'), 'utf8'));
  } catch {
    // Just created by another process, owner not written yet: treat as alive.
    return true;
  }
  if (!Number.isInteger(owner) || owner <= 0) return false;
  try {
    process.kill(owner, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
