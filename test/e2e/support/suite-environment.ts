import { afterAll, beforeAll } from 'vitest';

/**
 * One browser environment for a describe block, as every end-to-end suite
 * has it: `start` runs before the suite's tests (it sets the suite's `env`
 * and returns it), whatever it started is closed after them however they
 * went, and the suite's time from collection to close is logged
 * (`label: 12.3 s`).
 */
export function environmentForSuite<E extends { close(): Promise<void> }>(label: string, start: () => Promise<E>, timeoutMs?: number): void {
  const started = Date.now();
  let env: E | undefined;

  beforeAll(async () => {
    env = await start();
  }, timeoutMs);

  afterAll(async () => {
    await env?.close();
    console.info(`${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
}
