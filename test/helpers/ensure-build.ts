// globalSetup of the "built" test project (vitest.config.ts). Its tests read
// what `npm run build` makes — the two extensions and the CLI in dist/ — so
// dist/ must be the build of the sources as they are. `npm test` builds just
// before; run alone (`npx vitest run --project built`), the project builds
// first when any part of dist/ is missing or older than a build input.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { staleBuildReason } from '../../scripts/build-freshness';
import { DIST_DIR, REPO_ROOT } from './paths';

function staleReason(): string | null {
  return (
    staleBuildReason(REPO_ROOT, path.join(DIST_DIR, 'chrome')) ??
    staleBuildReason(REPO_ROOT, path.join(DIST_DIR, 'firefox')) ??
    staleBuildReason(REPO_ROOT, path.join(DIST_DIR, 'cli'), undefined, 'cert-rules.mjs')
  );
}

export default function setup(): void {
  const reason = staleReason();
  if (reason === null) return;
  process.stdout.write(`built tests: building first (${reason})\n`);
  // As a shell would run it: the test runner's NODE_ENV=test changes what Vite emits.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_ENV' && !name.startsWith('VITEST')));
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/build.mjs')], { cwd: REPO_ROOT, env, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm run build failed, so the built tests cannot run');
  const still = staleReason();
  if (still !== null) throw new Error(`after npm run build, ${still}`);
}
