import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ControlPlaneError } from '../../shared/errors';
import { Config } from './config/config';
import { ControlPlane } from './control-plane';
import { MemoryLogger } from '../../shared/test-support/memory-logger';
import { ManualClock } from './test-util/manual-clock';
import { parseStateFile } from './state/state-file';
import { makePeer, SPEC_STATE_JSON } from './test-util/fixtures';
import { makeTempDir } from './test-util/temp-dir';
import type { ControlPlaneChange } from './types';

let home: string;
let cleanup: () => void;
let clock: ManualClock;
let logger: MemoryLogger;
let config: Config;
const open: ControlPlane[] = [];

beforeEach(() => {
  ({ dir: home, cleanup } = makeTempDir());
  clock = new ManualClock(Date.UTC(2026, 0, 29, 12, 0, 0));
  logger = new MemoryLogger();
  config = Config.load({ env: { LANRAGE_HOME: home } });
});
afterEach(async () => {
  for (const cp of open.splice(0)) await cp.close();
  cleanup();
});

async function start(cfg = config): Promise<ControlPlane> {
  const cp = new ControlPlane(cfg, { clock, logger, saveDelayMs: 10 });
  open.push(cp);
  await cp.initialize();
  return cp;
}

async function rejection(promise: Promise<unknown>): Promise<ControlPlaneError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ControlPlaneError) return error;
    throw error;
  }
  throw new Error('did not reject');
}

describe('ControlPlane party operations', () => {
  it('registers a party with its host and makes it retrievable', async () => {
    const cp = await start();
    const party = await cp.registerParty('test_party', 'Test Party', makePeer('test_peer'));
    expect(party.name).toBe('Test Party');
    expect(party.hostId).toBe('test_peer');
    expect((await cp.getParty('test_party'))?.name).toBe('Test Party');
    expect(cp.myPeerId).toBe('test_peer');
    expect(cp.myPartyId).toBe('test_party');
    expect([...cp.activePartyIds]).toEqual(['test_party']);
    expect(cp.parties.get('test_party')).toBe(party);
    expect(await cp.getParty('nope')).toBeNull();
  });

  it('refuses to register an id that exists', async () => {
    const cp = await start();
    await cp.registerParty('p1', 'One', makePeer('a'));
    expect((await rejection(cp.registerParty('p1', 'Again', makePeer('b')))).code).toBe('conflict');
  });

  it('joins a party: the result lists every peer, stamped now', async () => {
    const cp = await start();
    await cp.registerParty('p1', 'One', makePeer('host'));
    const party = await cp.joinParty('p1', makePeer('guest'));
    expect([...party.peers.keys()].sort()).toEqual(['guest', 'host']);
    expect(party.peers.get('guest')!.lastSeen.getTime()).toBe(clock.now());
  });

  it('joining an unknown party throws ControlPlaneError "Party not found"', async () => {
    const cp = await start();
    const error = await rejection(cp.joinParty('party_missing', makePeer('x')));
    expect(error.message).toBe('Party not found');
    expect(error.code).toBe('not_found');
    expect(cp.myPartyId).toBeNull();
  });

  it('a guest leaving keeps the party; the host leaving deletes it', async () => {
    const cp = await start();
    await cp.registerParty('p1', 'One', makePeer('host'));
    await cp.joinParty('p1', makePeer('g1'));
    await cp.joinParty('p1', makePeer('g2'));
    await cp.leaveParty('p1', 'g1');
    expect([...(await cp.getPeers('p1')).keys()].sort()).toEqual(['g2', 'host']);
    await cp.leaveParty('p1', 'host');
    expect(await cp.getParty('p1')).toBeNull();
  });

  it('the last peer leaving deletes the party and clears myPartyId', async () => {
    const cp = await start();
    await cp.registerParty('solo', 'Solo', makePeer('me'));
    await cp.leaveParty('solo', 'me');
    expect(cp.parties.size).toBe(0);
    expect(cp.myPartyId).toBeNull();
    expect(cp.activePartyIds.size).toBe(0);
    await cp.leaveParty('solo', 'me'); // leaving again is harmless
  });

  it('updatePeer replaces the peer and refreshes last_seen', async () => {
    const cp = await start();
    await cp.registerParty('p1', 'One', makePeer('host'));
    await clock.advance(5000);
    await cp.updatePeer('p1', makePeer('host').with({ publicIp: '198.51.100.7' }));
    const peer = await cp.discoverPeer('p1', 'host');
    expect(peer?.publicIp).toBe('198.51.100.7');
    expect(peer?.lastSeen.getTime()).toBe(clock.now());
    expect((await rejection(cp.updatePeer('p1', makePeer('stranger')))).code).toBe('not_found');
    expect((await rejection(cp.updatePeer('nope', makePeer('host')))).code).toBe('not_found');
  });

  it('getPeers and discoverPeer answer for unknown parties and peers', async () => {
    const cp = await start();
    await cp.registerParty('p1', 'One', makePeer('host'));
    expect((await cp.getPeers('p1')).get('host')?.name).toBe('host');
    expect((await cp.getPeers('nope')).size).toBe(0);
    expect(await cp.discoverPeer('p1', 'ghost')).toBeNull();
    expect(await cp.discoverPeer('nope', 'host')).toBeNull();
  });

  it('heartbeat refreshes last_seen and records the own heartbeat in status()', async () => {
    const cp = await start();
    await cp.registerParty('p1', 'One', makePeer('host'));
    await cp.joinParty('p1', makePeer('guest'));
    cp.myPeerId = 'host';
    await clock.advance(1000);
    await cp.heartbeat('p1', 'guest');
    expect((await cp.discoverPeer('p1', 'guest'))!.lastSeen.getTime()).toBe(clock.now());
    expect(cp.status().lastHeartbeatAt).toBeNull();
    await cp.heartbeat('p1', 'host');
    expect(cp.status().lastHeartbeatAt).toBe(clock.now());
    expect((await rejection(cp.heartbeat('p1', 'ghost'))).code).toBe('not_found');
  });

  it('status() is local with the configured heartbeat interval', async () => {
    const cp = await start();
    expect(cp.status()).toMatchObject({
      state: 'local',
      serverUrl: null,
      lastHeartbeatAt: null,
      heartbeatIntervalMs: 30_000,
    });
  });

  it('discoverParties lists the parties it knows', async () => {
    const cp = await start();
    await cp.registerParty('p1', 'One', makePeer('a'));
    expect([...(await cp.discoverParties()).keys()]).toEqual(['p1']);
  });
});

describe('ControlPlane subscriptions', () => {
  it('notifies subscribers with the transition events until unsubscribed', async () => {
    const cp = await start();
    const seen: ControlPlaneChange[] = [];
    const unsubscribe = cp.subscribe((c) => seen.push(c));
    await cp.registerParty('p1', 'One', makePeer('host'));
    await cp.joinParty('p1', makePeer('guest'));
    await cp.leaveParty('p1', 'host');
    const kinds = seen.map((c) => (c.kind === 'party' ? c.events.map((e) => e.type) : []));
    expect(kinds).toEqual([['party_created'], ['peer_joined'], ['peer_left', 'party_closed']]);
    expect(seen.at(-1)).toMatchObject({ kind: 'party', partyId: 'p1', party: null });
    unsubscribe();
    await cp.registerParty('p2', 'Two', makePeer('host'));
    expect(seen).toHaveLength(3);
  });

  it('a throwing listener is logged and does not break the operation', async () => {
    const cp = await start();
    cp.subscribe(() => {
      throw new Error('boom');
    });
    await cp.registerParty('p1', 'One', makePeer('host'));
    expect(cp.parties.has('p1')).toBe(true);
    expect(logger.messages('error')[0]).toContain('boom');
  });
});

describe('ControlPlane cleanup and heartbeats (injected clock)', () => {
  it('removes peers silent longer than peer_timeout at the next cleanup', async () => {
    const cp = await start();
    await cp.registerParty('p1', 'One', makePeer('host'));
    await cp.joinParty('p1', makePeer('guest'));
    cp.myPeerId = 'nobody'; // no own heartbeat keeps anyone alive here
    await clock.advance(240_000);
    await cp.heartbeat('p1', 'host');
    await clock.advance(120_000); // guest silent 360 s, host 120 s; cleanups ran at 60 s steps
    expect([...(await cp.getPeers('p1')).keys()]).toEqual(['host']);
  });

  it('deletes a party whose host went silent, and saves', async () => {
    const cp = await start();
    await cp.registerParty('p1', 'One', makePeer('host'));
    await cp.joinParty('p1', makePeer('guest'));
    cp.myPeerId = 'nobody';
    await clock.advance(200_000);
    await cp.heartbeat('p1', 'guest');
    await clock.advance(160_000); // host silent 360 s, guest 160 s
    expect(await cp.getParty('p1')).toBeNull();
    await cp.flush();
    expect(parseStateFile(JSON.parse(readFileSync(config.stateFile, 'utf8'))).parties.size).toBe(0);
  });

  it('does not remove a peer within the timeout', async () => {
    const cp = await start();
    await cp.registerParty('p1', 'One', makePeer('host'));
    cp.myPeerId = 'nobody';
    await clock.advance(299_000);
    expect(cp.parties.has('p1')).toBe(true);
  });

  it('heartbeats its own peer every heartbeat_interval, so it is never swept', async () => {
    const cp = await start();
    await cp.registerParty('p1', 'One', makePeer('me'));
    await cp.joinParty('p1', makePeer('friend'));
    cp.myPeerId = 'me';
    await clock.advance(3_600_000);
    expect([...(await cp.getPeers('p1')).keys()]).toEqual(['me']);
    expect(cp.status().lastHeartbeatAt).toBeGreaterThan(clock.now() - 30_001);
  });

  it('honours configured intervals', async () => {
    const fast = config.with({ cleanupInterval: 1, peerTimeout: 2, heartbeatInterval: 100 });
    const cp = await start(fast);
    await cp.registerParty('p1', 'One', makePeer('host'));
    await cp.joinParty('p1', makePeer('me'));
    await clock.advance(3000);
    expect(cp.parties.has('p1')).toBe(false);
  });

  it('close() stops every timer and flushes pending state', async () => {
    const cp = await start();
    await cp.registerParty('p1', 'One', makePeer('me'));
    const writesBefore = cp.saveCount;
    await cp.close();
    expect(clock.pendingTimers).toBe(0);
    expect(cp.saveCount).toBe(writesBefore + 1);
    expect(
      parseStateFile(JSON.parse(readFileSync(config.stateFile, 'utf8'))).parties.has('p1'),
    ).toBe(true);
    await cp.close();
  });
});

describe('ControlPlane persistence', () => {
  it('saves after changes, coalescing a burst into one write', async () => {
    const cp = await start();
    const base = cp.saveCount;
    await cp.registerParty('p1', 'One', makePeer('host'));
    for (let i = 0; i < 50; i++) await cp.joinParty('p1', makePeer(`g${i}`));
    await clock.advance(10);
    await cp.flush();
    expect(cp.saveCount).toBe(base + 1);
    const onDisk = parseStateFile(JSON.parse(readFileSync(config.stateFile, 'utf8')));
    expect(onDisk.parties.get('p1')!.peers.size).toBe(51);
    expect(onDisk.myPeerId).toBe('g49');
    expect(onDisk.myPartyId).toBe('p1');
  });

  it('a new instance restores parties, my_peer_id and my_party_id', async () => {
    const first = await start();
    await first.registerParty('p1', 'One', makePeer('me'));
    await first.close();
    const second = await start();
    expect(second.myPeerId).toBe('me');
    expect(second.myPartyId).toBe('p1');
    expect([...second.activePartyIds]).toEqual(['p1']);
    expect((await second.getParty('p1'))?.name).toBe('One');
  });

  it('loads the spec example state file as it is', async () => {
    writeFileSync(config.stateFile, SPEC_STATE_JSON);
    const cp = await start();
    expect(cp.myPeerId).toBe('peer123');
    expect(cp.myPartyId).toBe('party_abc123');
    expect((await cp.discoverPeer('party_abc123', 'peer123'))?.name).toBe('Alice');
  });

  it('starts empty from a corrupt state file, keeping it aside and warning', async () => {
    writeFileSync(config.stateFile, '{ corrupt');
    const cp = await start();
    expect(cp.parties.size).toBe(0);
    expect(logger.messages('warn')[0]).toMatch(/control_state\.json\.corrupt-/);
  });
});
