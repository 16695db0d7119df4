/**
 * The app's mirror of its parties (control-plane.ts over plane-state.ts): what it holds once
 * a server told it, the reads, its own beats, the change feed and control_state.json. The
 * party rules themselves are the server's (server/ tests); the planes that ask a server are
 * tested under local/ and remote/. MirrorPlane (test-util) plays the plane with the test as
 * its server.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PartyInfo } from '../../shared/model';
import type { PartyEvent } from '../../shared/party/events';
import { Config } from './config/config';
import { ControlPlane } from './control-plane';
import { MemoryLogger } from '../../shared/test-support/memory-logger';
import { ManualClock } from './test-util/manual-clock';
import { MirrorPlane } from './test-util/mirror-plane';
import { parseStateFile } from './state/state-file';
import { makePeer, SPEC_STATE_JSON } from './test-util/fixtures';
import { makeTempDir } from './test-util/temp-dir';
import { CountedWrites } from './test-util/counted-writes';
import type { ControlPlaneChange } from './types';

let home: string;
let cleanup: () => void;
let clock: ManualClock;
let logger: MemoryLogger;
let config: Config;
/** control_state.json's completed writes, by every plane a test starts. */
let writes: CountedWrites;
const open: MirrorPlane[] = [];

beforeEach(() => {
  ({ dir: home, cleanup } = makeTempDir());
  clock = new ManualClock(Date.UTC(2026, 0, 29, 12, 0, 0));
  logger = new MemoryLogger();
  config = Config.load({ env: { LANRAGE_HOME: home } });
  writes = new CountedWrites();
});
afterEach(async () => {
  for (const cp of open.splice(0)) await cp.close();
  cleanup();
});

async function start(cfg = config): Promise<MirrorPlane> {
  const cp = new MirrorPlane(cfg, { clock, logger, saveDelayMs: 10, writeState: writes.write });
  open.push(cp);
  await cp.initialize();
  return cp;
}

/** A party as a server would send it: `host` first, then the others. */
function party(partyId: string, host: string, ...others: string[]): PartyInfo {
  const peers = new Map([host, ...others].map((id) => [id, makePeer(id)] as const));
  return new PartyInfo({
    partyId,
    name: `Party ${partyId}`,
    hostId: host,
    createdAt: new Date(0),
    peers,
  });
}

/** The server's answer to our register or join, as the plane takes it. */
function entered(cp: MirrorPlane, p: PartyInfo, as: string): void {
  cp.told(p.partyId, { party: p, events: [{ type: 'party_created', party: p }] }, { joinedAs: as });
}

describe('the mirror holds what the server told and answers reads from it', () => {
  it('an entered party is mine and readable; unknown ones read as empty', async () => {
    const cp = await start();
    entered(cp, party('p1', 'host', 'guest'), 'guest');
    expect(cp.myPeerId).toBe('guest');
    expect(cp.myPartyId).toBe('p1');
    expect([...cp.activePartyIds]).toEqual(['p1']);
    expect((await cp.getParty('p1'))?.hostId).toBe('host');
    expect([...(await cp.getPeers('p1')).keys()]).toEqual(['host', 'guest']);
    expect((await cp.discoverPeer('p1', 'guest'))?.name).toBe('guest');
    expect(await cp.getParty('nope')).toBeNull();
    expect((await cp.getPeers('nope')).size).toBe(0);
    expect(await cp.discoverPeer('p1', 'ghost')).toBeNull();
    expect([...(await cp.discoverParties()).keys()]).toEqual(['p1']);
    expect(await cp.previewParty('p1')).toMatchObject({ party_id: 'p1', peer_count: 2 });
    expect(await cp.previewParty('nope')).toBeNull();
  });

  it('a party the server ended leaves my party empty', async () => {
    const cp = await start();
    entered(cp, party('p1', 'host', 'me'), 'me');
    const closed: PartyEvent = { type: 'party_closed', partyId: 'p1', reason: 'closed_by_host' };
    cp.told('p1', { party: null, events: [closed] });
    expect(cp.myPartyId).toBeNull();
    expect(cp.activePartyIds.size).toBe(0);
    expect(await cp.getParty('p1')).toBeNull();
  });

  it('defines no party operation or sweep: each is a request its planes send to a server', () => {
    const ops = ['registerParty', 'joinParty', 'leaveParty', 'transferHost', 'closeParty'];
    for (const op of [...ops, 'updatePeer', 'heartbeat', 'cleanup']) {
      expect(Object.hasOwn(ControlPlane.prototype, op), op).toBe(false);
    }
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
});

describe("the mirror's change feed", () => {
  it('notifies subscribers with the told events until unsubscribed', async () => {
    const cp = await start();
    const seen: ControlPlaneChange[] = [];
    const unsubscribe = cp.subscribe((c) => seen.push(c));
    entered(cp, party('p1', 'host'), 'host');
    const left: PartyEvent = { type: 'peer_left', partyId: 'p1', peerId: 'host', reason: 'left' };
    cp.told('p1', { party: null, events: [left] });
    const kinds = seen.map((c) => (c.kind === 'party' ? c.events.map((e) => e.type) : []));
    expect(kinds).toEqual([['party_created'], ['peer_left']]);
    expect(seen.at(-1)).toMatchObject({ kind: 'party', partyId: 'p1', party: null });
    unsubscribe();
    entered(cp, party('p2', 'host'), 'host');
    expect(seen).toHaveLength(2);
  });

  it('a throwing listener is logged and does not break the commit', async () => {
    const cp = await start();
    cp.subscribe(() => {
      throw new Error('boom');
    });
    entered(cp, party('p1', 'host'), 'host');
    expect(cp.parties.has('p1')).toBe(true);
    expect(logger.messages('error')[0]).toContain('boom');
  });
});

describe("the mirror's own beats (injected clock)", () => {
  it('asks for a beat for its own peer every heartbeat_interval, and only then', async () => {
    const cp = await start();
    await clock.advance(60_000);
    expect(cp.beats).toEqual([]); // in no party: nothing to beat for
    entered(cp, party('p1', 'host', 'me'), 'me');
    await clock.advance(90_000);
    expect(cp.beats).toEqual([
      ['p1', 'me'],
      ['p1', 'me'],
      ['p1', 'me'],
    ]);
  });

  it('keeps no sweep timer: only its beats and the wake check run (the server sweeps)', async () => {
    await start();
    expect(clock.pendingTimers).toBe(2);
  });

  it('honours a configured heartbeat interval', async () => {
    const cp = await start(config.with({ heartbeatInterval: 5 }));
    entered(cp, party('p1', 'host', 'me'), 'me');
    await clock.advance(20_000);
    expect(cp.beats).toHaveLength(4);
  });

  it('close() stops every timer and flushes pending state', async () => {
    const cp = await start();
    entered(cp, party('p1', 'me'), 'me');
    const writesBefore = writes.count;
    await cp.close();
    expect(clock.pendingTimers).toBe(0);
    expect(writes.count).toBe(writesBefore + 1);
    expect(
      parseStateFile(JSON.parse(readFileSync(config.stateFile, 'utf8'))).parties.has('p1'),
    ).toBe(true);
    await cp.close();
  });
});

describe("the mirror's persistence", () => {
  it('saves after changes, coalescing a burst into one write', async () => {
    const cp = await start();
    const base = writes.count;
    const guests = Array.from({ length: 50 }, (_, i) => `g${i}`);
    for (let i = 1; i <= guests.length; i++) {
      entered(cp, party('p1', 'host', ...guests.slice(0, i)), guests[i - 1]!);
    }
    await clock.advance(10);
    await cp.flush();
    expect(writes.count).toBe(base + 1);
    const onDisk = parseStateFile(JSON.parse(readFileSync(config.stateFile, 'utf8')));
    expect(onDisk.parties.get('p1')!.peers.size).toBe(51);
    expect(onDisk.myPeerId).toBe('g49');
    expect(onDisk.myPartyId).toBe('p1');
  });

  it('a new instance restores parties, my_peer_id and my_party_id', async () => {
    const first = await start();
    entered(first, party('p1', 'me'), 'me');
    await first.close();
    const second = await start();
    expect(second.myPeerId).toBe('me');
    expect(second.myPartyId).toBe('p1');
    expect([...second.activePartyIds]).toEqual(['p1']);
    expect(second.loadedParty?.name).toBe('Party p1');
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
