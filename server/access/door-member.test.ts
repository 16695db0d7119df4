/**
 * A joiner whose request waits at the approval door and who gets in another way (an invite,
 * a password the host set meanwhile) has its request closed then: the host sees it closed as
 * for a cancel, its expiry tells the member nothing, and the host's late accept changes
 * nothing. The request used to stay: two minutes later the member was told `join_expired`,
 * and an accept put back the profile it had asked with.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BackendCases } from '../state/test-util/backend-cases';
import { PeerInfo } from '../../shared/model';
import { peerDict, type RawClient } from '../test-util/support';
import { APPROVAL_TIMEOUT_MS } from './approvals';
import { DoorRig, PARTY } from './test-util/door';
import { TestIdentity } from './test-util/identity';

const backends = new BackendCases();
beforeAll(() => backends.start(), 20_000);
afterAll(() => backends.cleanup());

const door = new DoorRig();
afterEach(() => door.rig.cleanup());

/** An approval party where `g` waits at the door; returns the host and g's connection. */
async function waiting(): Promise<{ host: RawClient; g: RawClient }> {
  const host = await door.hosted({ join_policy: 'approval' });
  const g = await door.joiner(new TestIdentity());
  expect(await door.join(g, 'g')).toMatchObject({ type: 'join_pending' });
  expect(await host.nextOfType('join_request')).toMatchObject({ peer_id: 'g' });
  return { host, g };
}

/** g's request is gone; expiry tells it nothing and a late accept changes nothing. */
async function requestOver(host: RawClient, g: RawClient, name: string): Promise<void> {
  const closed = await host.nextOfType('join_request_closed');
  expect(closed).toMatchObject({ party_id: PARTY, peer_id: 'g', reason: 'cancelled' });
  expect(door.approvals.get(PARTY, 'g')).toBeUndefined();
  expect(await door.answer(host, 'g')).toMatchObject({ type: 'error', code: 'not_found' });
  door.now += APPROVAL_TIMEOUT_MS + 1000;
  await door.checkApprovalsNow();
  await g.roundTrip();
  expect(g.received.filter((f) => f.type === 'error')).toEqual([]);
  const party = door.server.context.service.parties.get(PARTY)!;
  expect(party.peers.get('g')?.name).toBe(name);
}

describe.each(backends.cases)('%s backend', (_name, options) => {
  beforeEach(() => {
    door.backend = options;
  });

  it('in by an invite while its request waits: the request is closed', async () => {
    const { host, g } = await waiting();
    const invite = await host.request({ type: 'create_invite', party_id: PARTY });
    const peer = peerDict('g', { name: 'Invited G' });
    const joined = await g.request({
      type: 'join_party',
      party_id: PARTY,
      peer,
      invite: invite.token,
    });
    expect(joined).toMatchObject({ type: 'party_update' });
    await requestOver(host, g, 'Invited G');
  });

  it('in by a password set while its request waits: the request is closed', async () => {
    const { host, g } = await waiting();
    const settings = { join_policy: 'password', password: 'open sesame' };
    const changed = await host.request({ type: 'update_party', party_id: PARTY, settings });
    expect(changed).toMatchObject({ type: 'party_update' });
    const peer = peerDict('g', { name: 'Password G' });
    const joined = await g.request({
      type: 'join_party',
      party_id: PARTY,
      peer,
      password: 'open sesame',
    });
    expect(joined).toMatchObject({ type: 'party_update' });
    await requestOver(host, g, 'Password G');
  });

  it("an accept that finds its joiner a member already leaves the member's profile as it is", async () => {
    // As when the joiner got in on another server and the request's end has not reached here.
    const { host, g } = await waiting();
    const invite = await host.request({ type: 'create_invite', party_id: PARTY });
    const peer = peerDict('g', { name: 'Invited G' });
    const joined = { type: 'join_party', party_id: PARTY, peer, invite: invite.token };
    expect(await g.request(joined)).toMatchObject({ type: 'party_update' });
    const asked = PeerInfo.fromDict(peerDict('g'));
    const expiresAt = door.now + APPROVAL_TIMEOUT_MS;
    const late = { partyId: PARTY, peer: asked, publicKey: null, expiresAt, address: '127.0.0.1' };
    expect(door.approvals.add(late)).toBeNull();
    expect(await door.answer(host, 'g')).toMatchObject({ type: 'ack' });
    const party = door.server.context.service.parties.get(PARTY)!;
    expect(party.peers.get('g')?.name).toBe('Invited G');
  });
});
