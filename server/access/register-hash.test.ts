/**
 * A `register_party` the creation quota refuses costs no password hash: scrypt (16 MiB, the
 * libuv pool that joins' checks use too) ran before the quota was looked at, so a client
 * over its quota kept the pool busy with refusals.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NO_QUOTAS } from '../admission/quotas';
import { TestRig, peerDict, type RawClient } from '../test-util/support';
import type * as passwords from './passwords';

const hashes = vi.hoisted(() => ({ count: 0 }));
vi.mock('./passwords', async (original) => {
  const real = await original<typeof passwords>();
  return {
    ...real,
    hashPassword: (password: string) => {
      hashes.count += 1;
      return real.hashPassword(password);
    },
  };
});

const rig = new TestRig();
afterEach(() => rig.cleanup());

const register = (c: RawClient, n: number) =>
  c.request({
    type: 'register_party',
    party_id: `party_pw_${n}`,
    name: 'P',
    host_peer: peerDict(`h${n}`),
    settings: { join_policy: 'password', password: 'secret' },
  });

describe('register_party with a password and the creation quota', () => {
  it('hashes only what the quota admits, a burst sent at once included', async () => {
    await rig.start({ quotas: { ...NO_QUOTAS, creationsPerMinute: 2 } });
    const c = await rig.connect();
    await c.hello();
    const answers = await Promise.all(Array.from({ length: 8 }, (_, n) => register(c, n)));
    expect(answers.filter((a) => a.type === 'party_update')).toHaveLength(2);
    expect(answers.filter((a) => a.code === 'quota_exceeded')).toHaveLength(6);
    expect(hashes.count).toBe(2);
  });
});
