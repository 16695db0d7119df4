/**
 * The party engine as a state machine (headscale's way: properties over random runs). Random
 * sequences of every transition the server and local mode apply (join, leave, hand-over,
 * close, rename, heartbeat, kick, settings, sweep), by members and strangers alike, from a
 * small pool of ids and look-alike names. After each step:
 * - the input party is untouched, thrown or not (transitions are pure);
 * - a refusal is a ControlPlaneError with one of the wire's codes, and changes nothing;
 * - a party that exists has its host among its members, and no two members show the same name;
 * - the events say exactly what changed: who joined, who left, who is host, that it ended;
 * - membership and host agree with a model a few lines long (who is in, in join order).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ControlPlaneError } from '../protocol/errors';
import { PeerInfo, type PartyInfo } from '../model';
import { sameName } from '../values/names';
import { ErrorCode } from '../protocol/protocol';
import { kickPeer, updateSettings } from '../access/transitions';
import type { PartyEvent, Transition } from './events';
import { withDefaults } from './settings';
import {
  closeParty,
  createParty,
  heartbeat,
  joinParty,
  leaveParty,
  migrateOfflineHost,
  sweepParty,
  transferHost,
  updatePeer,
} from './transitions';

const IDS = ['a', 'b', 'c', 'd', 'e', 'f'];
const LONG = 'W'.repeat(64);
const NAMES = [
  'Bob',
  'bob',
  'BOB',
  'Böb',
  'Bob (2)',
  'bob (3)',
  'Ann',
  LONG,
  `${'W'.repeat(60)} (2)`,
];
const T0 = Date.UTC(2026, 11, 4, 12);
const TIMEOUT_MS = 60_000;

type Op =
  | { kind: 'join'; id: string; name: string; maxPeers: number }
  | { kind: 'leave'; id: string; order: string[] }
  | { kind: 'transfer'; by: string; to: string }
  | { kind: 'migrate'; order: string[] }
  | { kind: 'close'; by: string }
  | { kind: 'rename'; id: string; name: string }
  | { kind: 'beat'; id: string }
  | { kind: 'kick'; by: string; id: string }
  | { kind: 'settings'; by: string; hostMigration: boolean; maxPeers: number }
  | { kind: 'sweep'; stale: string[]; order: string[] };

const id = fc.constantFrom(...IDS);
const name = fc.constantFrom(...NAMES);
const order = fc.shuffledSubarray(IDS);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('join'), id, name, maxPeers: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ kind: fc.constant('leave'), id, order }),
  fc.record({ kind: fc.constant('transfer'), by: id, to: id }),
  fc.record({ kind: fc.constant('migrate'), order }),
  fc.record({ kind: fc.constant('close'), by: id }),
  fc.record({ kind: fc.constant('rename'), id, name }),
  fc.record({ kind: fc.constant('beat'), id }),
  fc.record({ kind: fc.constant('kick'), by: id, id }),
  fc.record({
    kind: fc.constant('settings'),
    by: id,
    hostMigration: fc.boolean(),
    maxPeers: fc.integer({ min: 1, max: 5 }),
  }),
  fc.record({ kind: fc.constant('sweep'), stale: fc.subarray(IDS), order }),
);

function peer(peerId: string, peerName: string): PeerInfo {
  return new PeerInfo({
    peerId,
    name: peerName,
    publicKey: `key-${peerId}`,
    natType: 'open',
    publicIp: '203.0.113.1',
    publicPort: 51820,
    localIp: '10.0.0.1',
    localPort: 51820,
    lastSeen: new Date(0),
  });
}

/** What the model keeps: who is in, in the order they joined, and who is host. */
interface Model {
  members: string[];
  host: string;
  hostMigration: boolean;
}

function apply(party: PartyInfo, o: Op, now: Date): Transition {
  switch (o.kind) {
    case 'join':
      return joinParty(party, peer(o.id, o.name), now, { maxPeers: o.maxPeers });
    case 'leave':
      return leaveParty(party, o.id, o.order);
    case 'transfer':
      return transferHost(party, o.by, o.to);
    case 'migrate':
      return migrateOfflineHost(party, o.order);
    case 'close':
      return closeParty(party, o.by);
    case 'rename':
      return updatePeer(party, peer(o.id, o.name), now);
    case 'beat':
      return heartbeat(party, o.id, now);
    case 'kick':
      return kickPeer(party, o.by, o.id);
    case 'settings':
      return updateSettings(
        party,
        o.by,
        withDefaults({ hostMigration: o.hostMigration, maxPeers: o.maxPeers }),
      );
    case 'sweep': {
      const stale = new Set(o.stale);
      const lastSeenOf = (_: PartyInfo, p: PeerInfo) =>
        stale.has(p.peerId) ? now.getTime() - TIMEOUT_MS - 1 : now.getTime();
      return sweepParty(party, now, TIMEOUT_MS, { lastSeenOf, successors: () => o.order });
    }
  }
}

/** Who is left after `gone` go, and the new host: null when the party ends. */
function removed(m: Model, gone: readonly string[], order: readonly string[]): Model | null {
  const members = m.members.filter((x) => !gone.includes(x));
  if (members.length === 0) return null;
  if (members.includes(m.host)) return { ...m, members };
  const heir = m.hostMigration ? order.find((x) => members.includes(x)) : undefined;
  return heir === undefined ? null : { ...m, members, host: heir };
}

/** The model's next state; `refused` when the transition must throw. */
function expected(m: Model, o: Op): Model | null | 'refused' {
  const isIn = (x: string) => m.members.includes(x);
  switch (o.kind) {
    case 'join':
      if (isIn(o.id)) return m;
      return m.members.length >= o.maxPeers ? 'refused' : { ...m, members: [...m.members, o.id] };
    case 'leave':
      return removed(m, [o.id], o.order);
    case 'transfer':
      return o.by !== m.host || !isIn(o.to) ? 'refused' : { ...m, host: o.to };
    case 'migrate': {
      const heir = m.hostMigration ? o.order.find((x) => x !== m.host && isIn(x)) : undefined;
      return heir === undefined ? m : { ...m, host: heir };
    }
    case 'close':
      return o.by === m.host ? null : 'refused';
    case 'rename':
    case 'beat':
      return isIn(o.id) ? m : 'refused';
    case 'kick':
      if (o.by !== m.host || o.id === m.host || !isIn(o.id)) return 'refused';
      return { ...m, members: m.members.filter((x) => x !== o.id) };
    case 'settings':
      return o.by === m.host ? { ...m, hostMigration: o.hostMigration } : 'refused';
    case 'sweep':
      return removed(m, o.stale, o.order);
  }
}

const ids = (events: PartyEvent[], type: 'peer_joined' | 'peer_left') =>
  events.flatMap((e) =>
    e.type === 'peer_joined' && type === e.type
      ? [e.peer.peerId]
      : e.type === 'peer_left' && type === e.type
        ? [e.peerId]
        : [],
  );

const sorted = (xs: Iterable<string>) => [...xs].sort();

/** The events say what changed between `before` and `after`, and nothing else. */
function checkEvents(before: PartyInfo, after: PartyInfo | null, events: PartyEvent[]): void {
  const was = new Set(before.peers.keys());
  const now = new Set(after?.peers.keys() ?? []);
  expect(sorted(ids(events, 'peer_joined'))).toEqual(sorted([...now].filter((x) => !was.has(x))));
  if (after) {
    expect(sorted(ids(events, 'peer_left'))).toEqual(sorted([...was].filter((x) => !now.has(x))));
  }
  const hostEvents = events.filter((e) => e.type === 'host_changed');
  const newHost = after && after.hostId !== before.hostId ? [after.hostId] : [];
  expect(hostEvents.map((e) => e.hostId)).toEqual(newHost);
  expect(events.filter((e) => e.type === 'party_closed')).toHaveLength(after ? 0 : 1);
  for (const e of events) {
    // What members are told is what the party stores.
    if ((e.type === 'peer_joined' || e.type === 'peer_updated') && after) {
      expect(after.peers.get(e.peer.peerId)).toBe(e.peer);
    }
  }
}

function checkParty(party: PartyInfo, m: Model): void {
  expect(sorted(party.peers.keys())).toEqual(sorted(m.members));
  expect(party.hostId).toBe(m.host);
  expect(party.peers.has(party.hostId)).toBe(true);
  const names = [...party.peers.values()].map((p) => p.name);
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      expect(sameName(names[i]!, names[j]!), `${names[i]} / ${names[j]}`).toBe(false);
    }
  }
}

const WIRE_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));
const frozen = (party: PartyInfo) => JSON.stringify(party.toStoredDict());

/** One step: the transition, checked against the model. Returns the party after it. */
function step(party: PartyInfo, m: Model, o: Op, at: number): [PartyInfo | null, Model | null] {
  const copy = frozen(party);
  const want = expected(m, o);
  let result: Transition;
  try {
    result = apply(party, o, new Date(at));
  } catch (error) {
    expect(error, JSON.stringify(o)).toBeInstanceOf(ControlPlaneError);
    expect(WIRE_CODES.has((error as ControlPlaneError).code)).toBe(true);
    expect(want, `refused ${JSON.stringify(o)}`).toBe('refused');
    expect(frozen(party)).toBe(copy);
    return [party, m];
  }
  expect(want, JSON.stringify(o)).not.toBe('refused');
  expect(frozen(party)).toBe(copy);
  checkEvents(party, result.party, result.events);
  expect(result.party === null, JSON.stringify(o)).toBe(want === null);
  if (result.party && want && want !== 'refused') checkParty(result.party, want);
  return [result.party, want === 'refused' ? m : want];
}

function run(ops: Op[], hostName: string, hostMigration: boolean): void {
  const start = () =>
    createParty('party_x', 'Party', peer('a', hostName), new Date(T0), {
      hostMigration,
    }).party!;
  let party: PartyInfo = start();
  let model: Model = { members: ['a'], host: 'a', hostMigration };
  ops.forEach((o, i) => {
    const [next, nextModel] = step(party, model, o, T0 + (i + 1) * 1000);
    if (next && nextModel) {
      [party, model] = [next, nextModel];
    } else {
      // The party ended: the next one starts where the old one did.
      [party, model] = [start(), { members: ['a'], host: 'a', hostMigration }];
    }
  });
}

describe('the party engine over random runs', () => {
  it('keeps its invariants, says what changed, and agrees with the model', () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 60 }), name, fc.boolean(), run), {
      numRuns: 400,
    });
  });
});
