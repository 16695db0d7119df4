import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PartyInfo, PeerInfo } from '../../../shared/model';
import { Config } from '../config/config';
import { createControlPlane, LocalControlPlane } from '../control';
import { MemoryLogger } from '../../../shared/test-support/memory-logger';
import { parseBoard, serializeBoard } from '../hosting/discovery-board';
import { parseStateFile } from '../state/state-file';
import { waitFor } from '../test-util/child-process';
import { makePeer, SPEC_STATE_JSON } from '../test-util/fixtures';
import { localEnv, testLocalPlane } from '../test-util/local-plane';
import { makeTempDir } from '../test-util/temp-dir';
import type { ControlPlaneChange } from '../types';

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

function instance(name: string): Promise<LocalControlPlane> {
  return testLocalPlane(home, name, planes, undefined, logger);
}

const board = (plane: LocalControlPlane) =>
  parseBoard(JSON.parse(readFileSync(plane.config.discoveryFile, 'utf8')));

describe('the spec’s "Unit Tests" example, ported', () => {
  it('registers test_party and gets it back', async () => {
    const config = Config.load({ env: localEnv(home) });
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
    const config = Config.load({ env: localEnv(home) });
    const plane = createControlPlane(config, { logger });
    expect(plane).toBeInstanceOf(LocalControlPlane);
    expect(plane.stateFile).toBe(config.stateFile);
  });

  it('its status says whether a party it hosts is open to the LAN, before it hosts one', () => {
    const onLan = Config.load({ env: { ...localEnv(home), LANRAGE_LAN_LISTEN: '1' } });
    expect(createControlPlane(onLan, { logger }).status().lanListen).toBe(true);
    const thisPc = Config.load({ env: localEnv(home) });
    expect(createControlPlane(thisPc, { logger }).status().lanListen).toBe(false);
  });
});

describe('LocalControlPlane: the host runs the server, the others are its clients', () => {
  it('hosting starts the embedded server and lists the party in discovery.json, with where to reach it', async () => {
    const a = await instance('a');
    expect(a.hosting.server).toBeNull();
    await a.registerParty('party_p1', 'One', makePeer('alice'));
    const server = a.hosting.server!;
    expect(server.hostedParties().map((p) => p.partyId)).toEqual(['party_p1']);
    expect(a.linkUrl).toBe(server.url);
    expect(a.status()).toMatchObject({
      state: 'local',
      localServer: { port: server.port, lan: false },
    });
    const raw = JSON.parse(readFileSync(a.config.discoveryFile, 'utf8')) as Record<string, unknown>;
    // The spec's format: its party dict, with the host's address beside it.
    expect(raw).toMatchObject({ my_peer_id: null, my_party_id: null });
    expect(parseStateFile(raw).parties.get('party_p1')?.hostId).toBe('alice');
    expect(board(a).get('party_p1')).toMatchObject({
      controlUrl: server.url,
      hostPid: process.pid,
    });
  });

  it('another instance joins through the host’s server; both see both, with events', async () => {
    const a = await instance('a');
    const b = await instance('b');
    const seen: ControlPlaneChange[] = [];
    a.subscribe((c) => seen.push(c));
    await a.registerParty('party_p1', 'One', makePeer('alice'));
    expect([...(await b.discoverParties()).keys()]).toEqual(['party_p1']);
    const joined = await b.joinParty('party_p1', makePeer('bob'));
    expect([...joined.peers.keys()]).toEqual(['alice', 'bob']);
    expect(b.linkUrl).toBe(a.hosting.server!.url);
    expect(b.hosting.server).toBeNull();
    await waitFor(() => a.parties.get('party_p1')?.peers.has('bob') === true, 2000);
    const events = seen.flatMap((c) => (c.kind === 'party' ? c.events.map((e) => e.type) : []));
    expect(events).toContain('peer_joined');
    await waitFor(() => board(a).get('party_p1')?.party.peers.size === 2, 2000);

    await b.updatePeer('party_p1', makePeer('bob').with({ publicIp: '198.51.100.9' }));
    await waitFor(
      () => a.parties.get('party_p1')?.peers.get('bob')?.publicIp === '198.51.100.9',
      2000,
    );
    await b.heartbeat('party_p1', 'bob');
    expect(b.status().lastHeartbeatAt).not.toBeNull();

    await b.leaveParty('party_p1', 'bob');
    await waitFor(() => a.parties.get('party_p1')?.peers.has('bob') === false, 2000);
    expect(b.parties.has('party_p1')).toBe(false);
  });

  it('refuses a party id already hosted on this machine', async () => {
    const a = await instance('a');
    const b = await instance('b');
    await a.registerParty('party_p1', 'One', makePeer('alice'));
    await expect(b.registerParty('party_p1', 'Mine', makePeer('bob'))).rejects.toMatchObject({
      code: 'conflict',
    });
  });

  it('joining an unknown party throws "Party not found" and starts nothing', async () => {
    const a = await instance('a');
    await expect(a.joinParty('nope', makePeer('x'))).rejects.toMatchObject({
      message: 'Party not found',
      code: 'not_found',
    });
    expect(a.hosting.server).toBeNull();
    expect(readdirSync(home)).not.toContain('discovery.json');
  });

  it('the host leaving ends the party for the joiner with its reason', async () => {
    const a = await instance('a');
    const b = await instance('b');
    await a.registerParty('party_p1', 'One', makePeer('alice'));
    await b.joinParty('party_p1', makePeer('bob'));
    const reasons: string[] = [];
    b.subscribe((c) => {
      if (c.kind === 'party') {
        for (const e of c.events) if (e.type === 'party_closed') reasons.push(e.reason);
      }
    });
    await a.leaveParty('party_p1', 'alice');
    await waitFor(() => !b.parties.has('party_p1'), 2000);
    expect(reasons).toEqual(['host_left']);
    expect(b.myPartyId).toBeNull();
    await waitFor(() => !board(a).has('party_p1'), 2000);
  });

  it('the host quitting ends the party for the others ("host left") and withdraws it', async () => {
    const a = await instance('a');
    const b = await instance('b');
    await a.registerParty('party_p1', 'One', makePeer('alice'));
    await b.joinParty('party_p1', makePeer('bob'));
    const reasons: string[] = [];
    b.subscribe((c) => {
      if (c.kind === 'party') {
        for (const e of c.events) if (e.type === 'party_closed') reasons.push(e.reason);
      }
    });
    await a.close();
    await waitFor(() => !b.parties.has('party_p1'), 2000);
    expect(reasons).toEqual(['host_left']);
    expect((await b.discoverParties()).size).toBe(0);
  });

  it('a party whose host process is gone is not offered', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const spec = JSON.parse(SPEC_STATE_JSON) as { parties: Record<string, unknown> };
    const party = PartyInfo.fromDict(spec.parties.party_abc123);
    const entry = {
      party,
      controlUrl: 'ws://127.0.0.1:9/ws',
      hostPid: dead,
      hostInstance: 'ab12cd34ef56ab78',
    };
    const config = Config.load({ env: localEnv(home) });
    writeFileSync(config.discoveryFile, serializeBoard(new Map([['party_abc123', entry]])));
    const b = await instance('b');
    expect((await b.discoverParties()).has('party_abc123')).toBe(false);
    await expect(b.joinParty('party_abc123', makePeer('bob'))).rejects.toMatchObject({
      code: 'not_found',
    });
    // The same entry from a live process is offered.
    entry.hostPid = process.pid;
    writeFileSync(config.discoveryFile, serializeBoard(new Map([['party_abc123', entry]])));
    expect((await b.discoverParties()).has('party_abc123')).toBe(true);
  });

  it('sets a corrupt discovery.json aside when it first reads it, hosting or not, and says so', async () => {
    const a = await instance('a');
    writeFileSync(a.config.discoveryFile, '{ nope');
    expect((await a.discoverParties()).size).toBe(0);
    // An instance that only joins hears of it too, not just the next host.
    expect(readdirSync(home).some((f) => f.startsWith('discovery.json.corrupt-'))).toBe(true);
    expect(logger.messages('warn').filter((m) => m.includes('kept it as'))).toHaveLength(1);
    await a.registerParty('party_p1', 'One', makePeer('alice'));
    expect((await a.discoverParties()).has('party_p1')).toBe(true);
  });

  it('sets aside a discovery.json that cannot be read (a folder in its place), and says so', async () => {
    const a = await instance('a');
    mkdirSync(join(a.config.discoveryFile, 'inside'), { recursive: true });
    expect((await a.discoverParties()).size).toBe(0);
    expect((await a.discoverParties()).size).toBe(0);
    const aside = readdirSync(home).filter((f) => f.startsWith('discovery.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readdirSync(join(home, aside[0]!))).toEqual(['inside']);
    const told = logger.messages('warn').filter((m) => m.includes('kept it as'));
    expect(told).toEqual([
      expect.stringMatching(/could not be read: a folder is in its place\. .*\(EISDIR: /),
    ]);
    await a.registerParty('party_p1', 'One', makePeer('alice'));
    expect((await a.discoverParties()).has('party_p1')).toBe(true);
  });
});

describe('the spec’s files load as they are', () => {
  it('a control_state.json in the spec’s example format, alone, keeps its party and hosts it again', async () => {
    const config = Config.load({ env: localEnv(home) });
    writeFileSync(config.stateFile, SPEC_STATE_JSON);
    const plane = new LocalControlPlane(config, { logger, saveDelayMs: 5 });
    planes.push(plane);
    await plane.initialize();
    expect(plane.myPeerId).toBe('peer123');
    expect(plane.myPartyId).toBe('party_abc123');
    expect(plane.parties.get('party_abc123')?.name).toBe('Gaming Night');
    // Hosted again: on the embedded server, and offered to the other instances.
    expect(plane.hosting.server?.hostedParties().map((p) => p.partyId)).toEqual(['party_abc123']);
    const other = await instance('b');
    const joined = await other.joinParty('party_abc123', makePeer('bob'));
    expect([...joined.peers.keys()].sort()).toEqual(['bob', 'peer123']);
    await plane.flush();
    const saved = parseStateFile(JSON.parse(readFileSync(config.stateFile, 'utf8')));
    expect(saved.parties.has('party_abc123')).toBe(true);
  });

  it('a host that quit and starts again hosts its party again; others can rejoin', async () => {
    const a = await instance('a');
    await a.registerParty('party_p1', 'One', makePeer('alice'));
    await a.close();
    planes.splice(planes.indexOf(a), 1);
    const again = await instance('a');
    expect(again.myPartyId).toBe('party_p1');
    expect(again.hosting.server?.hostedParties().map((p) => p.partyId)).toEqual(['party_p1']);
    const b = await instance('b');
    await b.joinParty('party_p1', makePeer('bob'));
    await waitFor(() => again.parties.get('party_p1')?.peers.has('bob') === true, 2000);
  });
});
