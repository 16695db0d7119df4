/**
 * The wrong-password throttle for servers sharing a Redis: the same buckets as the embedded
 * one (guess-throttle.ts: FREE_GUESSES, then one every GUESS_REFILL_MS, per peer and per
 * address), kept in Redis keys that expire once full again, read and spent by one script
 * each time so that two servers never count from the same stale state.
 */
import type { Redis } from 'ioredis';
import { ControlPlaneError } from '../../../shared/protocol/errors';
import { ErrorCode } from '../../../shared/protocol/protocol';
import {
  FREE_GUESSES,
  GUESS_REFILL_MS,
  guessKeys,
  type GuessLimiter,
} from '../../access/guess-throttle';

/**
 * KEYS: the buckets (hash t = tokens, at = ms of that count). ARGV: now ms, burst, ms per
 * token, 'take' or 'refund'. take: one guess from each bucket and 0, or nothing taken and
 * the ms until one is free; refund: one back to each, 0.
 */
export const GUESS_SCRIPT = `
local now, burst, refill = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local take = ARGV[4] == 'take'
local counts, wait = {}, 0
for i, k in ipairs(KEYS) do
  local s = redis.call('HMGET', k, 't', 'at')
  local tokens = burst
  if s[1] then
    tokens = math.min(burst, tonumber(s[1]) + math.max(0, now - tonumber(s[2])) / refill)
  end
  counts[i] = tokens
  if tokens < 1 then wait = math.max(wait, math.ceil((1 - tokens) * refill)) end
end
if take and wait > 0 then return wait end
for i, k in ipairs(KEYS) do
  local tokens = take and counts[i] - 1 or math.min(burst, counts[i] + 1)
  redis.call('HSET', k, 't', tostring(tokens), 'at', tostring(now))
  redis.call('PEXPIRE', k, math.ceil((burst - tokens) * refill) + 1000)
end
return 0
`;

type GuessCommand = (...args: (string | number)[]) => Promise<number>;

export class RedisGuessThrottle implements GuessLimiter {
  private readonly command: GuessCommand;

  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly now: () => number,
  ) {
    redis.defineCommand('lanrageGuess', { numberOfKeys: 2, lua: GUESS_SCRIPT });
    this.command = (redis as unknown as Record<string, GuessCommand>).lanrageGuess!.bind(redis);
  }

  private async run(partyId: string, peerId: string, address: string, mode: 'take' | 'refund') {
    const keys = guessKeys(partyId, peerId, address).map((k) => `${this.prefix}guess:${k}`);
    try {
      return await this.command(...keys, this.now(), FREE_GUESSES, GUESS_REFILL_MS, mode);
    } catch {
      throw new ControlPlaneError('The server cannot check passwords right now; try again', {
        code: ErrorCode.UNAVAILABLE,
      });
    }
  }

  async take(partyId: string, peerId: string, address: string): Promise<number> {
    return Math.ceil((await this.run(partyId, peerId, address, 'take')) / 1000);
  }

  async refund(partyId: string, peerId: string, address: string): Promise<void> {
    await this.run(partyId, peerId, address, 'refund');
  }

  /** Redis expires full buckets by itself. */
  prune(): void {}
}
