import { describe, expect, it } from 'vitest';
import { ManualClock } from '../test-util/manual-clock';
import { LOOK_FOR_MS, lookFor } from './look-for';

function network() {
  const clock = new ManualClock();
  const listeners = new Set<() => void>();
  let heard: string[] = [];
  let asked = 0;
  const deps = {
    clock,
    ask: () => (asked++, true),
    locate: () => Promise.resolve(heard),
    watch: (listener: () => void) => (listeners.add(listener), () => listeners.delete(listener)),
  };
  const hear = (place: string) => {
    heard = [place];
    for (const l of [...listeners]) l();
  };
  return { clock, deps, hear, asked: () => asked, listeners };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('lookFor', () => {
  it('asks the network and answers as soon as the party is heard', async () => {
    const { deps, hear, asked, listeners } = network();
    const found = lookFor(deps);
    await settle();
    expect(asked()).toBe(1);
    hear('wss://10.0.0.1:8669/ws');
    expect(await found).toEqual(['wss://10.0.0.1:8669/ws']);
    expect(listeners.size).toBe(0);
  });

  it('not heard: asks again about once a second, and gives up after the wait', async () => {
    const { clock, deps, asked } = network();
    let answer: string[] | null = null;
    void lookFor(deps).then((a) => (answer = a));
    for (let t = 0; t < LOOK_FOR_MS - 1000; t += 1000) {
      await clock.advance(1000);
      await settle();
    }
    expect(answer).toBeNull();
    await clock.advance(1000);
    await settle();
    expect(answer).toEqual([]);
    expect(asked()).toBe(LOOK_FOR_MS / 1000 + 1);
  });

  it('without anything to ask (no LAN), answers at once', async () => {
    const { deps } = network();
    expect(await lookFor({ ...deps, ask: () => false })).toEqual([]);
  });
});
