import { ConsoleError } from './failure';

/**
 * Reads a response body as UTF-8 text, counting bytes as they arrive: a body
 * over `limit` is abandoned as soon as it crosses the limit, whatever
 * Content-Length claimed (a server may send none, or lie).
 */
export async function readBodyLimited(response: Response, limit: number): Promise<string> {
  const body = response.body;
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw new ConsoleError('too-large', `the console's answer is larger than ${formatBytes(limit)}; it was not read further`);
    }
    chunks.push(value);
  }
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(joined);
  } catch {
    throw new ConsoleError('bad-data', 'the console answered with bytes that are not UTF-8 text', { path: '$' });
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
