/**
 * Real OS processes sharing one LANRAGE_HOME: discovery.json is the only channel.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Config } from './config';
import { LocalControlPlane } from './local-control-plane';
import { MemoryLogger } from '../../shared/test-support/memory-logger';
import { parseStateFile } from './state-file';
import { StateStore } from './state-store';
import { systemClock } from './scheduler';
import { ChildInstance, waitFor } from './test-util/child-process';
import { makePeer } from './test-util/fixtures';
import { makeTempDir } from './test-util/temp-dir';

let home: string;
let cleanup: () => void;
const children: ChildInstance[] = [];
const planes: LocalControlPlane[] = [];

beforeEach(() => ({ dir: home, cleanup } = makeTempDir()));
afterEach(async () => {
  await Promise.all(children.splice(0).map((c) => c.stop()));
  for (const p of planes.splice(0)) await p.close();
  cleanup();
});

function child(instance: string, args: string[] = []): ChildInstance {
  const c = new ChildInstance({ LANRAGE_HOME: home, LANRAGE_INSTANCE: instance }, args);
  children.push(c);
  return c;
}

async function hostHere(): Promise<LocalControlPlane> {
  const config = Config.load({ env: { LANRAGE_HOME: home, LANRAGE_INSTANCE: 'host' } });
  const plane = new LocalControlPlane(config, {
    logger: new MemoryLogger(),
    saveDelayMs: 10,
    discoveryPollMs: 100,
  });
  planes.push(plane);
  await plane.initialize();
  return plane;
}

function peerIds(plane: LocalControlPlane, partyId: string): string[] {
  return [...(plane.parties.get(partyId)?.peers.keys() ?? [])].sort();
}

describe('LocalControlPlane across processes', () => {
  it('host and joiner see each other within 2 s, and each other’s leave', async () => {
    const joiner = child('joiner');
    const host = await hostHere();
    await host.registerParty('party_lan', 'LAN', makePeer('alice'));
    await joiner.started();

    // The joiner finds the party another process hosts and sees the host in it.
    expect(await joiner.call({ op: 'join', partyId: 'party_lan', peerId: 'bob' })).toEqual(
      expect.arrayContaining(['alice', 'bob']),
    );
    // The host sees the joiner appear.
    await waitFor(() => peerIds(host, 'party_lan').includes('bob'), 2000);

    // A leave disappears on the other side: joiner leaves → host sees it.
    await joiner.call({ op: 'leave', partyId: 'party_lan', peerId: 'bob' });
    await waitFor(() => !peerIds(host, 'party_lan').includes('bob'), 2000);

    // The other way: the joiner rejoins, a second guest joins here, the joiner sees it.
    await joiner.call({ op: 'join', partyId: 'party_lan', peerId: 'bob' });
    await host.joinParty('party_lan', makePeer('carol'));
    await waitFor(() => (joiner.parties.get('party_lan') ?? []).includes('carol'), 2000);
    await host.leaveParty('party_lan', 'carol');
    await waitFor(() => !(joiner.parties.get('party_lan') ?? []).includes('carol'), 2000);

    // The host leaving closes the party for everyone.
    await host.leaveParty('party_lan', 'alice');
    await waitFor(() => joiner.parties.get('party_lan') === null, 2000);
    expect((await host.discoverParties()).has('party_lan')).toBe(false);
  });

  it('200 concurrent announces from 4 processes lose nothing', async () => {
    const writers = ['w0', 'w1', 'w2', 'w3'].map((id) => child(id));
    await Promise.all(writers.map((w) => w.started()));
    const counts = await Promise.all(
      writers.map((w, i) =>
        w.call({ op: 'announceMany', prefix: `party_${i}_`, count: 50, peerId: `peer${i}` }),
      ),
    );
    expect(counts).toEqual([50, 50, 50, 50]);
    const config = Config.load({ env: { LANRAGE_HOME: home } });
    const onDisk = parseStateFile(JSON.parse(readFileSync(config.discoveryFile, 'utf8')));
    expect(onDisk.parties.size).toBe(200);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 50; j++) expect(onDisk.parties.has(`party_${i}_${j}`)).toBe(true);
    }
  });

  it('a process SIGKILLed in the middle of a write burst leaves a state file that loads', async () => {
    const writer = child('burst', ['--base']);
    await writer.call({ op: 'writeBurst', peerId: 'p' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await writer.stop();
    const config = Config.load({ env: { LANRAGE_HOME: home, LANRAGE_INSTANCE: 'burst' } });
    const logger = new MemoryLogger();
    const store = new StateStore(config.stateFile, {
      clock: systemClock,
      logger,
      saveDelayMs: 10,
      snapshot: () => ({ parties: new Map(), myPeerId: null, myPartyId: null }),
    });
    const state = await store.load();
    expect(logger.lines).toEqual([]);
    expect(state.parties.size).toBeGreaterThan(0);
    expect(state.parties.has('burst0')).toBe(true);
    const tempFiles = readdirNames(join(home, 'instances', 'burst')).filter((f) =>
      f.endsWith('.tmp'),
    );
    // A temp file may be left behind by the kill; it is never mistaken for the state.
    expect(tempFiles.length).toBeLessThanOrEqual(1);
  });
});

function readdirNames(dir: string): string[] {
  return readdirSync(dir);
}
