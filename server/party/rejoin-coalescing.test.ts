/**
 * A member joining its party again (a reconnect) is answered with the party; it changes the
 * others' view only as `update_peer` does. Each rejoin was applied and fanned out, limited
 * only by the churn quota: a key on 20 connections made a bystander receive 240 snapshots
 * (2.5 MB) in 3 s. Now one that changes nothing is not applied, and one that does is held
 * with the peer's updates, at most once a second.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NO_QUOTAS } from '../admission/quotas';
import { BackendCases, type BackendOptions } from '../state/test-util/backend-cases';
import { delay, peerDict, TestRig, type Frame, type RawClient } from '../test-util/support';

const backends = new BackendCases();
beforeAll(() => backends.start(), 20_000);
afterAll(() => backends.cleanup());
let backend: BackendOptions = () => Promise.resolve({});

const rig = new TestRig();
afterEach(() => rig.cleanup());

const PARTY = 'party_rejoins';

/** A 1.0 host (it gets a snapshot per profile change) and a member `g`. */
async function partyOfTwo(): Promise<{ host: RawClient; g: RawClient }> {
  // The production interval between a peer's updates; no churn quota to run into.
  const quotas = { ...NO_QUOTAS, updateIntervalMs: 1000 };
  await rig.start({ ...(await backend(randomUUID())), quotas });
  const host = await rig.connect();
  await host.hello();
  const party = { type: 'register_party', party_id: PARTY, name: 'P', host_peer: peerDict('h') };
  expect(await host.request(party)).toMatchObject({ type: 'party_update' });
  const g = await rig.connect();
  await g.hello();
  expect(await rejoin(g, 'Player g')).toMatchObject({ type: 'party_update' });
  await host.nextOfType('peer_joined');
  return { host, g };
}

const rejoin = (g: RawClient, name: string) =>
  g.request({ type: 'join_party', party_id: PARTY, peer: peerDict('g', { name }) });

const nameOf = (answer: Frame, peerId: string): unknown =>
  (answer.party as { peers: Record<string, { name: string }> }).peers[peerId]?.name;

/** The snapshots the host got for profile changes (after `ms`). */
async function snapshotsAfter(host: RawClient, ms: number): Promise<Frame[]> {
  await delay(ms);
  return host.received.filter((f) => f.type === 'party_update');
}

describe.each(backends.cases)('%s backend', (_name, options) => {
  beforeEach(() => {
    backend = options;
  });

  it('a rejoin that changes nothing is answered with the party and tells nobody', async () => {
    const { host, g } = await partyOfTwo();
    const seq = rig.server!.context.service.seqOf(PARTY);
    for (let i = 0; i < 10; i++) {
      const answer = await rejoin(g, 'Player g');
      expect(answer).toMatchObject({ type: 'party_update', seq });
      expect(nameOf(answer, 'g')).toBe('Player g');
      expect(nameOf(answer, 'h')).toBe('Player h');
    }
    expect(await snapshotsAfter(host, 200)).toEqual([]);
    expect(rig.server!.context.service.seqOf(PARTY)).toBe(seq);
  });

  it('rejoins that change the profile are held as update_peer is: the latest wins', async () => {
    const { host, g } = await partyOfTwo();
    const answers = await Promise.all(
      ['One', 'Two', 'Three', 'Four'].map((name) => rejoin(g, name)),
    );
    // The first is applied at once; the rest wait for the interval and get the latest.
    expect(answers.map((a) => nameOf(a, 'g'))).toEqual(['One', 'Four', 'Four', 'Four']);
    for (const answer of answers) expect(answer.type).toBe('party_update');
    const told = await snapshotsAfter(host, 200);
    expect(told.map((f) => nameOf(f, 'g'))).toEqual(['One', 'Four']);
    const party = rig.server!.context.service.parties.get(PARTY)!;
    expect(party.peers.get('g')!.name).toBe('Four');
  });
});
