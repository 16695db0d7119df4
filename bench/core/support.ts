/** Inputs and baselines for the core bench: bench peers, a big state, raw loops and writes. */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { PartyInfo, PeerInfo } from '../../shared/model';
import { serializeState } from '../../electron/core/state/state-file';
import { round } from '../lib/stats';

export function benchPeer(
  peerId: string,
  name = `Peer ${peerId}`,
  lastSeen = new Date(),
): PeerInfo {
  return new PeerInfo({
    peerId,
    name,
    publicKey: 'k'.repeat(43) + '=',
    natType: 'full_cone',
    publicIp: '203.0.113.42',
    publicPort: 51820,
    localIp: '192.168.1.100',
    localPort: 51820,
    lastSeen,
  });
}

export function buildState(
  parties: number,
  peersPerParty: number,
  now: number,
): Map<string, PartyInfo> {
  const out = new Map<string, PartyInfo>();
  for (let p = 0; p < parties; p++) {
    const partyId = `party_${p}`;
    const peers = new Map<string, PeerInfo>();
    for (let k = 0; k < peersPerParty; k++) {
      const peer = benchPeer(`${partyId}_m${k}`, undefined, new Date(now));
      peers.set(peer.peerId, peer);
    }
    out.set(
      partyId,
      new PartyInfo({
        partyId,
        name: `Party ${p}`,
        hostId: `${partyId}_m0`,
        createdAt: new Date(now),
        peers,
      }),
    );
  }
  return out;
}

/** The raw cost of persisting: one JSON.stringify and one atomic write, nothing else. */
export function rawWriteMs(data: unknown, path: string): number {
  return medianMs(3, () => {
    const text = JSON.stringify(data, null, 2);
    const temp = `${path}.tmp`;
    const fd = openSync(temp, 'w');
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, path);
  });
}

export function writeStateFile(path: string, parties: Map<string, PartyInfo>): string {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'w');
  writeSync(fd, serializeState({ parties, myPeerId: null, myPartyId: null }));
  fsyncSync(fd);
  closeSync(fd);
  return path;
}

export function medianMs(runs: number, task: () => unknown): number {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    task();
    times.push(performance.now() - started);
  }
  return [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

interface RawPeer {
  peer_id: string;
  name: string;
  last_seen: number;
}

/** The same operations on plain nested Maps: what the work costs with no model around it. */
export function mapOnlyOps(parties: number, peersPerParty: number) {
  const state = new Map<string, Map<string, RawPeer>>();
  const ids: [string, string][] = [];
  for (let p = 0; p < parties; p++) {
    state.set(`party_${p}`, new Map());
    for (let k = 1; k < peersPerParty; k++) ids.push([`party_${p}`, `party_${p}_m${k}`]);
  }
  const rate = (op: (party: Map<string, RawPeer>, peerId: string, i: number) => void): number => {
    const started = performance.now();
    ids.forEach(([partyId, peerId], i) => op(state.get(partyId)!, peerId, i));
    return round((ids.length / (performance.now() - started)) * 1000, 0);
  };
  return {
    join: rate((party, peer_id) =>
      party.set(peer_id, { peer_id, name: peer_id, last_seen: Date.now() }),
    ),
    heartbeat: rate((party, peerId) => {
      party.get(peerId)!.last_seen = Date.now();
    }),
    update: rate((party, peerId, i) =>
      party.set(peerId, { ...party.get(peerId)!, name: `Renamed ${i}` }),
    ),
    leave: rate((party, peerId) => party.delete(peerId)),
  };
}
