import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { BUILT_CLI, REPO_ROOT } from './paths';

const exec = promisify(execFile);
const LOCK = path.join(REPO_ROOT, 'dist/.cli-build-lock');

/**
 * dist/cli/cert-rules.mjs built from the sources as they are: built here (CLI
 * only) when it is missing or older than any file under src/, so a test of
 * the shipped file never runs yesterday's build. Test files run in parallel:
 * one builds while the others wait for its lock.
 */
export async function ensureBuiltCli(): Promise<string> {
  if (isCurrent()) return BUILT_CLI;
  mkdirSync(path.dirname(LOCK), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`waited 120 s for ${LOCK}; remove it if no build is running`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    if (!isCurrent()) {
      await exec(process.execPath, [path.join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '-c', 'vite.cli.config.ts', '--logLevel', 'warn'], { cwd: REPO_ROOT });
    }
  } finally {
    rmdirSync(LOCK);
  }
  return BUILT_CLI;
}

function isCurrent(): boolean {
  return existsSync(BUILT_CLI) && statSync(BUILT_CLI).mtimeMs >= newestSource(path.join(REPO_ROOT, 'src'));
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }
  return newest;
}
