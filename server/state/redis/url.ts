/**
 * `--redis redis://host:port[/db]` (or `rediss://` for TLS): checked before anything
 * connects, so a typo is a clear message, not a reconnect loop.
 */
import { z } from 'zod';

export const RedisUrlSchema = z
  .string()
  .max(2048)
  .refine(
    (text) => {
      let url: URL;
      try {
        url = new URL(text);
      } catch {
        return false;
      }
      const db = url.pathname === '' || url.pathname === '/' || /^\/\d{1,2}$/.test(url.pathname);
      return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '' && db;
    },
    { message: 'must be redis://host[:port][/db] or rediss://… (e.g. redis://127.0.0.1:6379)' },
  );

/** Where the URL points, without any password in it (for logs and errors). */
export function redisWhere(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'Redis';
  }
}
