/**
 * Deep links ask first: opening a `lanrage://join/…` link in a real local-mode app only
 * prepares the join dialog (party name and host as discovery shows them); joining waits
 * for the user's confirmation, and a malformed link becomes a plain notice.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { inviteLink } from '../../../shared/invite';
import type { StateEvent } from '../../../shared/ipc/app-state';
import { createAppService } from './app-service';
import type { AppService } from './types';
import { Config } from '../config/config';
import { dispatch } from './ipc-registry';
import { LocalControlPlane } from '../local/control-plane';
import { silentLogger } from '../../../shared/logger';
import { makeTempDir } from '../test-util/temp-dir';
import { PartyInfo, type PeerInfo } from '../../../shared/model';
import { waitFor } from '../test-util/child-process';
import type { JoinCredentials } from '../types';

let temp: ReturnType<typeof makeTempDir>;
const open: AppService[] = [];
beforeEach(() => {
  temp = makeTempDir('lanrage-invite-');
});
afterEach(async () => {
  vi.restoreAllMocks();
  for (const s of open.splice(0)) await s.close();
  temp.cleanup();
});

/** The credentials each join of the instances' engines was given. */
const joins: JoinCredentials[] = [];

class WatchedPlane extends LocalControlPlane {
  override joinParty(partyId: string, peer: PeerInfo, credentials: JoinCredentials = {}) {
    joins.push(credentials);
    return super.joinParty(partyId, peer, credentials);
  }
}

async function instance(name: string): Promise<AppService> {
  const config = Config.load({
    home: temp.dir,
    env: { LANRAGE_INSTANCE: name.toLowerCase(), LANRAGE_PEER_NAME: name },
  });
  const service = await createAppService({
    config,
    identity: { peerId: `peer_${name.toLowerCase()}`, publicKey: 'k'.repeat(43) + '=' },
    createControlPlane: (c) => new WatchedPlane(c, { logger: silentLogger, saveDelayMs: 0 }),
    localIp: () => '192.168.1.100',
    logger: silentLogger,
  });
  open.push(service);
  return service;
}

const call = (s: AppService, channel: string, request: unknown = {}) =>
  dispatch(s.handlers, channel, request, silentLogger);

describe('a link naming its host PC’s certificate', () => {
  const pin = 'a4ayc_80_OGda4BO_1o_V0etpOqiLx1JwB5S3beHW0s';
  const partyOf = (created: unknown) => (created as { value: { party_id: string } }).value.party_id;

  it('gives the pin to the join, pasted or opened; a host on this PC is joined over loopback', async () => {
    const host = await instance('Bob');
    const partyId = partyOf(await call(host, 'createParty', { name: 'LAN Night' }));
    const guest = await instance('Ann');
    joins.length = 0;
    await guest.openInvite(inviteLink(partyId, undefined, null, pin));
    expect(guest.snapshot().invite).toMatchObject({ party_id: partyId, host_pin: pin });
    expect(await call(guest, 'joinParty', { invite: partyId })).toMatchObject({ ok: true });
    expect(await call(guest, 'leaveParty')).toMatchObject({ ok: true });
    const link = inviteLink(partyId, undefined, null, pin);
    expect(await call(guest, 'joinParty', { invite: link })).toMatchObject({ ok: true });
    expect(joins.map((j) => j.hostPin)).toEqual([pin, pin]);
  });

  it('gives where that PC answers (`at`) to the join with the pin, pasted or opened', async () => {
    const host = await instance('Bob');
    const partyId = partyOf(await call(host, 'createParty', { name: 'LAN Night' }));
    const guest = await instance('Ann');
    joins.length = 0;
    const at = ['10.0.0.5:8669', '192.168.1.20:8669'];
    const link = inviteLink(partyId, undefined, null, pin, at);
    await guest.openInvite(link);
    expect(guest.snapshot().invite).toMatchObject({ host_pin: pin, host_at: at });
    expect(await call(guest, 'joinParty', { invite: partyId })).toMatchObject({ ok: true });
    expect(await call(guest, 'leaveParty')).toMatchObject({ ok: true });
    expect(await call(guest, 'joinParty', { invite: link })).toMatchObject({ ok: true });
    expect(joins.map((j) => [j.hostPin, j.hostAt])).toEqual([
      [pin, at],
      [pin, at],
    ]);
    // An address without the pin is never dialled: the link is refused in words.
    const bare = `lanrage://join/${partyId}?at=10.0.0.5:8669`;
    const refused = (await call(guest, 'joinParty', { invite: bare })) as {
      error?: { message: string };
    };
    expect(refused.error?.message).toMatch(/but not the host's certificate/);
  });
});

describe('openInvite', () => {
  it('fills in the dialog with what discovery shows, and joins nothing until confirmed', async () => {
    const host = await instance('Bob');
    const created = await call(host, 'createParty', { name: 'Gaming Night' });
    const partyId = (created as { value: { party_id: string } }).value.party_id;
    const guest = await instance('Ann');
    const events: StateEvent[] = [];
    guest.onStateEvent((e) => events.push(e));
    await guest.openInvite(inviteLink(partyId));
    const invite = {
      party_id: partyId,
      name: 'Gaming Night',
      host_name: 'Bob',
      peer_count: 1,
      summary: {
        party_id: partyId,
        name: 'Gaming Night',
        host_name: 'Bob',
        peer_count: 1,
        max_peers: 256,
        join_policy: 'open',
        visibility: 'private',
        locked: false,
      },
      invite_token: null,
      missing: false,
      looking: false,
      server: null,
      host_pin: null,
      host_at: null,
      needs_invite: false,
    };
    expect(guest.snapshot().invite).toEqual(invite);
    expect(events).toContainEqual({ type: 'invite', invite });
    expect(guest.snapshot().party).toBeNull();
    expect(host.snapshot().party?.peers).not.toHaveProperty('peer_ann');
    expect(await call(guest, 'joinParty', { invite: partyId })).toMatchObject({ ok: true });
    expect(guest.snapshot().invite).toBeNull();
  });

  it('a party not heard of yet still asks, with the ID alone, looking for it; declining clears it', async () => {
    const guest = await instance('Ann');
    await guest.openInvite('lanrage://join/party_nobody');
    // Without a server, none announced is no proof of none: only a server says "missing".
    expect(guest.snapshot().invite).toEqual({
      party_id: 'party_nobody',
      name: null,
      host_name: null,
      peer_count: null,
      summary: null,
      invite_token: null,
      missing: false,
      looking: true,
      server: null,
      host_pin: null,
      host_at: null,
      needs_invite: false,
    });
    expect(await call(guest, 'dismissInvite')).toEqual({ ok: true, value: null });
    expect(guest.snapshot().invite).toBeNull();
  });

  it('a link opened before its party is announced fills in once Parties nearby lists it', async () => {
    const host = await instance('Bob');
    const guest = await instance('Ann');
    // The link names the party before anyone announces it, as a clicked link does before
    // the host's PC is heard: the party then appears in the guest's list.
    const partyId = 'party_latecomer2345';
    await guest.openInvite(inviteLink(partyId));
    expect(guest.snapshot().invite).toMatchObject({ name: null, missing: false, looking: true });
    vi.spyOn(PartyInfo, 'generatePartyId').mockReturnValueOnce(partyId);
    expect(await call(host, 'createParty', { name: 'Late Night' })).toMatchObject({ ok: true });
    await waitFor(() => guest.snapshot().invite?.name === 'Late Night', 5000);
    expect(guest.snapshot().invite).toMatchObject({ party_id: partyId, looking: false });
  });

  it.each([
    ['a bad % escape', 'lanrage://join/party_%E0%A4%A', /damaged \(a "%" escape/],
    ['not an invite', 'lanrage://settings', /not a LANrage invite/],
    // A review's hostile link: a web server found inside the link.
    ['a link inside a link', 'lanrage://x?https://evil.example/join/party_x', /not a LANrage/],
  ])('%s becomes a plain notice, not "Something went wrong"', async (_what, link, message) => {
    const guest = await instance('Ann');
    await guest.openInvite(link);
    expect(guest.snapshot().invite).toBeNull();
    const [notice] = guest.snapshot().notices;
    expect(notice?.message).toMatch(/^Could not open the invite link\. /);
    expect(notice?.message).toMatch(message);
  });
});
