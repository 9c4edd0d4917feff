/**
 * Preact runs effects after a paint, or after a short timeout without one; in
 * jsdom that timeout can fire after a file's last test, once the environment
 * is gone ("cancelAnimationFrame is not defined"). In jsdom test files (a
 * vitest setup file) every file waits that long after its last test, so the
 * last renders' effects run while jsdom is still there.
 */
import { afterAll } from 'vitest';

/** Longer than Preact's fallback for a frame that never comes (hooks' RAF_TIMEOUT) and a render it starts. */
const SETTLE_MS = 150;

if (typeof window !== 'undefined') afterAll(() => new Promise((resolve) => setTimeout(resolve, SETTLE_MS)));
