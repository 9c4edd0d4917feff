// @vitest-environment jsdom
// jsdom for DOMParser: update.xml is checked by an XML parser, not by regular expressions.
import { describe, expect, it } from 'vitest';
import { projectExtensionId } from '../../scripts/extension-id.mjs';
import { normalizeBaseUrl, updateManifestXml } from '../../scripts/package/update-manifest';

describe('update.xml', () => {
  it('names the id, the version and the .crx URL in gupdate format', () => {
    const xml = updateManifestXml({
      appId: projectExtensionId(),
      version: '1.2.3',
      codebase: 'https://extensions.example.org/ccr/client-certificate-rules-1.2.3.crx',
      prodVersionMin: '120',
    });
    const document = new DOMParser().parseFromString(xml, 'application/xml');
    expect(document.getElementsByTagName('parsererror')).toHaveLength(0);
    const root = document.documentElement;
    expect(root.localName).toBe('gupdate');
    expect(root.namespaceURI).toBe('http://www.google.com/update2/response');
    expect(root.getAttribute('protocol')).toBe('2.0');
    const app = root.getElementsByTagName('app')[0]!;
    expect(app.getAttribute('appid')).toBe(projectExtensionId());
    const check = app.getElementsByTagName('updatecheck')[0]!;
    expect(check.getAttribute('version')).toBe('1.2.3');
    expect(check.getAttribute('codebase')).toBe('https://extensions.example.org/ccr/client-certificate-rules-1.2.3.crx');
    expect(check.getAttribute('prodversionmin')).toBe('120');
  });

  it('escapes the URL and refuses what Chrome would not accept', () => {
    expect(updateManifestXml({ appId: 'a'.repeat(32), version: '1.0', codebase: "https://h/x?a=1&b='2'" })).toContain(
      'codebase="https://h/x?a=1&amp;b=&apos;2&apos;"',
    );
    expect(() => updateManifestXml({ appId: 'not-an-id', version: '1.0', codebase: 'https://h/x.crx' })).toThrow();
    expect(() => updateManifestXml({ appId: 'a'.repeat(32), version: '1.0.0-beta', codebase: 'https://h/x.crx' })).toThrow();
  });

  it('takes only https base URLs (loopback http for tests) and adds the trailing slash', () => {
    expect(normalizeBaseUrl('https://cdn.example.org/ccr')).toBe('https://cdn.example.org/ccr/');
    expect(normalizeBaseUrl('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080/');
    expect(() => normalizeBaseUrl('http://cdn.example.org/ccr/')).toThrow(/https/);
    expect(() => normalizeBaseUrl('not a url')).toThrow();
  });
});
