import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Test data kept in the repository (the conformance table of docs/rules.md among it). */
export const FIXTURES_DIR = path.join(REPO_ROOT, 'test/fixtures');
/** What `npm run build` makes: read only by the tests of the "built" project (`*-built.test.ts`). */
export const DIST_DIR = path.join(REPO_ROOT, 'dist');
export const BUILT_CLI = path.join(DIST_DIR, 'cli/cert-rules.mjs');
