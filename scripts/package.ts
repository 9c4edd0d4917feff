#!/usr/bin/env -S npx tsx
// `npm run package`: builds, then writes the release packages to artifacts/:
//
//   client-certificate-rules-chrome-<v>.zip   Chrome Web Store upload (no manifest `key`)
//   client-certificate-rules-firefox-<v>.zip  addons.mozilla.org upload (web-ext build)
//   client-certificate-rules-source-<v>.zip   the source AMO review asks for (BUILD.md inside)
//   client-certificate-rules-<v>.crx          CRX3 for self-hosting, signed with --key;
//                                             its manifest's update_url is <base-url>update.xml
//   update.xml                                update manifest pointing at <base-url><crx>
//   SHA256SUMS
//
// <v> is package.json's version, the only place the version lives.
//
// Options:
//   --no-build        package the existing dist/ (it must be the build of this version)
//   --out-dir DIR     default artifacts/
//   --key FILE        RSA private key (PEM) that signs the .crx and fixes the extension id;
//                     default $CRX_KEY_FILE, else keys/test-key.pem (the public TEST key)
//   --base-url URL    where the .crx and update.xml will be served (https);
//                     default $CRX_BASE_URL, else a placeholder
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { manifestVersion } from './manifest-target';
import { createCrx3, extensionIdForKey, loadSigningKey, parseCrx3, publicKeyDer, verifyCrx3 } from './package/crx3';
import { readDistFiles, readManifest, withManifest } from './package/dist-files';
import { collectSourceFiles } from './package/source-files';
import { PLACEHOLDER_BASE_URL, normalizeBaseUrl, updateManifestXml } from './package/update-manifest';
import { createZip } from './package/zip';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TEST_KEY = join(ROOT, 'keys', 'test-key.pem');

interface Options {
  build: boolean;
  outDir: string;
  keyFile: string;
  baseUrl: string;
}

function options(argv: string[]): Options | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      'no-build': { type: 'boolean', default: false },
      'out-dir': { type: 'string' },
      key: { type: 'string' },
      'base-url': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return null;
  return {
    build: !values['no-build'],
    outDir: resolve(values['out-dir'] ?? join(ROOT, 'artifacts')),
    keyFile: resolve(values.key ?? process.env['CRX_KEY_FILE'] ?? TEST_KEY),
    baseUrl: normalizeBaseUrl(values['base-url'] ?? process.env['CRX_BASE_URL'] ?? PLACEHOLDER_BASE_URL),
  };
}

const log = (line: string) => process.stdout.write(`${line}\n`);

function checkDist(target: 'chrome' | 'firefox', expected: string): string {
  const dir = join(ROOT, 'dist', target);
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`dist/${target} is missing: run npm run build (or drop --no-build)`);
  const version = (JSON.parse(readFileSync(manifestPath, 'utf8')) as { version?: unknown }).version;
  if (version !== expected) {
    throw new Error(`dist/${target} is version ${String(version)} but package.json gives ${expected}: rebuild (drop --no-build)`);
  }
  return dir;
}

function firefoxZip(sourceDir: string, outDir: string, fileName: string): void {
  const webExt = join(ROOT, 'node_modules', 'web-ext', 'bin', 'web-ext.js');
  // web-ext writes next to an existing file only with --overwrite-dest; build
  // into a scratch folder so a failed run leaves no half-written package.
  const scratch = join(outDir, '.web-ext-build');
  rmSync(scratch, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [webExt, 'build', '--source-dir', sourceDir, '--artifacts-dir', scratch, '--filename', fileName, '--overwrite-dest', '--no-config-discovery', '--no-input'],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  renameSync(join(scratch, fileName), join(outDir, fileName));
  rmSync(scratch, { recursive: true, force: true });
}

async function makePackages(opts: Options): Promise<{ files: string[]; extensionId: string }> {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  const { version } = manifestVersion(pkg.version);
  const label = pkg.name;
  if (opts.build) {
    // NODE_ENV changes what Vite emits (a test runner sets it to "test"); a release is a production build.
    const env = { ...process.env };
    delete env['NODE_ENV'];
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit', env });
  }
  const chromeDir = checkDist('chrome', version);
  const firefoxDir = checkDist('firefox', version);
  mkdirSync(opts.outDir, { recursive: true });
  const written: string[] = [];
  const write = (name: string, data: Buffer | string) => {
    writeFileSync(join(opts.outDir, name), data);
    written.push(name);
  };

  // Chrome Web Store: the store signs with its own key and assigns the id; an
  // uploaded manifest must not carry `key`.
  const chromeFiles = readDistFiles(chromeDir);
  const webStore = withManifest(chromeFiles, (manifest) => {
    delete manifest['key'];
    return manifest;
  });
  write(`${label}-chrome-${pkg.version}.zip`, await createZip(webStore));

  // Self-hosted CRX: the signing key is the identity. The payload's `key` is set
  // to the same public key, so unpacking the .crx gives the same id too.
  // `update_url` is what Chrome polls after the first install (the policy's
  // update URL is used only for the initial one), so it must name our update.xml.
  const signingKey = loadSigningKey(readFileSync(opts.keyFile));
  const extensionId = extensionIdForKey(signingKey);
  const updateUrl = new URL('update.xml', opts.baseUrl).href;
  const crxPayload = await createZip(
    withManifest(chromeFiles, (manifest) => ({ ...manifest, key: publicKeyDer(signingKey).toString('base64'), update_url: updateUrl })),
  );
  const crx = createCrx3(crxPayload, signingKey);
  const check = verifyCrx3(parseCrx3(crx));
  if (!check.ok || check.extensionId !== extensionId) throw new Error(`the .crx does not verify: ${check.problems.join('; ')}`);
  const crxName = `${label}-${pkg.version}.crx`;
  write(crxName, crx);
  const minimumChrome = readManifest(chromeFiles)['minimum_chrome_version'];
  write(
    'update.xml',
    updateManifestXml({
      appId: extensionId,
      version,
      codebase: new URL(encodeURIComponent(crxName), opts.baseUrl).href,
      prodVersionMin: typeof minimumChrome === 'string' ? minimumChrome : undefined,
    }),
  );

  const firefoxName = `${label}-firefox-${pkg.version}.zip`;
  firefoxZip(firefoxDir, opts.outDir, firefoxName);
  written.push(firefoxName);

  const source = collectSourceFiles(ROOT);
  write(`${label}-source-${pkg.version}.zip`, await createZip(source.files));
  if (source.uncommitted.length > 0) {
    log(
      `note: the source zip includes ${source.uncommitted.length} uncommitted file(s) (${source.uncommitted.slice(0, 5).join(', ')}${source.uncommitted.length > 5 ? ', …' : ''}); cut releases from a clean commit`,
    );
  }

  const sums = written
    .map(
      (name) =>
        `${createHash('sha256')
          .update(readFileSync(join(opts.outDir, name)))
          .digest('hex')}  ${name}`,
    )
    .join('\n');
  write('SHA256SUMS', `${sums}\n`);
  return { files: written, extensionId };
}

async function main(argv: string[]): Promise<void> {
  const opts = options(argv);
  if (!opts) {
    log('usage: npm run package -- [--no-build] [--out-dir DIR] [--key FILE.pem] [--base-url https://host/path/]');
    return;
  }
  const { files, extensionId } = await makePackages(opts);
  const shown = (file: string) => (relative(process.cwd(), file).startsWith('..') ? file : relative(process.cwd(), file) || '.');
  const outDir = shown(opts.outDir);
  log('');
  for (const name of files) {
    const bytes = readFileSync(join(opts.outDir, name)).length;
    log(`${String(bytes).padStart(9)} B  ${(bytes / 1024).toFixed(1).padStart(7)} kB  ${join(outDir, name)}`);
  }
  log(`\nextension id (from ${shown(opts.keyFile)}): ${extensionId}`);
  log(`update.xml and the .crx belong at ${opts.baseUrl} (policy update URL: ${new URL('update.xml', opts.baseUrl).href})`);
  if (opts.keyFile === TEST_KEY) log('the .crx is signed with the public TEST key: fine for CI and trials, never for an organisation (see docs/deploy.md)');
  if (opts.baseUrl === PLACEHOLDER_BASE_URL) log('the base URL is a placeholder: pass --base-url https://your-host/path/ for a real deployment');
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`package failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
