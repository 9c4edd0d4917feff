import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { SYNC_INTERVAL_MINUTES, checkConsoleUrl, checkSettingValue, consoleUrlFault, parseLocalSettings, parseManagedPolicy } from '../../src/config/index';
import { parseConsoleBaseUrl } from '../../src/console/base-url';
import type { ConsoleAddressFault } from '../../src/engine/index';
import { syncIntervalMs } from '../../src/sync/settings';
import { consoleUrlProblem, intervalProblem } from '../../src/ui/options/sync-settings-form';
import { englishCatalog, useEnglish } from './helpers/i18n';

beforeEach(useEnglish);

/**
 * One verdict on a console URL, wherever it is asked: the options form, the
 * policy and local settings (config), and the console client. Each row is
 * decided from docs/console-api.md: https only, plain http only to a loopback
 * host (localhost, 127.0.0.0/8, [::1], as the URL parser writes the host), and
 * never a user name or password in the URL. '' (or blanks) means "no console".
 */
const TABLE: [url: string, verdict: 'ok' | 'none' | ConsoleAddressFault][] = [
  ['', 'none'],
  ['   ', 'none'],
  ['https://console.example/rest', 'ok'],
  ['https://console.example.com/mocana-app-control/rest/', 'ok'],
  ['  https://console.example/rest/  ', 'ok'],
  ['HTTPS://CONSOLE.EXAMPLE/', 'ok'],
  ['https://console.example/rest?x=1#frag', 'ok'],
  ['https://console.example/my rest/', 'ok'],
  ['https://console.example:8443/', 'ok'],
  ['https://console.example./', 'ok'],
  ['https://bücher.example/rest/', 'ok'],
  ['https://xn--bcher-kva.example/rest/', 'ok'],
  ['http://localhost/', 'ok'],
  ['http://LOCALHOST:8080/rest/', 'ok'],
  ['http://127.0.0.1/', 'ok'],
  ['http://127.0.0.2/', 'ok'],
  ['http://127.255.255.255:9/', 'ok'],
  ['http://127.1/', 'ok'],
  ['http://2130706433/', 'ok'],
  ['http://127.0.0.1./', 'ok'],
  ['http://[::1]/', 'ok'],
  ['http://[::1]:9/rest/', 'ok'],
  ['http://[0:0:0:0:0:0:0:1]/', 'ok'],
  ['http://ｌｏｃａｌｈｏｓｔ/', 'ok'],
  ['https://user:pw@console.example/', 'credentials'],
  ['https://user@console.example/', 'credentials'],
  ['https://:pw@console.example/', 'credentials'],
  ['http://user:pw@localhost/', 'credentials'],
  ['http://console.example/', 'plain-http'],
  ['http://bücher.example/', 'plain-http'],
  ['http://localhost./', 'plain-http'],
  ['http://sub.localhost/', 'plain-http'],
  ['http://localhost.example/', 'plain-http'],
  ['http://127.0.0.1.nip.io/', 'plain-http'],
  ['http://128.0.0.1/', 'plain-http'],
  ['http://0.0.0.0/', 'plain-http'],
  ['http://[::ffff:127.0.0.1]/', 'plain-http'],
  ['http://[::2]/', 'plain-http'],
  ['ftp://console.example/', 'scheme'],
  ['ws://localhost/', 'scheme'],
  ['file:///etc/passwd', 'scheme'],
  ['javascript:alert(1)', 'scheme'],
  ['data:text/plain,hi', 'scheme'],
  ['not a url', 'not-a-url'],
  ['console.example', 'not-a-url'],
  ['//console.example/', 'not-a-url'],
  ['https://', 'not-a-url'],
  ['https://console example/', 'not-a-url'],
  ['https://user:s3cret@console example/', 'not-a-url'],
  ['https://user:s3cret pw@console.example/', 'credentials'],
  ['http://127.0.0.256/', 'not-a-url'],
  ['http://localhost:99999/', 'not-a-url'],
];

const configAccepts = (url: string) => parseManagedPolicy({ consoleUrl: url }).errors.length === 0;
const localAccepts = (url: string) => parseLocalSettings({ consoleUrl: url }).errors.length === 0;
const uiAccepts = (url: string) => consoleUrlProblem(url) === null;
/** The console client's refusal, or null when it would call the console there. */
const clientRefusal = (url: string): string | null => {
  try {
    parseConsoleBaseUrl(url);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
};
const clientAccepts = (url: string) => clientRefusal(url) === null;

describe('console URL verdicts', () => {
  it.each(TABLE)('%j: %s, in the options form, the policy, the local settings and the console client', (url, verdict) => {
    const accepted = verdict === 'ok' || verdict === 'none';
    expect(consoleUrlFault(url)).toBe(accepted ? null : verdict);
    expect(uiAccepts(url)).toBe(accepted);
    expect(configAccepts(url)).toBe(accepted);
    expect(localAccepts(url)).toBe(accepted);
    expect(checkConsoleUrl(url) === null).toBe(accepted);
    // Whatever is wrong, no message repeats a password.
    expect(JSON.stringify(parseManagedPolicy({ consoleUrl: url }))).not.toMatch(/s3cret|:pw@/);
    expect(clientRefusal(url) ?? '').not.toMatch(/s3cret|:pw@/);
    // The client is never asked to reach "no console".
    if (verdict !== 'none') expect(clientAccepts(url)).toBe(accepted);
  });

  it('the options form says what is wrong in the words of its catalogue', () => {
    const text = (key: string) => englishCatalog()[key]!.message;
    expect(consoleUrlProblem('https://user:pw@console.example/')).toBe(text('sync_urlCredentials'));
    expect(consoleUrlProblem('http://console.example/')).toBe(text('sync_urlNotHttps'));
    expect(consoleUrlProblem('ftp://console.example/')).toBe(text('sync_urlNotHttps'));
    expect(consoleUrlProblem('not a url')).toBe(text('sync_urlInvalid'));
  });

  it('agree on any text, URL-like or not', () => {
    const host = fc.constantFrom(
      'localhost',
      '127.0.0.1',
      '127.8.9.10',
      '[::1]',
      'console.example',
      'localhost.',
      '127.0.0.1.example',
      'bücher.example',
      'exa mple',
      '',
    );
    const urlLike = fc
      .tuple(
        fc.constantFrom('https://', 'http://', 'HTTP://', 'ftp://', 'ws://', 'https:', 'http:///', '//', ''),
        fc.constantFrom('', 'user@', 'user:pw@', ':pw@', '@'),
        host,
        fc.constantFrom('', ':8443', ':0', ':65536', ':x'),
        fc.constantFrom('', '/', '/rest', '/a b/', '?q#f'),
        fc.constantFrom('', ' ', '\t'),
      )
      .map(([scheme, user, name, port, path, pad]) => `${pad}${scheme}${user}${name}${port}${path}${pad}`);
    fc.assert(
      fc.property(fc.oneof(urlLike, fc.string()), (url) => {
        const verdicts = [uiAccepts(url), configAccepts(url), localAccepts(url)];
        expect(verdicts.every((verdict) => verdict === verdicts[0])).toBe(true);
        if (url.trim() !== '') expect(clientAccepts(url)).toBe(verdicts[0]);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('sync interval verdicts', () => {
  const { min, max } = SYNC_INTERVAL_MINUTES;
  const uiAccepts = (text: string) => intervalProblem(text) === null;
  /** Config takes it as it is: valid, and not clamped. */
  const configTakes = (minutes: number) => {
    const checked = checkSettingValue('syncIntervalMinutes', minutes);
    return checked.ok && checked.adjusted === undefined && checked.value === minutes;
  };

  it.each([min - 1, min, min + 1, 180, max - 1, max, max + 1, 0, -30, 45.5, 1e9])(
    '%d minutes: the options form and config agree, and the schedule uses it as it is',
    (minutes) => {
      const inRange = Number.isInteger(minutes) && minutes >= min && minutes <= max;
      expect(uiAccepts(String(minutes))).toBe(inRange);
      expect(configTakes(minutes)).toBe(inRange);
      if (inRange) expect(syncIntervalMs({ intervalMinutes: minutes })).toBe(minutes * 60_000);
    },
  );

  it('config clamps and the schedule clamps to the same bounds', () => {
    for (const [given, bound] of [
      [min - 1, min],
      [1, min],
      [max + 1, max],
      [10 * max, max],
    ] as const) {
      expect(checkSettingValue('syncIntervalMinutes', given)).toMatchObject({ ok: true, value: bound });
      expect(syncIntervalMs({ intervalMinutes: given })).toBe(bound * 60_000);
    }
    expect(syncIntervalMs({ intervalMinutes: Number.NaN })).toBe(SYNC_INTERVAL_MINUTES.default * 60_000);
  });

  it('the options form refuses what is not a whole number, and says the range', () => {
    for (const text of ['abc', '30.5', '1e400', '-', '60 minutes']) expect(uiAccepts(text), text).toBe(false);
    expect(intervalProblem('5')).toBe(`Write a whole number of minutes from ${min} to ${max}.`);
  });
});
