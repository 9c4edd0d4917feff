import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extensionIdFromDer, extensionIdFromPem, projectExtensionId } from '../../scripts/extension-id.mjs';
import { manifestForTarget, manifestVersion, parseTarget } from '../../scripts/manifest-target';
import { REPO_ROOT } from '../helpers/paths';

const source = JSON.parse(readFileSync(path.join(REPO_ROOT, 'manifest.json'), 'utf8'));

describe('manifest.json', () => {
  it('is MV3 without a version of its own (package.json holds it)', () => {
    expect(source.manifest_version).toBe(3);
    expect(source.version).toBeUndefined();
    expect(source.name).toMatch(/^__MSG_\w+__$/);
  });

  it('has a key whose private half is keys/test-key.pem', () => {
    const pem = readFileSync(path.join(REPO_ROOT, 'keys/test-key.pem'), 'utf8');
    expect(extensionIdFromPem(pem)).toBe(projectExtensionId());
  });
});

describe('extension id', () => {
  it('maps the first 128 bits of sha256 to letters a-p', () => {
    // sha256("") = e3b0c442 98fc1c14 9afbf4c8 996fb924 ...
    expect(extensionIdFromDer(new Uint8Array())).toBe('odlameecjipmbmbejkplpemijjgpljce');
  });
});

describe('manifestForTarget', () => {
  it('chrome: version from package.json, no gecko settings, service worker kept', () => {
    const chrome = manifestForTarget(source, 'chrome', '1.2.3');
    expect(chrome['version']).toBe('1.2.3');
    expect(chrome['browser_specific_settings']).toBeUndefined();
    expect(chrome['key']).toBe(source.key);
    expect(chrome.background).toEqual(source.background);
  });

  it("chrome: the guard page is web-accessible only through the session's dynamic address; firefox: without the key it does not support", () => {
    const guardEntry = (manifest: Record<string, unknown>) =>
      (manifest['web_accessible_resources'] as { resources: string[]; use_dynamic_url?: boolean }[]).find((entry) =>
        entry.resources.includes('src/ui/guard/index.html'),
      );
    expect(guardEntry(manifestForTarget(source, 'chrome', '1.2.3'))?.use_dynamic_url).toBe(true);
    const firefox = guardEntry(manifestForTarget(source, 'firefox', '1.2.3'));
    expect(firefox?.resources).toEqual(['src/ui/guard/index.html']);
    expect(firefox && 'use_dynamic_url' in firefox).toBe(false);
  });

  it('firefox: background scripts, no key, gecko id kept, source untouched', () => {
    const firefox = manifestForTarget(source, 'firefox', '1.2.3');
    expect(firefox.background).toEqual({ scripts: [source.background.service_worker], type: 'module' });
    expect(firefox['key']).toBeUndefined();
    expect(firefox['minimum_chrome_version']).toBeUndefined();
    expect((firefox['browser_specific_settings'] as { gecko: { id: string } }).gecko.id).toBe('client-certificate-rules@example.org');
    expect(source.key).toBeTypeOf('string');
  });

  it('moves a pre-release suffix to version_name (Chrome) and refuses a non-numeric version', () => {
    expect(manifestVersion('2.0.1-beta.3')).toEqual({ version: '2.0.1', version_name: '2.0.1-beta.3' });
    expect(manifestForTarget(source, 'chrome', '2.0.1-beta.3')['version_name']).toBe('2.0.1-beta.3');
    expect(manifestForTarget(source, 'firefox', '2.0.1-beta.3')['version_name']).toBeUndefined();
    expect(() => manifestVersion('beta')).toThrow(/does not start with a number/);
  });

  it('accepts only the known targets', () => {
    expect(parseTarget(undefined)).toBe('chrome');
    expect(parseTarget('firefox')).toBe('firefox');
    expect(() => parseTarget('safari')).toThrow(/TARGET must be one of/);
  });
});
