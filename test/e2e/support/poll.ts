/**
 * Reads `read()` until `ok` holds for its value and returns that value; throws
 * with the last value seen after `timeoutMs`. Unlike vitest's expect.poll it
 * works in hooks and in scripts outside a test (the demo). A read that throws
 * counts as "not yet".
 */
export async function pollUntil<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  let last: { value: T } | { error: unknown } | null = null;
  for (;;) {
    try {
      const value = await read();
      if (ok(value)) return value;
      last = { value };
    } catch (error) {
      last = { error };
    }
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
  const seen = last === null ? 'nothing' : 'error' in last ? `error ${String(last.error)}` : JSON.stringify(last.value)?.slice(0, 500);
  throw new Error(`timed out waiting for ${options.what ?? 'a condition'}; last seen: ${seen}`);
}
