import { afterEach, describe, expect, it } from 'vitest';
import { peerDict, TestRig, type Frame, type RawClient } from '../test-util/support';

const rig = new TestRig();
afterEach(() => rig.cleanup());

const VICTIM = 'party_victim';
const OWN = 'party_attacker';
/** Under the rate limit's burst (40), over what one address may have hashed and waiting (18). */
const BURST = 30;

async function host(c: RawClient, partyId: string, hostId: string, settings = {}) {
  const answer = await c.request({
    type: 'register_party',
    party_id: partyId,
    name: 'P',
    host_peer: peerDict(hostId),
    settings,
  });
  expect(answer.type).toBe('party_update');
}

async function client(address?: string): Promise<RawClient> {
  const c = await rig.connect(undefined, address);
  await c.hello();
  return c;
}

const passwordChanges = (): Record<string, unknown>[] =>
  Array.from({ length: BURST }, (_, i) => ({
    type: 'update_party',
    party_id: OWN,
    settings: { password: `pw-${i}` },
  }));

/** Sends every message at once, in order on one socket, and waits for every answer. */
const burst = (c: RawClient, messages: Record<string, unknown>[]): Promise<Frame[]> =>
  Promise.all(messages.map((m) => c.request(m, 30_000)));

const busy = (answers: Frame[]) => answers.filter((a) => a.code === 'rate_limited');

const guess = (password: string) => ({
  type: 'join_party',
  party_id: VICTIM,
  peer: peerDict('g'),
  password,
});

describe('password hashing, a few at once per address', () => {
  it('a burst of password changes from one address: the ones past its queue are refused', async () => {
    await rig.start();
    const attacker = await client();
    await host(attacker, OWN, 'a');
    const refused = busy(await burst(attacker, passwordChanges()));
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.length).toBeLessThanOrEqual(BURST - 18);
    expect(refused[0]).toMatchObject({
      type: 'error',
      code: 'rate_limited',
      message: expect.stringMatching(/passwords are being checked from your address/) as string,
    });
    // Its queue drained, the address hashes again.
    const later = await attacker.request({
      type: 'update_party',
      party_id: OWN,
      settings: { password: 'again' },
    });
    expect(later.type).toBe('party_update');
  });

  it('a guess refused for a full queue spends none of the free wrong guesses', async () => {
    await rig.start();
    await host(await client('127.0.0.2'), VICTIM, 'h', {
      join_policy: 'password',
      password: 'hunter2',
    });
    const attacker = await client('127.0.0.3');
    await host(attacker, OWN, 'a');
    const answers = await burst(attacker, [...passwordChanges(), guess('wrong')]);
    expect(answers.at(-1)).toMatchObject({ code: 'rate_limited' });
    // Five are free, and none was spent by the refused one.
    for (const i of [1, 2, 3, 4, 5]) {
      expect(await attacker.request(guess(`wrong-${i}`))).toMatchObject({
        code: 'wrong_password',
      });
    }
    expect(await attacker.request(guess('wrong-6'))).toMatchObject({
      code: 'rate_limited',
      message: expect.stringMatching(/Too many wrong passwords/) as string,
    });
  });
});
