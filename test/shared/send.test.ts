import { describe, expect, it, vi } from 'vitest';
import { MessageError } from '../../src/shared/message-error';
import { replyValue } from '../../src/shared/message-error';
import type { Sender } from '../../src/shared/send';
import { withEarlyReply } from '../../src/ui/options/early-request';

const fallback = () => vi.fn(async (request: { type: string }) => ({ from: 'sender', type: request.type })) as unknown as Sender & ReturnType<typeof vi.fn>;

describe('replies', () => {
  it('gives a reply its value, and an error reply or none as a readable error', () => {
    expect(replyValue({ ok: true, value: 3 })).toBe(3);
    expect(() => replyValue({ ok: false, error: { code: 'managed', message: 'not allowed' } })).toThrow(new MessageError('managed', 'not allowed'));
    expect(() => replyValue(undefined)).toThrow(/did not answer/);
  });
});

describe('a page’s early request', () => {
  it('answers the first request of its type with the reply asked for early, and later ones through the sender', async () => {
    const sender = fallback();
    const send = withEarlyReply('getRuleSources', Promise.resolve({ ok: true, value: { early: true } }), sender);
    await expect(send({ type: 'getRuleSources' })).resolves.toEqual({ early: true });
    expect(sender).not.toHaveBeenCalled();
    await expect(send({ type: 'getRuleSources' })).resolves.toEqual({ from: 'sender', type: 'getRuleSources' });
    expect(sender).toHaveBeenCalledTimes(1);
  });

  it('leaves other requests to the sender, before and after', async () => {
    const sender = fallback();
    const send = withEarlyReply('getRuleSources', Promise.resolve({ ok: true, value: 'early' }), sender);
    await expect(send({ type: 'getStatus' })).resolves.toEqual({ from: 'sender', type: 'getStatus' });
    await expect(send({ type: 'getRuleSources' })).resolves.toBe('early');
  });

  it('turns an early error reply, or a failed early request, into the same error a request would give', async () => {
    const refused = withEarlyReply('getRuleSources', Promise.resolve({ ok: false, error: { code: 'internal', message: 'broken' } }), fallback());
    await expect(refused({ type: 'getRuleSources' })).rejects.toThrow(new MessageError('internal', 'broken'));
    const failed = withEarlyReply('getRuleSources', Promise.reject(new Error('Receiving end does not exist.')), fallback());
    await expect(failed({ type: 'getRuleSources' })).rejects.toThrow('Receiving end does not exist.');
  });

  it('is the sender alone when nothing was asked early', async () => {
    const sender = fallback();
    await withEarlyReply('getRuleSources', null, sender)({ type: 'getRuleSources' });
    expect(sender).toHaveBeenCalledTimes(1);
  });
});
