import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { projectExtensionId } from '../../scripts/extension-id.mjs';
import { startConsoleEmulator } from '../console/emulator/index';
import { launchChromiumWithExtension } from './chromium';
import { acquirePolicyLock, installChromiumPolicy, removeChromiumPolicy } from './support/policy';
import { E2E_USER, MANAGED_RULES, e2eSeed } from './support/scenario';

/** Records, from the page's first frame, each change of its section's text with the time since navigation start. */
async function recordSection(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: { at: number; text: string }[] = [];
    (globalThis as unknown as { sectionSeen: typeof seen }).sectionSeen = seen;
    const tick = () => {
      const main = document.querySelector<HTMLElement>('.options-main');
      // The section's own content, below its heading.
      const text = main
        ? [...main.children]
            .slice(1)
            .map((child) => (child as HTMLElement).innerText.replace(/\s+/g, ' '))
            .join(' ')
        : '';
      if (text !== (seen.at(-1)?.text ?? '')) seen.push({ at: performance.now(), text });
      if (!document.querySelector('[data-source], .status-line')) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

/**
 * The options page opened at a browser's start on a fresh profile: Chromium
 * delivers the managed policy seconds after the start (storage.managed.get
 * takes about 2.5 s there), and every answer of the background depends on it.
 * The console holds every call, so the first sync hangs too. The page shows at
 * once what the browser already holds, then the section, without a reload.
 */
describe('the options page at a fresh browser start (Chromium)', () => {
  it('shows what is known at once, never a bare "Loading…", and the section as soon as the background answers', async () => {
    const release = await acquirePolicyLock();
    const consoleServer = await startConsoleEmulator({ seed: e2eSeed(), loginStyle: 'redirect' });
    consoleServer.setFault('any', { type: 'hold' });
    let browser: Awaited<ReturnType<typeof launchChromiumWithExtension>> | null = null;
    try {
      installChromiumPolicy(projectExtensionId(), {
        consoleUrl: consoleServer.url,
        authMode: 'form',
        username: E2E_USER.email,
        password: E2E_USER.password,
        rules: MANAGED_RULES,
        guard: 'block',
      });
      browser = await launchChromiumWithExtension();
      const timings: string[] = [];
      for (const [hash, ready] of [
        ['rules', '[data-source="managed"]'],
        ['sync', '.status-line'],
      ] as const) {
        const page = await browser.context.newPage();
        await recordSection(page);
        await page.goto(`chrome-extension://${browser.extensionId}/src/ui/options/index.html#${hash}`);
        await page.locator(ready).first().waitFor({ timeout: 20_000 });
        const seen = await page.evaluate(() => (globalThis as unknown as { sectionSeen: { at: number; text: string }[] }).sectionSeen);
        const first = seen[0]!;
        const real = seen.at(-1)!;
        timings.push(`#${hash}: ${seen.map((step) => `${step.at.toFixed(0)} ms "${step.text.slice(0, 40)}"`).join(', ')}`);
        // Never a bare "Loading…": the first thing in the section is what is known, or the section itself.
        for (const step of seen) expect(step.text, hash).not.toMatch(/^Loading…$/);
        expect(first.text.startsWith("The extension is reading your organisation's policy") || first === real, hash).toBe(true);
        // What the browser holds follows within moments (a storage.local read) whenever the background takes longer: here
        // the first page waits for the policy for seconds; a later one may get the background's answer first.
        if (real.at - first.at > 300)
          expect(
            seen.some((step) => step.text.includes('No console profile synced in this browser yet')),
            hash,
          ).toBe(true);
        // With the page's first frames (0.3–0.6 s measured from navigation start; the bound leaves room for a busy machine).
        expect(first.at, hash).toBeLessThan(1_500);
        await page.close();
      }
      console.info(`options at a fresh start: ${timings.join('; ')}`);
    } finally {
      removeChromiumPolicy();
      await browser?.close();
      release();
      await consoleServer.close();
    }
  }, 120_000);
});
