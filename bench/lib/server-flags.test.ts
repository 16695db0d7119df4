import { describe, expect, it } from 'vitest';
import { LOAD_SERVER_FLAGS, loadServerFlags } from './server-flags';

describe('loadServerFlags', () => {
  it('gives each flag once: one set again in extra comes from extra alone, after the rest', () => {
    const flags = loadServerFlags(['--rate-limit', '5', '--commits-on-loop', 'off']);
    expect(flags.filter((f) => f === '--rate-limit')).toHaveLength(1);
    expect(flags.slice(-4)).toEqual(['--rate-limit', '5', '--commits-on-loop', 'off']);
    expect(flags).toHaveLength(LOAD_SERVER_FLAGS.length + 2);
  });

  it('without extra, the load flags as they are', () => {
    expect(loadServerFlags()).toEqual([...LOAD_SERVER_FLAGS]);
  });
});
