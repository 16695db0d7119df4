import { describe, expect, it } from 'vitest';
import { parseCli } from '../../cli/args';
import { RedisUrlSchema, redisWhere } from './url';

describe('--redis', () => {
  it.each([
    'redis://127.0.0.1:6379',
    'redis://redis',
    'rediss://r.example:6380/2',
    'redis://:pw@h:1/0',
  ])('accepts %s', (url) => expect(RedisUrlSchema.safeParse(url).success).toBe(true));
  it.each([
    '',
    'http://h:6379',
    'redis://',
    'redis:///0',
    'redis://h:99999',
    'redis://h/abc',
    'h:6379',
  ])('refuses %s', (url) => expect(RedisUrlSchema.safeParse(url).success).toBe(false));
  it('is read by the CLI, with a clear message for a bad one', () => {
    expect(parseCli(['--redis', 'redis://10.0.0.5:6379'], {}).redisUrl).toBe(
      'redis://10.0.0.5:6379',
    );
    expect(parseCli([], {}).redisUrl).toBeNull();
    expect(() => parseCli(['--redis', 'redis:/x'], {})).toThrow(/--redis: must be redis:\/\//);
  });
  it('names where it points without the password', () => {
    expect(redisWhere('redis://:secret@db.example:6379/1')).toBe('db.example:6379');
  });
});
