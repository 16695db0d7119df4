import { describe, expect, it } from 'vitest';
import { readServerFrame, refusal } from './server-frame';

const frame = (message: object) => Buffer.from(JSON.stringify(message));

describe('readServerFrame', () => {
  it('reads a valid message, and says why of one that is not', () => {
    expect(readServerFrame(frame({ type: 'ack', request_id: 'r1' }))).toEqual({
      ok: true,
      message: { type: 'ack', request_id: 'r1' },
    });
    expect(readServerFrame(Buffer.from('{'))).toEqual({ ok: false, reason: 'not JSON' });
    const unknown = readServerFrame(frame({ type: 'nope', request_id: 'r2' }));
    expect(unknown).toMatchObject({ ok: false, json: { request_id: 'r2' } });
  });

  it('reads a frame that came in fragments as one', () => {
    const whole = frame({ type: 'ack', request_id: 'r3' });
    const parts = [whole.subarray(0, 5), whole.subarray(5)];
    expect(readServerFrame(parts)).toMatchObject({ ok: true, message: { request_id: 'r3' } });
  });
});

describe('refusal', () => {
  const error = (message: string, code?: string) =>
    refusal({ type: 'error', message, ...(code ? { code } : {}) });

  it('shows a server’s sentence on one line, without bidi overrides or controls', () => {
    // U+202E would show "moc.live" reversed; line breaks would push the rest of the dialog down.
    const shown = error('Party is full.\n\nVisit \u202emoc.live\u202c now\u0007', 'party_full');
    expect(shown.message).toBe('Party is full. Visit moc.live now');
    expect(shown.code).toBe('party_full');
  });

  it('keeps the sentence’s own punctuation (no NFKC: "…" stays)', () => {
    expect(error('Your address already hosts 64 parties… end one first').message).toBe(
      'Your address already hosts 64 parties… end one first',
    );
  });

  it('a sentence of nothing but controls says the server gave no reason; an unknown code is plain', () => {
    const shown = error('\u202e\u0000 \n', 'made_up');
    expect(shown.message).toBe('The control server refused without saying why');
    expect(shown.code).toBe('error');
  });
});

describe('a rate_limited error’s retry_after_s (hostile input)', () => {
  /** The error a frame becomes, read as the link reads it: schema, then refusal. */
  const readError = (extra: object, code = 'rate_limited') => {
    const read = readServerFrame(frame({ type: 'error', message: 'Wait', code, ...extra }));
    if (!read.ok || read.message.type !== 'error') throw new Error('not read as an error');
    return refusal(read.message);
  };

  it('a whole number of seconds within an hour is kept', () => {
    expect(readError({ retry_after_s: 24 }).retryAfterS).toBe(24);
    expect(readError({ retry_after_s: 3600 }).retryAfterS).toBe(3600);
  });

  it('anything else is dropped, and the error is still read with its sentence and code', () => {
    for (const wait of [0, -5, 2.5, 3601, 1e300, '24', null, [24], { s: 24 }, true]) {
      const error = readError({ retry_after_s: wait });
      expect(error.retryAfterS, JSON.stringify(wait)).toBeUndefined();
      expect(error).toMatchObject({ message: 'Wait', code: 'rate_limited' });
    }
    expect(readError({}).retryAfterS).toBeUndefined();
  });

  it('is only taken with rate_limited: no other error makes the dialog wait', () => {
    expect(readError({ retry_after_s: 24 }, 'wrong_password').retryAfterS).toBeUndefined();
  });
});
