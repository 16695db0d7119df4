/**
 * The Redis guess throttle keeps the embedded one's limits (guess-throttle.ts): the same
 * sequence of wrong guesses and waits gives the same answers from both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FREE_GUESSES,
  GUESS_REFILL_MS,
  GuessThrottle,
  type GuessLimiter,
} from '../../access/guess-throttle';
import { BackendCases } from '../test-util/backend-cases';
import { RedisGuessThrottle } from './guesses';
import type { RedisPartyStore } from './store';

const backends = new BackendCases();
beforeAll(() => backends.start(), 20_000);
afterAll(() => backends.cleanup());

/** Guesses taken (0) or refused (the wait, s) as time passes, and one given back. */
async function replay(limiter: GuessLimiter, clock: { t: number }): Promise<number[]> {
  const take = (peer: string, address = '10.0.0.1') => limiter.take('party_x', peer, address);
  const seen: number[] = [];
  for (let i = 0; i < FREE_GUESSES; i++) seen.push(await take('p'));
  seen.push(await take('p'));
  // Another peer from the same address waits as long; another address does not.
  seen.push(await take('q'));
  seen.push(await take('q', '10.0.0.2'));
  clock.t += GUESS_REFILL_MS / 2;
  seen.push(await take('p'));
  clock.t += GUESS_REFILL_MS / 2;
  seen.push(await take('p'));
  seen.push(await take('p'));
  // A right password gives its guess back.
  await limiter.refund('party_x', 'p', '10.0.0.1');
  seen.push(await take('p'));
  return seen;
}

describe('RedisGuessThrottle', () => {
  it('refuses and refills as the embedded throttle does', async () => {
    const backend = await backends.redisBackend('guesses');
    const store = backend.store as RedisPartyStore;
    const [memoryClock, redisClock] = [{ t: 1_000_000 }, { t: 1_000_000 }];
    const memory = await replay(new GuessThrottle(() => memoryClock.t), memoryClock);
    const shared = new RedisGuessThrottle(store.redis, store.prefix, () => redisClock.t);
    expect(await replay(shared, redisClock)).toEqual(memory);
    expect(memory).toEqual([0, 0, 0, 0, 0, 30, 30, 0, 15, 0, 30, 0]);
    // The buckets go by themselves once full again.
    const ttl = await store.redis.pttl(`${store.prefix}guess:p\u0000party_x\u0000p`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(FREE_GUESSES * GUESS_REFILL_MS + 1000);
    await backend.close();
    await store.close();
  });
});
