import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StateEvent } from '../../../shared/ipc/app-state';
import { inviteLink } from '../../../shared/invite';
import { createAppService } from './app-service';
import type { AppService, NotificationIntent } from './types';
import { Config } from '../config/config';
import { loadOrCreateIdentity } from '../identity/identity';
import { dispatch } from './ipc-registry';
import { LocalControlPlane } from '../local/control-plane';
import { silentLogger } from '../../../shared/logger';
import { RemoteControlPlane } from '../remote/control-plane';
import { makeTempDir } from '../test-util/temp-dir';

interface Harness {
  service: AppService;
  events: StateEvent[];
  notifications: NotificationIntent[];
  planes: Config[];
}

let temp: ReturnType<typeof makeTempDir>;
const open: AppService[] = [];

/** One LANrage instance in local mode; instances share the home, so they share discovery.json. */
async function instance(name: string): Promise<Harness> {
  const config = Config.load({
    home: temp.dir,
    env: { LANRAGE_INSTANCE: name.toLowerCase(), LANRAGE_PEER_NAME: name },
  });
  const identity = await loadOrCreateIdentity(config.keysDir);
  const planes: Config[] = [];
  const service = await createAppService({
    config,
    identity,
    createControlPlane: (c) => {
      planes.push(c);
      return new LocalControlPlane(c, {
        logger: silentLogger,
        discoveryPollMs: 20,
        saveDelayMs: 0,
      });
    },
    localIp: () => '192.168.1.100',
    log: () => {},
    notificationWindowMs: 20,
  });
  open.push(service);
  const events: StateEvent[] = [];
  const notifications: NotificationIntent[] = [];
  service.onStateEvent((e) => events.push(e));
  service.onNotification((n) => notifications.push(n));
  return { service, events, notifications, planes };
}

async function until<T>(probe: () => T | undefined | false, what = 'condition'): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const call = (h: Harness, channel: string, request: unknown = {}) =>
  dispatch(h.service.handlers, channel, request, () => {});

beforeEach(() => {
  temp = makeTempDir('lanrage-app-service-');
});

afterEach(async () => {
  for (const service of open.splice(0)) await service.close();
  temp.cleanup();
});

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
    expect(state.settings).toEqual({
      peer_name: 'Alice',
      control_server: null,
      voice_volumes: {},
      relay_only: false,
      mute_shortcut: null,
    });
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
          'No party with ID party_zzzzzzzzzz: it may have ended, or the ID is mistyped. ' +
          'Check it with your host.',
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

describe('app service without its control server', () => {
  it('answers unreachable, not "unknown party", once it fell back to local mode', async () => {
    const config = Config.load({
      home: temp.dir,
      env: { LANRAGE_PEER_NAME: 'Carol', LANRAGE_CONTROL_SERVER: 'ws://127.0.0.1:9' },
    });
    const service = await createAppService({
      config,
      identity: await loadOrCreateIdentity(config.keysDir),
      createControlPlane: (c) =>
        new RemoteControlPlane(c, {
          logger: silentLogger,
          maxReconnectAttempts: 1,
          reconnectDelayMs: 10,
          connectTimeoutMs: 200,
        }),
      log: () => {},
    });
    open.push(service);
    await until(() => service.snapshot().status.state === 'offline', 'offline fallback');
    const result = await dispatch(
      service.handlers,
      'joinParty',
      { invite: 'party_abc123' },
      () => {},
    );
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'unreachable',
        message:
          'Cannot reach 127.0.0.1:9 — check your connection, or the server address in Settings.',
      },
    });
  });
});

describe('settings', () => {
  it('refuses invalid settings without changing anything', async () => {
    const a = await instance('Alice');
    const empty = await call(a, 'saveSettings', { peer_name: '  ', control_server: null });
    expect(empty).toMatchObject({
      ok: false,
      error: { code: 'bad_request', message: expect.stringContaining('peer_name') as string },
    });
    const badUrl = await call(a, 'saveSettings', { peer_name: 'Al', control_server: 'ftp://x' });
    expect(badUrl).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(a.service.snapshot().settings).toEqual({
      peer_name: 'Alice',
      control_server: null,
      voice_volumes: {},
      relay_only: false,
      mute_shortcut: null,
    });
    expect(existsSync(join(temp.dir, 'config.json'))).toBe(false);
  });

  it('applies a new name without restart: saved, my row in the party renamed, event pushed', async () => {
    const a = await instance('Alice');
    await call(a, 'createParty', { name: 'Gaming Night' });
    const saved = await call(a, 'saveSettings', { peer_name: ' Alicia ', control_server: '' });
    expect(saved).toEqual({
      ok: true,
      value: {
        peer_name: 'Alicia',
        control_server: null,
        voice_volumes: {},
        relay_only: false,
        mute_shortcut: null,
      },
    });
    const file = JSON.parse(readFileSync(join(temp.dir, 'config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(file).toMatchObject({ peer_name: 'Alicia', control_server: null });
    const state = a.service.snapshot();
    expect(state.me.name).toBe('Alicia');
    expect(state.party!.peers[state.me.peer_id]!.name).toBe('Alicia');
    expect(a.events).toContainEqual({
      type: 'settings',
      settings: {
        peer_name: 'Alicia',
        control_server: null,
        voice_volumes: {},
        relay_only: false,
        mute_shortcut: null,
      },
    });
    expect(a.planes).toHaveLength(1);
  });

  it('remembers how loud a member plays in config.json, says so, and refuses a bad one', async () => {
    const a = await instance('Alice');
    await call(a, 'createParty', { name: 'Gaming Night' });
    expect(await call(a, 'setVoiceVolume', { peer_id: 'peer_bob', volume: 40 })).toEqual({
      ok: true,
      value: null,
    });
    await call(a, 'setVoiceVolume', { peer_id: 'peer_carol', volume: 0 });
    const file = () =>
      JSON.parse(readFileSync(join(temp.dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(file().voice_volumes).toEqual({ peer_bob: 40, peer_carol: 0 });
    expect(a.events).toContainEqual({
      type: 'settings',
      settings: {
        peer_name: 'Alice',
        control_server: null,
        voice_volumes: { peer_bob: 40, peer_carol: 0 },
        relay_only: false,
        mute_shortcut: null,
      },
    });
    for (const bad of [
      { peer_id: 'peer_bob', volume: 101 },
      { peer_id: 'peer_bob', volume: 12.5 },
      { peer_id: '../etc', volume: 10 },
    ]) {
      expect(await call(a, 'setVoiceVolume', bad)).toMatchObject({
        ok: false,
        error: { code: 'bad_request' },
      });
    }
    // The default forgets the member; the party and the others stay as they were.
    await call(a, 'setVoiceVolume', { peer_id: 'peer_bob', volume: 100 });
    expect(file().voice_volumes).toEqual({ peer_carol: 0 });
    expect(a.service.snapshot().settings.voice_volumes).toEqual({ peer_carol: 0 });
    expect(a.service.snapshot().party?.name).toBe('Gaming Night');
  });

  it('re-creates the control plane when the control server changes, and says so', async () => {
    const a = await instance('Alice');
    const saved = await call(a, 'saveSettings', {
      peer_name: 'Alice',
      control_server: 'ws://127.0.0.1:9',
    });
    expect(saved).toMatchObject({ ok: true });
    expect(a.planes.map((c) => c.controlServer)).toEqual([null, 'ws://127.0.0.1:9']);
    const snapshot = a.events.find((e) => e.type === 'snapshot');
    expect(snapshot).toMatchObject({ state: { settings: { control_server: 'ws://127.0.0.1:9' } } });
  });
});

describe('close', () => {
  it('flushes state: a restarted instance is back in its party', async () => {
    const a = await instance('Alice');
    await call(a, 'createParty', { name: 'Gaming Night' });
    const partyId = a.service.snapshot().party!.party_id;
    await a.service.close();
    await a.service.close();
    const again = await instance('Alice');
    expect(again.service.snapshot().party?.party_id).toBe(partyId);
  });
});
