/**
 * A join waiting for the host survives a dropped connection: the host's answer, pushed while
 * the joiner had none, is asked for again (`resume`) once the link is back.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JoinPolicy } from '../../../../shared/party/settings';
import { waitFor } from '../../test-util/child-process';
import { makePeer } from '../../test-util/fixtures';
import { RelayRig } from '../../test-util/relay-rig';

const PARTY = 'party_door';
const rig = new RelayRig();
beforeEach(() => rig.start('lanrage-pending-'));
afterEach(() => rig.cleanup());

const plane = (name: string, url: string, reconnectDelayMs = 50) =>
  rig.plane(name, url, { reconnectDelayMs, requestTimeoutMs: 2000 });

/**
 * A hosts an approval party; B (through the relay) asks to join and its connection is cut
 * while it waits. B reconnects after a second: the host answers before that.
 */
async function cutWhileWaiting() {
  const host = await plane('a', rig.server.url);
  await host.registerParty(PARTY, 'Door', makePeer('pa', 'Alice'), {
    joinPolicy: JoinPolicy.APPROVAL,
  });
  const joiner = await plane('b', rig.relay.url, 1000);
  let told = false;
  joiner.subscribe((change) => (told ||= change.kind === 'join_pending'));
  const joining = joiner.joinParty(PARTY, makePeer('pb', 'Bob'));
  const { approvals } = rig.server.context.access;
  await waitFor(() => approvals.get(PARTY, 'pb') !== undefined, 5000);
  // Cut once B knows its join waits for the host: a request cut before its answer arrived
  // fails `unavailable`, as any request does (a loaded machine got there first once).
  await waitFor(() => told, 5000);
  rig.relay.cutAll();
  await waitFor(() => approvals.get(PARTY, 'pb')?.goneAt !== undefined, 5000);
  return { host, joiner, joining };
}

/** Settles within `ms`, or fails: the wait alone would last the request's two minutes. */
const within = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error('still waiting')), ms)),
  ]);

describe('a join waiting for the host, cut off', () => {
  it('let in while the joiner was away: the join ends in the party, shown online', async () => {
    const { host, joiner, joining } = await cutWhileWaiting();
    await host.access!.answerJoin(PARTY, 'pb', true);
    const party = await within(joining, 8000);
    expect([...party.peers.keys()].sort()).toEqual(['pa', 'pb']);
    expect(joiner.myPartyId).toBe(PARTY);
    await waitFor(() => host.presenceOf(PARTY)?.get('pb')?.status === 'online', 5000);
  });

  it('refused while the joiner was away: the join fails join_ended, and nobody asks again', async () => {
    const { host, joining } = await cutWhileWaiting();
    await host.access!.answerJoin(PARTY, 'pb', false);
    await expect(within(joining, 8000)).rejects.toMatchObject({ code: 'join_ended' });
    expect(rig.server.context.access.approvals.get(PARTY, 'pb')).toBeUndefined();
    expect(rig.server.context.service.parties.get(PARTY)!.peers.has('pb')).toBe(false);
  });

  it('still waiting: the wait goes on, and the answer given after it is back lets it in', async () => {
    const { host, joiner, joining } = await cutWhileWaiting();
    await waitFor(() => joiner.connected, 8000);
    await waitFor(() => rig.relay.sent.get('join_party') === 2, 5000);
    await host.access!.answerJoin(PARTY, 'pb', true);
    const party = await within(joining, 8000);
    expect(party.peers.has('pb')).toBe(true);
  });
});
