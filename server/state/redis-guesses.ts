/**
 * The wrong-password throttle for servers sharing a Redis: the same buckets as the embedded
 * one (guess-throttle.ts: FREE_GUESSES, then one every GUESS_REFILL_MS, per peer and per
 * address), kept in Redis keys that expire once full again, read and spent by one script
 * each time so that two servers never count from the same stale state.
 */
import type { Redis } from 'ioredis';
import { ControlPlaneError } from '../../shared/errors';
import { ErrorCode } from '../../shared/protocol';
import {
  FREE_GUESSES,
  GUESS_REFILL_MS,
  guessKeys,
  type GuessLimiter,
} from '../access/guess-throttle';

/**
 * KEYS: the buckets (hash t = tokens, at = ms of that count). ARGV: now ms, burst, ms per
 * token, '1' to spend one from each, '0' to read. Returns the ms until one guess is free.
 */
export const GUESS_SCRIPT = `
local now, burst, refill = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local wait = 0
for _, k in ipairs(KEYS) do
  local s = redis.call('HMGET', k, 't', 'at')
  local tokens = burst
  if s[1] then
    tokens = math.min(burst, tonumber(s[1]) + math.max(0, now - tonumber(s[2])) / refill)
  end
  if ARGV[4] == '1' then
    if tokens >= 1 then tokens = tokens - 1 end
    redis.call('HSET', k, 't', tostring(tokens), 'at', tostring(now))
    redis.call('PEXPIRE', k, math.ceil((burst - tokens) * refill) + 1000)
  elseif tokens < 1 then
    wait = math.max(wait, math.ceil((1 - tokens) * refill))
  end
end
return wait
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

  private async run(partyId: string, peerId: string, address: string, spend: boolean) {
    const keys = guessKeys(partyId, peerId, address).map((k) => `${this.prefix}guess:${k}`);
    try {
      return await this.command(...keys, this.now(), FREE_GUESSES, GUESS_REFILL_MS, spend ? 1 : 0);
    } catch {
      throw new ControlPlaneError('The server cannot check passwords right now; try again', {
        code: ErrorCode.UNAVAILABLE,
      });
    }
  }

  async waitSeconds(partyId: string, peerId: string, address: string): Promise<number> {
    return Math.ceil((await this.run(partyId, peerId, address, false)) / 1000);
  }

  async wrong(partyId: string, peerId: string, address: string): Promise<void> {
    await this.run(partyId, peerId, address, true);
  }

  /** Redis expires full buckets by itself. */
  prune(): void {}
}
