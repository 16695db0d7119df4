import { afterEach, describe, expect, it } from 'vitest';
import { NO_QUOTAS } from '../admission/quotas';
import { peerDict, TestRig, type RawClient } from '../test-util/support';
import { BROWSE_BYTES_PER_PARTY } from './browse-handlers';

const rig = new TestRig();
afterEach(() => rig.cleanup());

const PARTIES = 50;
/** Enough for two looks through 50 parties a second, burst four. */
const BUDGET = 2 * BROWSE_BYTES_PER_PARTY * PARTIES;

async function publicParties(c: RawClient): Promise<void> {
  await c.hello();
  const answers = await Promise.all(
    Array.from({ length: PARTIES }, (_, i) =>
      c.request({
        type: 'register_party',
        party_id: `party_pub${String(i).padStart(4, '0')}`,
        name: `Party ${i}`,
        host_peer: peerDict(`h${i}`),
        settings: { visibility: 'public' },
      }),
    ),
  );
  expect(answers.every((a) => a.type === 'party_update')).toBe(true);
}

describe('list_parties and the snapshot budget', () => {
  it('browses past the budget are refused: each costs its share for every party held', async () => {
    await rig.start({ rateLimit: null, quotas: { ...NO_QUOTAS, snapshotBytesPerSecond: BUDGET } });
    await publicParties(await rig.connect());
    const stranger = await rig.connect(undefined, '127.0.0.2');
    await stranger.hello();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => stranger.request({ type: 'list_parties' })),
    );
    const listed = answers.filter((a) => a.type === 'party_list');
    expect(listed).toHaveLength(4);
    expect(listed[0]).toMatchObject({ parties: expect.any(Array) as unknown[] });
    expect(answers.filter((a) => a.code === 'rate_limited')).toHaveLength(6);
  });
});
