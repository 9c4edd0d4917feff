import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The shared folder beside the project root (specs and the conformance table). */
export const SHARED_DIR = path.resolve(REPO_ROOT, '../shared');
export const BUILT_CLI = path.join(REPO_ROOT, 'dist/cli/cert-rules.mjs');
