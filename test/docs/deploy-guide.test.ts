// Keeps docs/deploy.md in step with the product: the settings it documents,
// the example files it links, the ids it names, the badge it describes, and
// the words it quotes from the extension's UI and error messages.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectExtensionId } from '../../scripts/extension-id.mjs';
import { PLACEHOLDER_BASE_URL } from '../../scripts/package/update-manifest';
import { allBadges } from '../../src/background/badge';
import { SETTING_KEYS } from '../../src/config/index';
import { REPO_ROOT } from '../helpers/paths';

const guide = readFileSync(path.join(REPO_ROOT, 'docs/deploy.md'), 'utf8');
/** The guide as rendered text flows: Markdown line breaks inside a paragraph are spaces. */
const flat = guide.replace(/\s+/g, ' ');
const managedSchema = JSON.parse(readFileSync(path.join(REPO_ROOT, 'public/managed_schema.json'), 'utf8')) as { properties: Record<string, unknown> };
const messages = JSON.parse(readFileSync(path.join(REPO_ROOT, 'public/_locales/en/messages.json'), 'utf8')) as Record<string, { message: string }>;
const GECKO_ID = JSON.parse(readFileSync(path.join(REPO_ROOT, 'manifest.json'), 'utf8')).browser_specific_settings.gecko.id as string;
const consoleSource = readdirSync(path.join(REPO_ROOT, 'src/console'))
  .filter((name) => name.endsWith('.ts'))
  .map((name) => readFileSync(path.join(REPO_ROOT, 'src/console', name), 'utf8'))
  .join('\n');

/** The rows of the first table whose header line is exactly `header`. */
function tableRows(header: string): string[][] {
  const lines = guide.split('\n');
  const start = lines.indexOf(header);
  expect(start, `table "${header}"`).toBeGreaterThan(-1);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

/** A message from the locale file with its $placeholders$ written as the guide writes them. */
function rendered(key: string, placeholders: Record<string, string> = {}): string {
  const message = messages[key]?.message;
  expect(message, key).toBeTypeOf('string');
  return message!.replace(/\$(\w+)\$/g, (_, name: string) => placeholders[name] ?? '…');
}

describe('docs/deploy.md', () => {
  it('documents every setting of managed_schema.json, and no other, in the settings table', () => {
    const keys = tableRows('| Key | Type | Default | What it does |').map((row) => row[0]!.replace(/^`|`$/g, ''));
    expect([...keys].sort()).toEqual(Object.keys(managedSchema.properties).sort());
    expect([...keys].sort()).toEqual([...SETTING_KEYS].sort());
  });

  it('links every example file, and every link to an example exists', () => {
    const linked = new Set([...guide.matchAll(/\]\(examples\/([^)#]*)\)/g)].map((match) => match[1]!));
    const files = readdirSync(path.join(REPO_ROOT, 'docs/examples')).filter((name) => !name.startsWith('.'));
    for (const file of files) expect(linked, file).toContain(file);
    for (const link of linked) expect(existsSync(path.join(REPO_ROOT, 'docs/examples', link)), link).toBe(true);
  });

  it('names only the real extension ids and the packer’s placeholder address', () => {
    const chromeIds = new Set(guide.match(/\b[a-p]{32}\b/g));
    expect([...chromeIds]).toEqual([projectExtensionId()]);
    const geckoIds = new Set(guide.match(/client-certificate-rules@[A-Za-z0-9.-]*[A-Za-z0-9]/g));
    expect([...geckoIds]).toEqual([GECKO_ID]);
    expect(guide).toContain(PLACEHOLDER_BASE_URL);
    expect(guide).toContain(`${PLACEHOLDER_BASE_URL}update.xml`);
  });

  it('describes the badge exactly as src/background/badge.ts draws it', () => {
    const rows = tableRows('| Badge | Colour | Meaning |');
    expect(rows).toHaveLength(allBadges().length);
    for (const badge of allBadges()) {
      const row = rows.find((cells) => cells[0] === `\`${badge.text}\``);
      expect(row, `badge ${badge.state}`).toBeDefined();
      expect(row![1], `colour of ${badge.state}`).toContain(`\`${badge.color}\``);
    }
  });

  it('quotes the decisions and page texts as the extension shows them', () => {
    for (const key of Object.keys(messages).filter((name) => name.startsWith('ui_decision'))) {
      expect(flat, key).toContain(`**${rendered(key)}**`);
    }
    const quoted: [string, Record<string, string>?][] = [
      ['popup_decidingRule'],
      ['popup_ruleLint'],
      ['popup_openOptions'],
      ['popup_testHeading'],
      ['ui_syncNow'],
      ['guard_title'],
      ['guard_continue'],
      ['guard_notStoppedTitle'],
      ['rules_newerRejected'],
      ['policy_errors', { count: 'N' }],
      ['policy_rulesRejected'],
      ['options_sectionRules'],
      ['options_sectionTester'],
      ['options_sectionSync'],
      ['options_sectionProfiles'],
      ['options_sectionImport'],
      ['options_sectionPolicy'],
      ['options_sectionBrowserPolicy'],
    ];
    for (const [key, placeholders] of quoted) expect(flat, key).toContain(rendered(key, placeholders));
    // Quoted in part (the rest of the sentence follows in the guide's own words).
    expect(flat).toContain(rendered('rules_sourceRejected').split(':')[0]!);
    expect(flat).toContain(rendered('policy_guardNotFitted').split(' (')[0]!);
    expect(flat).toContain(rendered('policy_guardPredictionOn').split(' (')[0]!);
    expect(flat).toContain(rendered('ui_syncFailing').replace(/^…/, '').split('): ')[0]!);
    expect(flat).toContain(rendered('ui_syncStale').replace(/ …$/, '').split(' … ')[1]!);
  });

  it('quotes console errors that the console client really produces', () => {
    const fragments = [
      'with its sign-in page: not signed in or the session expired',
      'sign in to the console in this browser, then sync again',
      'authentication failed: the console did not accept the user name and password',
      'the console did not accept the bearer token',
      'this account is not allowed to do that (HTTP 403)',
      'the connection to the console at',
      'the console did not answer within',
    ];
    for (const fragment of fragments) {
      expect(flat, fragment).toContain(fragment);
      expect(consoleSource, fragment).toContain(fragment);
    }
  });
});
