import { describe, expect, it } from 'vitest';
import { OrderedSends } from './ordered-sends';

describe('OrderedSends', () => {
  it('sends at once while nothing is held', () => {
    const sends = new OrderedSends();
    const sent: string[] = [];
    sends.send(() => sent.push('a'));
    expect(sent).toEqual(['a']);
    expect(sends.waiting).toBe(false);
  });

  it('keeps what comes after a held place until it is released, then sends in order', () => {
    const sends = new OrderedSends();
    const sent: string[] = [];
    const release = sends.hold();
    sends.send(() => sent.push('event'));
    expect(sent).toEqual([]);
    expect(sends.waiting).toBe(true);
    release(() => sent.push('answer'));
    expect(sent).toEqual(['answer', 'event']);
    expect(sends.waiting).toBe(false);
  });

  it('sends nothing past an earlier place still held, whatever is released after it', () => {
    const sends = new OrderedSends();
    const sent: string[] = [];
    const first = sends.hold();
    const second = sends.hold();
    sends.send(() => sent.push('event'));
    second(() => sent.push('second'));
    expect(sent).toEqual([]);
    first(() => sent.push('first'));
    expect(sent).toEqual(['first', 'second', 'event']);
  });

  it('lets a place go with nothing to send, and ignores a second release', () => {
    const sends = new OrderedSends();
    const sent: string[] = [];
    const release = sends.hold();
    sends.send(() => sent.push('event'));
    release();
    release(() => sent.push('late'));
    expect(sent).toEqual(['event']);
  });

  it('sends what a send produces after what was already waiting', () => {
    const sends = new OrderedSends();
    const sent: string[] = [];
    const release = sends.hold();
    sends.send(() => sent.push('queued'));
    release(() => {
      sent.push('answer');
      sends.send(() => sent.push('follow-up'));
    });
    expect(sent).toEqual(['answer', 'queued', 'follow-up']);
  });

  it('counts the sizes of the sends waiting until they go out', () => {
    const sends = new OrderedSends();
    const seen: number[] = [];
    sends.send(() => seen.push(sends.waitingBytes), 100);
    expect(sends.waitingBytes).toBe(0);
    const release = sends.hold();
    sends.send(() => seen.push(sends.waitingBytes), 300);
    sends.send(() => seen.push(sends.waitingBytes), 50);
    expect(sends.waitingBytes).toBe(350);
    release();
    // Each send sees only what still waits behind it.
    expect(seen).toEqual([0, 50, 0]);
    expect(sends.waitingBytes).toBe(0);
  });
});
