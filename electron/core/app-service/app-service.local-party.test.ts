/**
 * Parties in local mode through the app's IPC contract: create, join by invite, leave, hand
 * the host role over, and find the parties other instances on this PC host.
 */
import { describe, expect, it } from 'vitest';
import { inviteLink } from '../../../shared/invite';
import { call, localAppHarness, until } from '../test-util/local-app-harness';
import { settingsView } from '../test-util/fixtures';

const { instance } = localAppHarness();

describe('app service in local mode', () => {
  it('starts with a snapshot of me, no party and my settings', async () => {
    const a = await instance('Alice');
    const state = a.service.snapshot();
    expect(state.status.state).toBe('local');
    expect(state.party).toBeNull();
    expect(state.me).toMatchObject({
      name: 'Alice',
      nat_type: 'unknown',
      local_ip: '192.168.1.100',
      local_port: 51820,
    });
    expect(state.settings).toEqual(settingsView('Alice'));
    // Nothing linked yet: this app's setting, until a server announces its own.
    expect(state.status.peerTimeoutMs).toBe(300_000);
  });

  it('creates a party with me as host and pushes it', async () => {
    const a = await instance('Alice');
    const result = await call(a, 'createParty', { name: 'Gaming Night' });
    expect(result.ok).toBe(true);
    const party = a.service.snapshot().party!;
    expect(party.name).toBe('Gaming Night');
    expect(party.party_id).toMatch(/^party_[a-z2-9]{13}$/);
    expect(party.host_id).toBe(a.service.snapshot().me.peer_id);
    expect(a.events).toContainEqual({ type: 'party', party });
    const again = await call(a, 'createParty', { name: 'Second' });
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('joins via an invite link; both sides see both peers, host notified', async () => {
    const a = await instance('Alice');
    const b = await instance('Bob');
    await call(a, 'createParty', { name: 'Gaming Night' });
    const partyId = a.service.snapshot().party!.party_id;
    const joined = await call(b, 'joinParty', { invite: `  ${inviteLink(partyId)}  ` });
    expect(joined).toMatchObject({ ok: true, value: { party_id: partyId } });
    const bobId = b.service.snapshot().me.peer_id;
    expect(Object.keys(b.service.snapshot().party!.peers)).toHaveLength(2);
    const peerEvent = await until(
      () => a.events.find((e) => e.type === 'peer' && e.peer.peer_id === bobId),
      'Bob arriving at Alice',
    );
    expect(peerEvent).toMatchObject({ party_id: partyId, peer: { name: 'Bob' } });
    expect(Object.keys(a.service.snapshot().party!.peers).sort()).toEqual(
      [a.service.snapshot().me.peer_id, bobId].sort(),
    );
    expect(a.notifications).toContainEqual({
      title: 'Bob joined',
      body: 'Gaming Night: Bob joined.',
    });
    expect(b.notifications).toEqual([]);
    expect(a.service.snapshot().activity).toMatchObject([
      { kind: 'joined', peer_id: bobId, text: 'Bob joined' },
    ]);
  });

  it('refuses a malformed invite with bad_request and an unknown party with not_found', async () => {
    const b = await instance('Bob');
    const malformed = await call(b, 'joinParty', { invite: 'lanrage://nope/x' });
    expect(malformed).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const junk = await call(b, 'joinParty', { invite: 'not an id!' });
    expect(junk).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const unknown = await call(b, 'joinParty', { invite: 'party_zzzzzzzzzz' });
    expect(unknown).toEqual({
      ok: false,
      error: {
        code: 'not_found',
        message:
          "LANrage has not heard party party_zzzzzzzzzz on this PC or your network. Its host's " +
          'LANrage may be closed, it may be on another network, or something here blocks LAN ' +
          'discovery (multicast, UDP 5353): ask the host.',
      },
    });
    expect(b.service.snapshot().party).toBeNull();
  });

  it('leaves: the other side sees the peer removed and is notified', async () => {
    const a = await instance('Alice');
    const b = await instance('Bob');
    await call(a, 'createParty', { name: 'Gaming Night' });
    const partyId = a.service.snapshot().party!.party_id;
    await call(b, 'joinParty', { invite: partyId });
    const bobId = b.service.snapshot().me.peer_id;
    await until(() => a.service.snapshot().party?.peers[bobId], 'Bob in Alice’s view');
    expect(await call(b, 'leaveParty')).toEqual({ ok: true, value: null });
    expect(b.service.snapshot().party).toBeNull();
    expect(b.events.at(-1)).toEqual({ type: 'party', party: null });
    const removed = await until(
      () => a.events.find((e) => e.type === 'peer_removed'),
      'peer_removed at Alice',
    );
    expect(removed).toEqual({ type: 'peer_removed', party_id: partyId, peer_id: bobId });
    expect(a.service.snapshot().party!.peers[bobId]).toBeUndefined();
    const left = { title: 'Bob left', body: 'Gaming Night: Bob left.' };
    await until(() => a.notifications.some((n) => n.title === left.title), 'the notification');
    expect(a.notifications).toContainEqual(left);
    expect(a.service.snapshot().activity[0]).toMatchObject({ kind: 'left', text: 'Bob left' });
    // Leaving when in no party is harmless.
    expect(await call(b, 'leaveParty')).toEqual({ ok: true, value: null });
  });

  it('transferHost: the host makes a member host; a guest may not, and nobody outside a party', async () => {
    const a = await instance('Alice');
    const b = await instance('Bob');
    expect(await call(a, 'transferHost', { peer_id: 'bob' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    await call(a, 'createParty', { name: 'Gaming Night' });
    const partyId = a.service.snapshot().party!.party_id;
    await call(b, 'joinParty', { invite: partyId });
    const aliceId = a.service.snapshot().me.peer_id;
    const bobId = b.service.snapshot().me.peer_id;
    await until(() => a.service.snapshot().party?.peers[bobId], 'Bob in Alice’s view');
    expect(await call(b, 'transferHost', { peer_id: aliceId })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await call(a, 'transferHost', { peer_id: bobId })).toEqual({ ok: true, value: null });
    expect(a.service.snapshot().party!.host_id).toBe(bobId);
    await until(() => b.service.snapshot().party?.host_id === bobId, 'Bob host in his view');
  });

  it('discovers parties other local instances host, with their host and size', async () => {
    const a = await instance('Alice');
    const b = await instance('Bob');
    await call(a, 'createParty', { name: 'Gaming Night' });
    // Pushed without being asked (the control plane says discovery.json changed).
    const pushed = await until(() =>
      b.events.find((e) => e.type === 'discovered' && e.parties.length === 1),
    );
    expect(pushed).toMatchObject({
      parties: [{ name: 'Gaming Night', host_name: 'Alice', peer_count: 1, where: 'this_pc' }],
    });
    expect(await call(b, 'discoverParties')).toMatchObject({
      ok: true,
      value: [{ name: 'Gaming Night', host_name: 'Alice', peer_count: 1 }],
    });
    // My own party is not offered back to me.
    expect(await call(a, 'discoverParties')).toEqual({ ok: true, value: [] });
  });
});
