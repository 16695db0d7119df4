import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PeerInfo } from '../../shared/model';
import { Config } from './config';
import { createControlPlane, LocalControlPlane } from './control';
import { MemoryLogger } from '../../shared/test-support/memory-logger';
import { ManualClock, systemClock, type Clock } from './scheduler';
import { parseStateFile } from './state-file';
import { waitFor } from './test-util/child-process';
import { makePeer } from './test-util/fixtures';
import { testLocalPlane } from './test-util/local-plane';
import { makeTempDir } from './test-util/temp-dir';
import type { ControlPlaneChange } from './types';

let home: string;
let cleanup: () => void;
let logger: MemoryLogger;
const planes: LocalControlPlane[] = [];

beforeEach(() => {
  ({ dir: home, cleanup } = makeTempDir());
  logger = new MemoryLogger();
});
afterEach(async () => {
  for (const p of planes.splice(0)) await p.close();
  cleanup();
});

function instance(name: string, clock: Clock = systemClock): Promise<LocalControlPlane> {
  return testLocalPlane(home, name, planes, clock, logger);
}

describe('the spec’s "Unit Tests" example, ported', () => {
  it('registers test_party and gets it back', async () => {
    const config = Config.load({ env: { LANRAGE_HOME: home } });
    const control = new LocalControlPlane(config, { logger });
    planes.push(control);
    await control.initialize();
    const peerInfo = new PeerInfo({
      peerId: 'test_peer',
      name: 'Test',
      publicKey: 'test_key',
      natType: 'full_cone',
      publicIp: '127.0.0.1',
      publicPort: 51820,
      localIp: '127.0.0.1',
      localPort: 51820,
      lastSeen: new Date(),
    });
    const party = await control.registerParty('test_party', 'Test Party', peerInfo);
    expect(party.name).toBe('Test Party');
    const retrieved = await control.getParty('test_party');
    expect(retrieved?.name).toBe('Test Party');
  });
});

describe('createControlPlane', () => {
  it('returns a LocalControlPlane when no control server is configured', () => {
    const config = Config.load({ env: { LANRAGE_HOME: home } });
    const plane = createControlPlane(config, { logger });
    expect(plane).toBeInstanceOf(LocalControlPlane);
    expect(plane.stateFile).toBe(config.stateFile);
  });
});

describe('LocalControlPlane', () => {
  it('announces a party to discovery.json in the spec’s format on register and on change', async () => {
    const a = await instance('a');
    await a.registerParty('p1', 'One', makePeer('alice'));
    const file = () =>
      JSON.parse(readFileSync(a.config.discoveryFile, 'utf8')) as Record<string, unknown>;
    expect(file()).toMatchObject({ my_peer_id: null, my_party_id: null });
    expect(parseStateFile(file()).parties.get('p1')?.hostId).toBe('alice');
    await a.joinParty('p1', makePeer('bob'));
    expect([...parseStateFile(file()).parties.get('p1')!.peers.keys()]).toEqual(['alice', 'bob']);
  });

  it('discoverParties lists every instance’s parties', async () => {
    const a = await instance('a');
    const b = await instance('b');
    await a.registerParty('pa', 'A', makePeer('alice'));
    await b.registerParty('pb', 'B', makePeer('bob'));
    expect([...(await a.discoverParties()).keys()].sort()).toEqual(['pa', 'pb']);
    expect(a.parties.has('pb')).toBe(false);
  });

  it('joins a party another instance hosts; both see both peers, with events', async () => {
    const a = await instance('a');
    const b = await instance('b');
    const seen: ControlPlaneChange[] = [];
    a.subscribe((c) => seen.push(c));
    await a.registerParty('p1', 'One', makePeer('alice'));
    const joined = await b.joinParty('p1', makePeer('bob'));
    expect([...joined.peers.keys()]).toEqual(['alice', 'bob']);
    expect(b.myPartyId).toBe('p1');
    await waitFor(() => a.parties.get('p1')?.peers.has('bob') === true, 2000);
    const events = seen.flatMap((c) => (c.kind === 'party' ? c.events.map((e) => e.type) : []));
    expect(events).toEqual(['party_created', 'peer_joined']);
  });

  it('refuses to register a party id another instance announced', async () => {
    const a = await instance('a');
    const b = await instance('b');
    await a.registerParty('p1', 'One', makePeer('alice'));
    await expect(b.registerParty('p1', 'Mine', makePeer('bob'))).rejects.toMatchObject({
      code: 'conflict',
    });
  });

  it('joining an unknown party throws "Party not found" and writes nothing', async () => {
    const a = await instance('a');
    await expect(a.joinParty('nope', makePeer('x'))).rejects.toMatchObject({
      message: 'Party not found',
      code: 'not_found',
    });
    expect(readdirSync(home)).not.toContain('discovery.json');
  });

  it('the host leaving removes the party from discovery and from the joiner', async () => {
    const a = await instance('a');
    const b = await instance('b');
    await a.registerParty('p1', 'One', makePeer('alice'));
    await b.joinParty('p1', makePeer('bob'));
    await a.leaveParty('p1', 'alice');
    expect((await b.discoverParties()).has('p1')).toBe(false);
    await waitFor(() => !b.parties.has('p1'), 2000);
    expect(b.myPartyId).toBeNull();
  });

  it('updatePeer and heartbeat reach the other instance', async () => {
    const a = await instance('a');
    const b = await instance('b');
    await a.registerParty('p1', 'One', makePeer('alice'));
    await b.joinParty('p1', makePeer('bob'));
    await b.updatePeer('p1', makePeer('bob').with({ publicIp: '198.51.100.9' }));
    await waitFor(() => a.parties.get('p1')?.peers.get('bob')?.publicIp === '198.51.100.9', 2000);
    await b.heartbeat('p1', 'bob');
    expect(b.status().lastHeartbeatAt).not.toBeNull();
  });

  it('a party gone from discovery.json is dropped when next touched', async () => {
    const a = await instance('a');
    await a.registerParty('p1', 'One', makePeer('alice'));
    await a.close();
    writeFileSync(a.config.discoveryFile, JSON.stringify({ parties: {} }));
    const again = await instance('a');
    expect(again.parties.has('p1')).toBe(false);
  });

  it('sets a corrupt discovery.json aside on the next write and warns', async () => {
    const a = await instance('a');
    writeFileSync(a.config.discoveryFile, '{ nope');
    expect((await a.discoverParties()).size).toBe(0);
    await a.registerParty('p1', 'One', makePeer('alice'));
    expect(readdirSync(home).some((f) => f.startsWith('discovery.json.corrupt-'))).toBe(true);
    expect(logger.messages('warn').some((m) => m.includes('kept it as'))).toBe(true);
    expect((await a.discoverParties()).has('p1')).toBe(true);
  });
});

describe('LocalControlPlane cleanup (injected clock)', () => {
  it('sweeps the party of a dead instance out of discovery.json by the timeout rule', async () => {
    const clock = new ManualClock();
    const dead = await instance('dead', clock);
    await dead.registerParty('ghost', 'Ghost', makePeer('zombie'));
    await dead.close(); // stops its heartbeats, as a killed process would
    const alive = await instance('alive', clock);
    await alive.registerParty('mine', 'Mine', makePeer('me'));
    for (let i = 0; i < 7; i++) {
      await clock.advance(60_000);
      await alive.flush();
    }
    const parties = await alive.discoverParties();
    expect(parties.has('ghost')).toBe(false);
    expect(parties.has('mine')).toBe(true); // its own heartbeats kept it alive
  });

  it('removes a silent joiner from the host’s party', async () => {
    const clock = new ManualClock();
    const host = await instance('host', clock);
    await host.registerParty('p1', 'One', makePeer('alice'));
    await host.joinParty('p1', makePeer('silent'));
    host.myPeerId = 'alice';
    for (let i = 0; i < 7; i++) {
      await clock.advance(60_000);
      await host.flush();
    }
    expect([...(await host.getPeers('p1')).keys()]).toEqual(['alice']);
    expect([...(await host.discoverParties()).get('p1')!.peers.keys()]).toEqual(['alice']);
  });
});
