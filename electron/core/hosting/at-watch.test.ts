/**
 * The watch on parties left at their link's address (at-watch.ts): bounded in parties and
 * time, and listing only a summary of the party asked for.
 */
import { describe, expect, it } from 'vitest';
import { MemoryLogger } from '../../../shared/test-support/memory-logger';
import { ManualClock } from '../test-util/manual-clock';
import { AtWatch, EVERY_MS, FOR_MS, MOST, type AtAnswer } from './at-watch';
import { hostAt } from './host-at';

const PIN = 'B'.repeat(43);
const summaryOf = (party_id: string) => ({
  party_id,
  name: 'Friday Frag',
  host_name: 'Bob',
  peer_count: 2,
  max_peers: 8,
  join_policy: 'open',
  visibility: 'public',
  locked: false,
});

function watch(answer: (partyId: string) => AtAnswer = (id) => ({ summary: summaryOf(id) })) {
  const clock = new ManualClock();
  const logger = new MemoryLogger();
  const asked: string[] = [];
  const ask = (_url: string, partyId: string) => {
    asked.push(partyId);
    return Promise.resolve(answer(partyId));
  };
  const at = new AtWatch(clock, logger, { ask });
  const remember = (id: string) => at.remember(id, hostAt(id, '10.0.0.5:8669', PIN));
  return { clock, logger, asked, at, remember };
}

describe('the watch on parties left at their address', () => {
  it(`asks for at most ${MOST} parties, the last left, and lists what they answer`, async () => {
    const { clock, asked, at, remember } = watch();
    for (const id of ['party_1', 'party_2', 'party_3', 'party_4', 'party_5']) remember(id);
    await clock.advance(EVERY_MS);
    expect(asked).toEqual(['party_2', 'party_3', 'party_4', 'party_5']);
    expect([...at.hosts().keys()]).toEqual(['party_2', 'party_3', 'party_4', 'party_5']);
    expect(at.hosts().get('party_2')).toMatchObject({
      party: { name: 'Friday Frag' },
      announced: { host_name: 'Bob', peer_count: 2, max_peers: 8, join_policy: 'open' },
    });
    // A sixth lets the oldest go, and says so: its row leaves Parties nearby at once.
    let changes = 0;
    at.onChange(() => changes++);
    remember('party_6');
    expect(changes).toBe(1);
    expect([...at.hosts().keys()]).toEqual(['party_3', 'party_4', 'party_5']);
  });

  it('stops asking once a party has not answered for the bound', async () => {
    const { clock, asked, at, remember } = watch(() => ({ none: 'silent' }));
    remember('party_1');
    await clock.advance(FOR_MS);
    const looks = asked.length;
    expect(looks).toBe(Math.floor(FOR_MS / EVERY_MS));
    await clock.advance(EVERY_MS * 10);
    expect(asked.length).toBe(looks);
    expect(at.hosts().size).toBe(0);
  });

  it('lists nothing for a summary of another party, and says so once', async () => {
    const { clock, logger, at, remember } = watch(() => ({ summary: summaryOf('party_x') }));
    remember('party_1');
    await clock.advance(EVERY_MS * 3);
    expect(at.hosts().size).toBe(0);
    expect(logger.messages('warn')).toEqual([
      'Party party_1 at 10.0.0.5:8669: not listed, its summary was another party (party_x)',
    ]);
  });
});

describe('the watch closed, or a party dropped, during a look', () => {
  /** A watch whose answers wait until `answer()` gives them. */
  function held() {
    const clock = new ManualClock();
    const asked: string[] = [];
    const waiting: Array<() => void> = [];
    const ask = (_url: string, partyId: string) => {
      asked.push(partyId);
      return new Promise<AtAnswer>((resolve) =>
        waiting.push(() => resolve({ summary: summaryOf(partyId) })),
      );
    };
    const at = new AtWatch(clock, new MemoryLogger(), { ask });
    const remember = (id: string) => at.remember(id, hostAt(id, '10.0.0.5:8669', PIN));
    const answer = async () => {
      waiting.shift()?.();
      for (let i = 0; i < 5; i++) await Promise.resolve();
    };
    return { clock, asked, at, remember, answer };
  }

  // Every at-watch socket stops on close: the look under way dials nobody after it.
  it('asks no other place once closed', async () => {
    const { clock, asked, at, remember, answer } = held();
    for (const id of ['party_1', 'party_2', 'party_3']) remember(id);
    await clock.advance(EVERY_MS);
    expect(asked).toEqual(['party_1']);
    at.close();
    await answer();
    await answer();
    expect(asked).toEqual(['party_1']);
    expect(at.hosts().size).toBe(0);
  });

  it('does not ask for a party dropped (joined again) while another was being asked', async () => {
    const { clock, asked, at, remember, answer } = held();
    for (const id of ['party_1', 'party_2']) remember(id);
    await clock.advance(EVERY_MS);
    at.drop('party_2');
    await answer();
    await answer();
    expect(asked).toEqual(['party_1']);
  });

  // A join still waiting when the app closed fails after it, and gives its party back (host-at).
  it('starts no look once closed, whatever is remembered after', async () => {
    const { clock, asked, at, remember } = watch();
    at.close();
    remember('party_1');
    expect(clock.pendingTimers).toBe(0);
    await clock.advance(EVERY_MS);
    expect(asked).toEqual([]);
  });
});
