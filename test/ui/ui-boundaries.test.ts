import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../helpers/paths';
import { catalogGetMessage, englishCatalog } from './helpers/i18n';

const UI = path.join(REPO_ROOT, 'src/ui');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
}

const sources = files(UI).filter((file) => /\.(tsx?|html|css)$/.test(file));
const code = sources.filter((file) => /\.tsx?$/.test(file));

describe('UI boundaries', () => {
  test.each(code.map((file) => [path.relative(REPO_ROOT, file), file]))('%s imports no background code', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/from\s+['"][^'"]*\/background\//);
  });

  test('no innerHTML, no dangerouslySetInnerHTML, no eval, no inline style attributes or scripts', () => {
    for (const file of sources) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/innerHTML|dangerouslySetInnerHTML|\beval\(|new Function\(|insertAdjacentHTML|document\.write/);
      expect(text, file).not.toMatch(/\sstyle=\{|\sstyle="/);
      if (file.endsWith('.html')) expect(text, file).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    }
  });

  test('only the pages import webextension-polyfill (components stay testable with a fake)', () => {
    const importers = code.filter((file) => readFileSync(file, 'utf8').includes("from 'webextension-polyfill'")).map((file) => path.relative(UI, file));
    expect(importers.sort()).toEqual(['common/page-boot.ts', 'guard/main.tsx', 'options/main.tsx', 'popup/main.tsx']);
  });
});

describe('messages', () => {
  const catalog = englishCatalog();
  const used = new Set(code.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/\bt\('([A-Za-z0-9_]+)'/g)].map((match) => match[1] as string)));

  test('every message the UI uses exists in English', () => {
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((key) => !(key in catalog))).toEqual([]);
  });

  test('every placeholder is declared, and substitution works as in the browser', () => {
    for (const [key, entry] of Object.entries(catalog)) {
      const named = [...entry.message.matchAll(/\$([a-zA-Z0-9_]+)\$/g)].map((match) => (match[1] as string).toLowerCase());
      const declared = Object.keys(entry.placeholders ?? {}).map((name) => name.toLowerCase());
      expect(
        named.filter((name) => !declared.includes(name)),
        key,
      ).toEqual([]);
    }
    const get = catalogGetMessage(catalog);
    expect(get('ui_ruleNumber', ['3', '2'])).toBe('Rule 3 (index 2)');
    expect(get('ui_syncOk', ['Corporate', '5 minutes ago'])).toBe('Corporate, synced 5 minutes ago');
  });
});
