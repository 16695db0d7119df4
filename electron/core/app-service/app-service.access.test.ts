/**
 * Issue 10 through the app's IPC contract, against a real control server: what the UI
 * calls (create with settings, join with a password or an invite link, wait for the host,
 * answer, kick and ban, browse) and the state it is shown.
 */
import { describe, expect, it } from 'vitest';
import type { PartyView, StateEvent } from '../../../shared/ipc/app-state';
import { accessAppRig } from '../test-util/access-app-rig';
import { appValue as value, callApp as call, until } from '../test-util/app-calls';

const { server, instance, hostAndGuest } = accessAppRig();

describe('access control in the app (issue 10)', () => {
  it('creates a password party; a guest is told it needs one, then which was wrong, then joins', async () => {
    const host = await instance('Bob');
    const party = await value<PartyView>(host, 'createParty', {
      name: 'Locked room',
      settings: { join_policy: 'password', password: 'swordfish', max_peers: 4 },
    });
    expect(party.settings).toMatchObject({ join_policy: 'password', max_peers: 4 });
    expect(party.party_id).toMatch(/^party_[a-z2-9]{13}$/);
    const guest = await instance('Ann');
    expect(await call(guest, 'joinParty', { invite: party.party_id })).toMatchObject({
      ok: false,
      error: { code: 'password_required', message: expect.stringMatching(/password/) as string },
    });
    expect(
      await call(guest, 'joinParty', { invite: party.party_id, password: 'tuna' }),
    ).toMatchObject({ ok: false, error: { code: 'wrong_password' } });
    const joined = await value<PartyView>(guest, 'joinParty', {
      invite: party.party_id,
      password: 'swordfish',
    });
    expect(Object.keys(joined.peers).sort()).toEqual(['peer_ann', 'peer_bob']);
  });

  it('too many wrong passwords: the refusal carries the wait as data, for the dialog to count', async () => {
    const host = await instance('Bob');
    const party = await value<PartyView>(host, 'createParty', {
      name: 'Guarded',
      settings: { join_policy: 'password', password: 'swordfish' },
    });
    const guest = await instance('Ann');
    const guess = (password: string) =>
      call(guest, 'joinParty', { invite: party.party_id, password });
    for (let i = 0; i < 5; i++) {
      const wrong = await guess(`tuna${i}`);
      expect(wrong).toMatchObject({ ok: false, error: { code: 'wrong_password' } });
      expect(JSON.stringify(wrong)).not.toContain('retry_after_s');
    }
    const waited = await guess('swordfish');
    expect(waited).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/^Too many wrong passwords/) as string },
    });
    const wait = waited.ok ? null : waited.error.retry_after_s;
    expect(wait !== undefined && wait !== null && wait >= 29 && wait <= 30, String(wait)).toBe(
      true,
    );
  });

  it('an invite link gets past invite-only; the host lists and revokes invites', async () => {
    const host = await instance('Bob');
    const party = await value<PartyView>(host, 'createParty', {
      name: 'Invited',
      settings: { join_policy: 'invite_only' },
    });
    const invite = await value<{ link: string; invite_id: string; token: string }>(
      host,
      'createInvite',
      { max_uses: 1, expires_in_s: 3600 },
    );
    expect(invite.link).toBe(`lanrage://join/${party.party_id}?invite=${invite.token}`);
    const guest = await instance('Ann');
    await guest.openInvite(invite.link);
    expect(guest.snapshot().invite).toMatchObject({
      invite_token: invite.token,
      summary: { name: 'Invited', join_policy: 'invite_only', peer_count: 1 },
    });
    expect((await call(guest, 'joinParty', { invite: party.party_id })).ok).toBe(true);
    expect(await value(host, 'listInvites')).toEqual([]); // used up
    // Still in the host's list until refreshed: revoking it is fine (it is gone anyway).
    expect(await value(host, 'revokeInvite', { invite_id: invite.invite_id })).toBeNull();
    const second = await value<{ invite_id: string; link: string }>(host, 'createInvite');
    await value(host, 'revokeInvite', { invite_id: second.invite_id });
    const late = await instance('Cid');
    expect(await call(late, 'joinParty', { invite: second.link })).toMatchObject({
      ok: false,
      error: { code: 'invite_invalid', message: expect.stringContaining('has expired') as string },
    });
    // By the ID alone, no invite: told that it needs one, not that one expired.
    expect(await call(late, 'joinParty', { invite: party.party_id })).toMatchObject({
      ok: false,
      error: {
        code: 'invite_invalid',
        message: expect.stringMatching(
          /^This party only lets in people with an invite link: /,
        ) as string,
      },
    });
  });

  it('an invite-only party’s dialog shows it only to a working invite, and says why before Join', async () => {
    const host = await instance('Bob');
    const party = await value<PartyView>(host, 'createParty', {
      name: 'Invited',
      settings: { join_policy: 'invite_only' },
    });
    const spent = await value<{ invite_id: string; link: string }>(host, 'createInvite');
    await value(host, 'revokeInvite', { invite_id: spent.invite_id });
    const guest = await instance('Ann');
    for (const link of [party.party_id, spent.link]) {
      await guest.openInvite(link.startsWith('lanrage:') ? link : `lanrage://join/${link}`);
      expect(guest.snapshot().invite, link).toMatchObject({
        party_id: party.party_id,
        name: null,
        host_name: null,
        summary: null,
        missing: false,
        needs_invite: true,
      });
    }
    const good = await value<{ link: string }>(host, 'createInvite');
    await guest.openInvite(good.link);
    expect(guest.snapshot().invite).toMatchObject({ name: 'Invited', needs_invite: false });
    expect((await call(guest, 'joinParty', { invite: party.party_id })).ok).toBe(true);
  });

  it('approval: the guest waits (pending_join), the host sees the request and lets it in', async () => {
    const host = await instance('Bob');
    const party = await value<PartyView>(host, 'createParty', {
      name: 'Door',
      settings: { join_policy: 'approval' },
    });
    const guest = await instance('Ann');
    const guestEvents: StateEvent[] = [];
    guest.onStateEvent((e) => guestEvents.push(e));
    const joining = call<PartyView>(guest, 'joinParty', { invite: party.party_id });
    await until(() => host.snapshot().join_requests.length === 1);
    expect(guest.snapshot().pending_join).toMatchObject({ party_id: party.party_id });
    expect(host.snapshot().join_requests[0]).toMatchObject({ peer_id: 'peer_ann', name: 'Ann' });
    expect(host.snapshot().join_requests[0]!.key_fingerprint).toMatch(/^[0-9a-f ]{39}$/);
    await value(host, 'answerJoin', { peer_id: 'peer_ann', accept: true });
    const joined = await joining;
    expect(joined).toMatchObject({ ok: true });
    expect(guest.snapshot().pending_join).toBeNull();
    expect(host.snapshot().join_requests).toEqual([]);
    expect(guestEvents).toContainEqual({ type: 'pending_join', pending_join: null });
    await until(() => Object.keys(host.snapshot().party?.peers ?? {}).length === 2);
  });

  it('approval: a joiner whose name holds markup alerts the host in plain text', async () => {
    const host = await instance('Bob');
    const party = await value<PartyView>(host, 'createParty', {
      name: 'Door',
      settings: { join_policy: 'approval' },
    });
    const alerts: string[] = [];
    host.onNotification((n) => alerts.push(`${n.title}|${n.body}`));
    const guest = await instance('Ann');
    const name = '<b>LANrage</b> & co: <a href="https://evil.example">verify</a>';
    const settings = { peer_name: name, control_server: server.url };
    await value(guest, 'saveSettings', settings);
    const joining = call(guest, 'joinParty', { invite: party.party_id });
    await until(() => host.snapshot().join_requests.length === 1);
    // The request list shows the name as it is (React escapes it); the alert cannot.
    expect(host.snapshot().join_requests[0]!.name).toBe(name);
    expect(alerts).toEqual([
      'Door|‹b›LANrage‹/b› ＆ co: ‹a href="https://evil.example"›verify‹/a› asks to join',
    ]);
    await value(guest, 'cancelJoin');
    await joining;
  });

  it('approval: cancelling stops the wait with "cancelled", and the host’s list empties', async () => {
    const host = await instance('Bob');
    const party = await value<PartyView>(host, 'createParty', {
      name: 'Door',
      settings: { join_policy: 'approval' },
    });
    const guest = await instance('Ann');
    const joining = call(guest, 'joinParty', { invite: party.party_id });
    await until(() => host.snapshot().join_requests.length === 1);
    await value(guest, 'cancelJoin');
    expect(await joining).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    await until(() => host.snapshot().join_requests.length === 0);
  });

  it('kick with ban: the guest’s party ends with why; the same installation cannot return', async () => {
    const { host, party, guest } = await hostAndGuest('Bob', 'Ann', 'Room');
    await until(() => Object.keys(host.snapshot().party?.peers ?? {}).length === 2);
    await value(host, 'kickPeer', { peer_id: 'peer_ann', ban: true });
    await until(() => guest.snapshot().party === null);
    await until(() => Object.keys(host.snapshot().party?.peers ?? {}).length === 1);
    expect(guest.snapshot().ended).toMatchObject({ reason: 'banned' });
    // The server tells the host (1.11) `banned`, the others only `kicked`.
    const hostSays = () => host.snapshot().activity.map((line) => line.text);
    expect(hostSays()).toContain('Ann was banned by you');
    expect(await value(host, 'listBans')).toMatchObject([{ peer_id: 'peer_ann', name: 'Ann' }]);
    expect(await call(guest, 'joinParty', { invite: party.party_id })).toMatchObject({
      ok: false,
      error: { code: 'banned' },
    });
    await value(host, 'unbanPeer', { peer_id: 'peer_ann' });
    // Said as the ban was, by the app that did it (no party event tells an unban).
    expect(host.snapshot().activity[0]).toMatchObject({
      kind: 'unbanned',
      peer_id: 'peer_ann',
      subject: 'Ann',
      text: 'Ann was unbanned by you',
    });
    expect((await call(guest, 'joinParty', { invite: party.party_id })).ok).toBe(true);
    await until(() => Object.keys(host.snapshot().party?.peers ?? {}).length === 2);
    await value(host, 'kickPeer', { peer_id: 'peer_ann' });
    await until(() => hostSays()[0] === 'Ann was removed by you');
  });

  it('the host changes settings and the guest sees them; a guest cannot', async () => {
    const host = await instance('Bob');
    const party = await value<PartyView>(host, 'createParty', { name: 'Room' });
    const guest = await instance('Ann');
    await value(guest, 'joinParty', { invite: party.party_id });
    const updated = await value<PartyView>(host, 'updatePartySettings', {
      settings: { locked: true, visibility: 'public' },
    });
    expect(updated.settings).toMatchObject({ locked: true, visibility: 'public' });
    await until(() => guest.snapshot().party?.settings.locked === true);
    expect(await call(guest, 'updatePartySettings', { settings: { locked: false } })).toMatchObject(
      { ok: false, error: { code: 'forbidden' } },
    );
  });

  it('lists public parties for Browse, newest first, by name', async () => {
    const a = await instance('Bob');
    await value(a, 'createParty', { name: 'Quake night', settings: { visibility: 'public' } });
    const b = await instance('Cid');
    await value(b, 'createParty', { name: 'Secret quake', settings: { visibility: 'private' } });
    const browser = await instance('Ann');
    const page = await value<{ parties: { name: string }[]; next_cursor: string | null }>(
      browser,
      'listParties',
      { query: 'quake' },
    );
    expect(page.parties.map((p) => p.name)).toEqual(['Quake night']);
    expect(page.next_cursor).toBeNull();
  });
});
