// Keeps the README's permissions table in step with manifest.json: each
// permission and each host permission the extension asks for has its row,
// and the table names nothing the manifest does not ask for.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths';

const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'manifest.json'), 'utf8')) as { permissions: string[]; host_permissions: string[] };

/** The first cells of the table under "## Permissions, and why each is needed", without their backticks. */
function tableKeys(): string[] {
  const section = readme.slice(readme.indexOf('## Permissions, and why each is needed'));
  const keys: string[] = [];
  for (const line of section.split('\n').slice(1)) {
    if (line.startsWith('## ')) break;
    const cell = /^\| (.+?) \|/.exec(line)?.[1];
    if (cell && cell !== 'Permission' && !cell.startsWith('---')) keys.push(cell.replace(/`/g, ''));
  }
  return keys;
}

describe('README permissions table', () => {
  it('has a row for each permission and host permission of manifest.json, and for nothing else', () => {
    const expected = [...manifest.permissions, ...manifest.host_permissions.map((pattern) => `host_permissions: ${pattern}`)];
    const rows = tableKeys().filter((key) => !key.startsWith('web_accessible_resources'));
    expect([...rows].sort()).toEqual([...expected].sort());
  });

  it('asks for no host beyond https, wss and http (no <all_urls>: no ftp, file or ws)', () => {
    expect([...manifest.host_permissions].sort()).toEqual(['http://*/*', 'https://*/*', 'wss://*/*']);
  });

  it('asks for the privacy permission the guard needs to turn network prediction off', () => {
    expect(manifest.permissions).toContain('privacy');
  });
});
