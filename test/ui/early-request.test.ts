import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { takeEarlyRuleSources } from '../../src/ui/options/early-request';
import { REPO_ROOT } from '../helpers/paths';

const SCRIPT = readFileSync(path.join(REPO_ROOT, 'public/early-request.js'), 'utf8');

/** Runs public/early-request.js as the options page would, with these extension APIs; returns its globals and what it sent. */
function runEarlyScript(apis: { browser?: boolean; chrome?: boolean }) {
  const sent: { api: string; message: unknown }[] = [];
  const runtime = (api: string) => ({
    sendMessage: (message: unknown) => {
      sent.push({ api, message });
      return Promise.resolve({ ok: true, value: api });
    },
  });
  const context: Record<string, unknown> = {};
  if (apis.browser) context['browser'] = { runtime: runtime('browser') };
  if (apis.chrome) context['chrome'] = { runtime: runtime('chrome') };
  context['globalThis'] = context;
  runInNewContext(SCRIPT, context);
  return { context, sent };
}

describe('the options page’s early request', () => {
  it('asks for the rule sources at once, through browser where it exists (Firefox), else chrome', async () => {
    const firefox = runEarlyScript({ browser: true, chrome: true });
    expect(firefox.sent).toEqual([{ api: 'browser', message: { type: 'getRuleSources' } }]);
    const chrome = runEarlyScript({ chrome: true });
    expect(chrome.sent).toEqual([{ api: 'chrome', message: { type: 'getRuleSources' } }]);
    await expect(takeEarlyRuleSources(chrome.context)).resolves.toEqual({ ok: true, value: 'chrome' });
  });

  it('is taken once: the page’s later requests go to the background', () => {
    const { context } = runEarlyScript({ chrome: true });
    expect(takeEarlyRuleSources(context)).toBeInstanceOf(Promise);
    expect(takeEarlyRuleSources(context)).toBeNull();
  });

  it('sends nothing, and leaves nothing to take, outside an extension page', () => {
    const { context, sent } = runEarlyScript({});
    expect(sent).toEqual([]);
    expect(takeEarlyRuleSources(context)).toBeNull();
  });
});
