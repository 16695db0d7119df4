import { describe, expect, it } from 'vitest';
import { connectStore } from '../bridge/connect-store';
import { fakeApi, makeParty, makeState } from '../test-util/fixtures';
import { createAppStore } from './app-store';

describe('app store actions', () => {
  it('createParty sends the request and shows the party it got back', async () => {
    const party = makeParty('alice');
    const { api, calls } = fakeApi({ createParty: () => ({ ok: true, value: party }) });
    const store = createAppStore(api);
    const request = { name: 'Gaming Night', settings: { join_policy: 'approval' as const } };
    await expect(store.getState().createParty(request)).resolves.toBe(true);
    expect(calls).toEqual([{ channel: 'createParty', request }]);
    expect(store.getState().party).toEqual(party);
    expect(store.getState().busy.create).toBe(false);
  });

  it('joinParty rejects a malformed invite without calling the app', async () => {
    const { api, calls } = fakeApi();
    const store = createAppStore(api);
    await expect(store.getState().joinParty('not a valid id!')).resolves.toBe(false);
    expect(calls).toHaveLength(0);
    expect(store.getState().errors.join).toMatch(/not a valid party ID/);
  });

  it('joinParty with the password left blank asks for it, without calling the app', async () => {
    const { api, calls } = fakeApi();
    const store = createAppStore(api);
    await expect(store.getState().joinParty('party_abc123', '')).resolves.toBe(false);
    expect(calls).toHaveLength(0);
    expect(store.getState().errors.join).toBe(
      'This party asks for a password: type the one your host gave you.',
    );
    // The join dialog puts focus on the password field for this code.
    expect(store.getState().errorCodes.join).toBe('password_required');
  });

  it('joinParty sends the party id parsed from an invite link and closes the dialog', async () => {
    const { api, calls } = fakeApi({
      joinParty: () => ({ ok: true, value: makeParty('bob', ['alice']) }),
    });
    const store = createAppStore(api);
    store.getState().openDialog('join');
    await expect(store.getState().joinParty('  lanrage://join/party_abc123 ')).resolves.toBe(true);
    expect(calls).toEqual([{ channel: 'joinParty', request: { invite: 'party_abc123' } }]);
    expect(store.getState().dialog).toBeNull();
    expect(store.getState().party?.host_id).toBe('bob');
  });

  it("joinParty shows the app's message for an unknown party and keeps the dialog open", async () => {
    const { api } = fakeApi({
      joinParty: () => ({ ok: false, error: { code: 'not_found', message: 'Party not found' } }),
    });
    const store = createAppStore(api);
    store.getState().openDialog('join');
    await expect(store.getState().joinParty('party_nope')).resolves.toBe(false);
    expect(store.getState().errors.join).toBe('Party not found');
    expect(store.getState().dialog).toBe('join');
    expect(store.getState().busy.join).toBe(false);
  });

  it('a bridge failure (thrown error) becomes a readable error, not a crash', async () => {
    const { api } = fakeApi({
      leaveParty: () =>
        Promise.reject(new Error('Lost the connection to the LANrage app; try again.')),
    });
    const store = createAppStore(api);
    await expect(store.getState().leaveParty()).resolves.toBe(false);
    expect(store.getState().errors.leave).toBe(
      'Lost the connection to the LANrage app; try again.',
    );
  });

  it('busy is set while the call is in flight', async () => {
    let answer: (value: { ok: true; value: null }) => void = () => undefined;
    const { api } = fakeApi({ leaveParty: () => new Promise((resolve) => (answer = resolve)) });
    const store = createAppStore(api);
    const pending = store.getState().leaveParty();
    expect(store.getState().busy.leave).toBe(true);
    answer({ ok: true, value: null });
    await pending;
    expect(store.getState().busy.leave).toBe(false);
  });

  it('saveSettings stores what the app saved and closes the dialog', async () => {
    const saved = { peer_name: 'Zed', control_server: null, voice_volumes: {} };
    const { api } = fakeApi({ saveSettings: () => ({ ok: true, value: saved }) });
    const store = createAppStore(api);
    store.getState().openDialog('settings');
    await store.getState().saveSettings({ peer_name: ' Zed ', control_server: null });
    expect(store.getState().settings).toEqual(saved);
    expect(store.getState().dialog).toBeNull();
  });

  it('connectStore applies a getState snapshot and then pushed events', async () => {
    const { api, emit } = fakeApi({ getState: () => ({ ok: true, value: makeState() }) });
    const store = createAppStore(api);
    const stop = connectStore(api, store);
    await Promise.resolve();
    await Promise.resolve();
    expect(store.getState().ready).toBe(true);
    emit({ type: 'party', party: makeParty('alice') });
    expect(store.getState().party?.party_id).toBe('party_abc123');
    stop();
    emit({ type: 'party', party: null });
    expect(store.getState().party).not.toBeNull();
  });
});

describe('joining with a password or an invite', () => {
  it('sends the password, and the link with its invite token', async () => {
    const token = 'k7m2p9q4rsk7m2p9q4rsk7';
    const { api, calls } = fakeApi({
      joinParty: () => ({ ok: true, value: makeParty('bob', ['alice']) }),
    });
    const store = createAppStore(api);
    await store.getState().joinParty('party_abc123', 'hunter22');
    await store.getState().joinParty(`see https://srv.example/join/party_abc123?invite=${token}`);
    expect(calls.map((c) => c.request)).toEqual([
      { invite: 'party_abc123', password: 'hunter22' },
      // The server the https link came from goes with it: the app compares it with its own.
      { invite: `lanrage://join/party_abc123?invite=${token}&server=https://srv.example` },
    ]);
  });

  it('keeps the refusal code beside its sentence, and clears both on edit', async () => {
    const message = 'That password is not right.';
    const { api } = fakeApi({
      joinParty: () => ({ ok: false, error: { code: 'wrong_password', message } }),
    });
    const store = createAppStore(api);
    await store.getState().joinParty('party_abc123', 'nope');
    expect(store.getState().errors.join).toBe(message);
    expect(store.getState().errorCodes.join).toBe('wrong_password');
    store.getState().clearError('join');
    expect(store.getState().errorCodes.join).toBeUndefined();
  });
});
