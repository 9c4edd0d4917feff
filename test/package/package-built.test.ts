// Runs `npm run package` (scripts/package.ts) into temporary folders, on the
// dist/ that `npm run build` made, and opens everything it wrote. Then builds
// the source zip in a folder of its own and compares the result with the
// Firefox package, which is what addons.mozilla.org review does.
import { execFile } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extensionIdFromPem, projectExtensionId } from '../../scripts/extension-id.mjs';
import { manifestVersion } from '../../scripts/manifest-target';
import { readDistFiles } from '../../scripts/package/dist-files';
import { parseCrx3, verifyCrx3 } from '../../scripts/package/crx3';
import { SOURCE_PATHS } from '../../scripts/package/source-files';
import { zipFiles } from '../../scripts/package/zip';
import { DIST_DIR, REPO_ROOT } from '../helpers/paths';

const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
const version = pkg.version;
const manifestVersionString = manifestVersion(version).version;
const NAMES = {
  chrome: `client-certificate-rules-chrome-${version}.zip`,
  firefox: `client-certificate-rules-firefox-${version}.zip`,
  source: `client-certificate-rules-source-${version}.zip`,
  crx: `client-certificate-rules-${version}.crx`,
};
const BASE_URL = 'https://updates.example.net/ccr';

const scratch = mkdtempSync(path.join(tmpdir(), 'ccr-package-'));
const testOut = path.join(scratch, 'test-key');
const orgOut = path.join(scratch, 'org-key');
const orgKeyPath = path.join(scratch, 'org-key.pem');
const read = (dir: string, name: string) => readFileSync(path.join(dir, name));

function packer(args: string[], env: NodeJS.ProcessEnv) {
  return run(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'scripts/package.ts'), '--no-build', ...args], {
    cwd: REPO_ROOT,
    env,
    timeout: 90_000,
  });
}

let testRun: { stdout: string; stderr: string };

beforeAll(async () => {
  const orgKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  writeFileSync(orgKeyPath, orgKey.export({ type: 'pkcs8', format: 'pem' }));
  const env = { ...process.env };
  delete env['CRX_KEY_FILE'];
  delete env['CRX_BASE_URL'];
  [testRun] = await Promise.all([
    packer(['--out-dir', testOut, '--base-url', BASE_URL], env),
    // The organisation's key through the environment, as a CI secret would pass it.
    packer(['--out-dir', orgOut], { ...env, CRX_KEY_FILE: orgKeyPath }),
  ]);
}, 120_000);
const cleanups = [scratch];
afterAll(() => {
  for (const dir of cleanups) rmSync(dir, { recursive: true, force: true });
});

describe('npm run package', () => {
  it('writes the three zips, the .crx, update.xml and SHA256SUMS, named with package.json version', () => {
    expect(readdirSync(testOut).sort()).toEqual([...Object.values(NAMES), 'SHA256SUMS', 'update.xml'].sort());
    const sums = read(testOut, 'SHA256SUMS').toString('utf8').trim().split('\n');
    expect(sums).toHaveLength(5);
    for (const line of sums) {
      const [digest, name] = line.split(/\s+/);
      expect(createHash('sha256').update(read(testOut, name!)).digest('hex'), name).toBe(digest);
    }
    expect(testRun.stdout).toContain(projectExtensionId());
  });

  it('Web Store zip: exactly dist/chrome, with the manifest `key` removed', async () => {
    const zipped = await zipFiles(read(testOut, NAMES.chrome));
    const dist = readDistFiles(path.join(DIST_DIR, 'chrome'));
    expect([...zipped.keys()].sort()).toEqual(dist.map((file) => file.name).sort());
    for (const file of dist) {
      if (file.name !== 'manifest.json') expect(zipped.get(file.name)!.equals(Buffer.from(file.data)), file.name).toBe(true);
    }
    const manifest = JSON.parse(zipped.get('manifest.json')!.toString('utf8'));
    const { key, ...distManifest } = JSON.parse(readFileSync(path.join(DIST_DIR, 'chrome/manifest.json'), 'utf8'));
    expect(key).toBeTypeOf('string');
    expect(manifest).toEqual(distManifest);
    expect(manifest.update_url).toBeUndefined();
    expect(manifest.version).toBe(manifestVersionString);
  });

  it('.crx: verifies, is signed by the test key, and its payload is dist/chrome with the same key', async () => {
    const parsed = parseCrx3(read(testOut, NAMES.crx));
    expect(verifyCrx3(parsed)).toEqual({ ok: true, extensionId: projectExtensionId(), problems: [] });
    const payload = await zipFiles(parsed.zip);
    const dist = readDistFiles(path.join(DIST_DIR, 'chrome'));
    expect([...payload.keys()].sort()).toEqual(dist.map((file) => file.name).sort());
    const manifest = JSON.parse(payload.get('manifest.json')!.toString('utf8'));
    expect(manifest.key).toBe(JSON.parse(readFileSync(path.join(REPO_ROOT, 'manifest.json'), 'utf8')).key);
    // Chrome polls the manifest's update_url after the first install.
    expect(manifest.update_url).toBe(`${BASE_URL}/update.xml`);
    const { key: _key, update_url: _updateUrl, ...rest } = manifest;
    const { key: _distKey, ...distManifest } = JSON.parse(readFileSync(path.join(DIST_DIR, 'chrome/manifest.json'), 'utf8'));
    expect(rest).toEqual(distManifest);
  });

  it('update.xml: the extension id, the manifest version and the .crx under --base-url', () => {
    const xml = read(testOut, 'update.xml').toString('utf8');
    expect(xml).toContain('<gupdate xmlns="http://www.google.com/update2/response" protocol="2.0">');
    expect(xml).toContain(`<app appid="${projectExtensionId()}">`);
    expect(xml).toContain(`codebase="${BASE_URL}/${NAMES.crx}"`);
    expect(xml).toContain(`version="${manifestVersionString}"`);
  });

  it("an organisation's key (CRX_KEY_FILE) changes the id of the .crx and update.xml, not the store zips", async () => {
    const orgId = extensionIdFromPem(readFileSync(orgKeyPath, 'utf8'));
    expect(orgId).not.toBe(projectExtensionId());
    const parsed = parseCrx3(read(orgOut, NAMES.crx));
    expect(verifyCrx3(parsed)).toEqual({ ok: true, extensionId: orgId, problems: [] });
    const manifest = JSON.parse((await zipFiles(parsed.zip)).get('manifest.json')!.toString('utf8'));
    const orgPublic = createPublicKey(readFileSync(orgKeyPath, 'utf8')).export({ type: 'spki', format: 'der' }).toString('base64');
    expect(manifest.key).toBe(orgPublic);
    expect(read(orgOut, 'update.xml').toString('utf8')).toContain(`<app appid="${orgId}">`);
    // The placeholder base URL is used when none is given.
    expect(read(orgOut, 'update.xml').toString('utf8')).toContain('codebase="https://extensions.example.org/client-certificate-rules/');
    expect(read(orgOut, NAMES.chrome).equals(read(testOut, NAMES.chrome))).toBe(true);
  });

  it('Firefox zip: dist/firefox as web-ext packs it, with the gecko id', async () => {
    const zipped = await zipFiles(read(testOut, NAMES.firefox));
    const dist = readDistFiles(path.join(DIST_DIR, 'firefox'));
    expect([...zipped.keys()].sort()).toEqual(dist.map((file) => file.name).sort());
    for (const file of dist) expect(zipped.get(file.name)!.equals(Buffer.from(file.data)), file.name).toBe(true);
    const manifest = JSON.parse(zipped.get('manifest.json')!.toString('utf8'));
    expect(manifest.browser_specific_settings.gecko.id).toBe('client-certificate-rules@example.org');
    expect(manifest.key).toBeUndefined();
  });

  it('source zip: the build inputs and BUILD.md, no private key, no output, no dependencies', async () => {
    const names = [...(await zipFiles(read(testOut, NAMES.source))).keys()];
    for (const required of [
      'BUILD.md',
      'README.md',
      'manifest.json',
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'vite.config.ts',
      'vite.cli.config.ts',
      'scripts/build.mjs',
      'scripts/manifest-target.ts',
      'public/managed_schema.json',
      'src/background/index.ts',
    ]) {
      expect(names, required).toContain(required);
    }
    expect(names.filter((name) => /^(keys|node_modules|dist|artifacts|test|\.git)\//.test(name) || /\.pem$/.test(name))).toEqual([]);
    expect(names.every((name) => SOURCE_PATHS.some((prefix) => (prefix.endsWith('/') ? name.startsWith(prefix) : name === prefix)))).toBe(true);
    for (const [name, data] of await zipFiles(read(testOut, NAMES.source))) {
      expect(data.toString('latin1'), name).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
    }
  });

  it('source zip builds, on its own, into exactly the files of the Firefox package', async () => {
    // Beside node_modules (same file system), so the installed packages can be hard-linked in.
    mkdirSync(path.join(REPO_ROOT, '.tmp'), { recursive: true });
    const tree = mkdtempSync(path.join(REPO_ROOT, '.tmp', 'package-source-'));
    cleanups.push(tree);
    for (const [name, data] of await zipFiles(read(testOut, NAMES.source))) {
      mkdirSync(path.dirname(path.join(tree, name)), { recursive: true });
      writeFileSync(path.join(tree, name), data);
    }
    // The reviewer runs `npm ci`; there is no network here, so the installed packages are
    // hard-linked in. Not a symlink: bundles name module paths relative to the real path,
    // and a symlink pointing elsewhere changes those comments and so the chunk hashes.
    await run('cp', ['-al', path.join(REPO_ROOT, 'node_modules'), path.join(tree, 'node_modules')], { timeout: 60_000 });
    // As a reviewer's shell would run it: vitest's NODE_ENV=test would change what Vite emits.
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_ENV' && !name.startsWith('VITEST')));
    await run(process.execPath, [path.join(tree, 'scripts/build.mjs')], { cwd: tree, env, timeout: 120_000 });
    const rebuilt = readDistFiles(path.join(tree, 'dist/firefox'));
    const packaged = await zipFiles(read(testOut, NAMES.firefox));
    const differing = rebuilt.filter((file) => !packaged.get(file.name)?.equals(Buffer.from(file.data))).map((file) => file.name);
    const missing = [...packaged.keys()].filter((name) => !rebuilt.some((file) => file.name === name));
    // If this fails in a working copy, dist/ is older than the sources: run `npm run build`.
    expect({ differing, missing }).toEqual({ differing: [], missing: [] });
  }, 120_000);
});
