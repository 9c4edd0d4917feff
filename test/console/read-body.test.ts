import { describe, expect, it } from 'vitest';
import { readBodyLimited } from '../../src/console/read-body';

function streamed(chunks: Uint8Array[], onPull: () => void = () => undefined, headers: Record<string, string> = {}): Response {
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      onPull();
      const chunk = chunks[i++];
      if (chunk) controller.enqueue(chunk);
      else controller.close();
    },
  });
  return new Response(body, { headers });
}

describe('body limit', () => {
  it('reads a body up to the limit exactly', async () => {
    const text = await readBodyLimited(streamed([new TextEncoder().encode('{"a":'), new TextEncoder().encode('1}')]), 7);
    expect(text).toBe('{"a":1}');
  });

  it('stops reading as soon as the count passes the limit, whatever Content-Length says', async () => {
    let pulls = 0;
    const chunk = new Uint8Array(1000);
    const response = streamed(
      Array.from({ length: 100 }, () => chunk),
      () => pulls++,
      { 'content-length': '10' },
    );
    await expect(readBodyLimited(response, 2500)).rejects.toMatchObject({ kind: 'too-large' });
    expect(pulls).toBeLessThan(6);
  });

  it('rejects bytes that are not UTF-8', async () => {
    await expect(readBodyLimited(streamed([new Uint8Array([0xff, 0xfe])]), 100)).rejects.toMatchObject({ kind: 'bad-data' });
  });
});
