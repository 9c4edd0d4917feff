// The files of the source package that addons.mozilla.org review asks for:
// everything needed to rebuild dist/firefox from scratch, nothing else.
//
// The list is the project's files as git sees them (tracked, plus new files
// that are not ignored) — so node_modules, dist, artifacts and other ignored
// output never get in — narrowed to the build inputs below. Contents come from
// the working tree, the same bytes `npm run build` just read; a dirty tree is
// reported so a release is cut from a commit.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Build inputs: folders end in "/". keys/ is deliberately absent (private key). */
export const SOURCE_PATHS = [
  'src/',
  'public/',
  'scripts/',
  'manifest.json',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'vite.config.ts',
  'vite.cli.config.ts',
  'README.md',
  'BUILD.md',
] as const;

const PRIVATE_KEY = /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/;

const inSourcePaths = (file: string) => SOURCE_PATHS.some((path) => (path.endsWith('/') ? file.startsWith(path) : file === path));

function git(root: string, args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

export interface SourceFiles {
  files: { name: string; data: Buffer }[];
  /** Files in the list that differ from HEAD (or are new): the zip is not exactly a commit. */
  uncommitted: string[];
}

export function collectSourceFiles(root: string): SourceFiles {
  if (!existsSync(join(root, '.git'))) {
    throw new Error("the source package is made from a git checkout (git decides which files are the project's); run it in one");
  }
  const listed = git(root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', ...SOURCE_PATHS])
    .split('\0')
    .filter((file) => file !== '' && inSourcePaths(file));
  const names = [...new Set(listed)].filter((file) => existsSync(join(root, file)) && statSync(join(root, file)).isFile()).sort();
  for (const required of SOURCE_PATHS.filter((path) => !path.endsWith('/'))) {
    if (!names.includes(required)) throw new Error(`the source package needs ${required}, which git does not list`);
  }
  const files = names.map((name) => ({ name, data: readFileSync(join(root, name)) }));
  const leaked = files.filter((file) => /\.(pem|key|p12|pfx)$/i.test(file.name) || PRIVATE_KEY.test(file.data.toString('latin1')));
  if (leaked.length > 0) {
    throw new Error(`refusing to put private key material into the source package: ${leaked.map((file) => file.name).join(', ')}`);
  }
  const uncommitted = git(root, ['status', '--porcelain', '-z', '--untracked-files=all', '--', ...SOURCE_PATHS])
    .split('\0')
    .filter((line) => line.length > 3)
    .map((line) => line.slice(3))
    .filter((file) => names.includes(file));
  return { files, uncommitted };
}
