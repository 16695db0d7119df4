/**
 * What one server tells the others sharing its Redis with each commit (published by the
 * commit script, so in commit order): the parties as committed, ownerships, presence
 * changes, last-seen refreshes, access-control rows (server/access/records.ts) and
 * the frames to fan out to their own connections.
 * Received messages are validated like any input: a bad one is logged and dropped.
 */
import { z } from 'zod';
import { ACCESS_KINDS, type AccessRow } from '../access/records';
import { PartyInfo, type PeerInfo } from '../../shared/model';
import { PresenceDictSchema } from '../../shared/presence';
import { MAX_EPOCH_MS } from '../../shared/time/timestamp';
import type { PresenceChange } from '../presence/presence-table';
import type { StoreBatch } from '../store/store';
import { storedPartyJson } from '../party/snapshots';

const Id = z.string().min(1).max(256);
const Version = z.string().max(64);
/**
 * A time as a server sends it (Date.getTime()): one a Date cannot hold would throw where it
 * is written out (a presence dict), in a socket's close listener, and end the process.
 */
const EpochMs = z.number().int().min(0).max(MAX_EPOCH_MS);

export const ChangeMessageSchema = z.object({
  from: Id,
  /**
   * [id, seq, value, version, base version]: value '' deleted, '=' only its number moved (on
   * the base version), else the stored party. Versions are absent from an older server.
   */
  parties: z.array(
    z.union([
      z.tuple([Id, z.number().int().nonnegative(), z.string()]),
      z.tuple([Id, z.number().int().nonnegative(), z.string(), Version, Version]),
    ]),
  ),
  /**
   * The store's count of commits with this one (the commit script adds it; absent from an
   * older server): a change a server's read of the party already held is not applied again.
   */
  commit: z.number().int().nonnegative().optional(),
  /** [peer, token]: '' pruned. */
  owners: z.array(z.tuple([Id, z.string().max(256)])),
  presence: z.array(z.tuple([Id, Id, PresenceDictSchema])),
  /** [party, peer, epoch ms] */
  seen: z.array(z.tuple([Id, Id, EpochMs])),
  /** [recipients, frame] */
  fanout: z.array(z.tuple([z.array(Id), z.string()])),
  /** [kind, key, value]: null deleted. Absent from a server before access rows were shared. */
  access: z
    .array(
      z.tuple([
        z.enum(ACCESS_KINDS as [string, ...string[]]),
        z.string().max(1024),
        z.string().max(65_536).nullable(),
      ]),
    )
    .default([]),
  /**
   * The sender's clock as it committed (absent from an older server): its times are read on
   * the receiver's clock by the difference, so servers whose clocks disagree do not remove
   * each other's members early or keep them late.
   */
  at: EpochMs.optional(),
});
export type ChangeMessage = z.infer<typeof ChangeMessageSchema>;

/**
 * What the commit script writes per party moved: [id, base, seq, value, base version,
 * version] (server/party/party-versions.ts).
 */
export type PartyWrite = [string, number, number, string, string, string];

/**
 * The stored form of a party: its dict with its settings, as JSON. The snapshot cache's
 * (storedPartyJson): the members' JSON is reused from the party's earlier versions.
 */
export const storedParty = (party: PartyInfo): string => storedPartyJson(party);

/** Each member's dict as it is stored, kept while its PeerInfo lives (readParty compares it). */
const storedDicts = new WeakMap<PeerInfo, Readonly<Record<string, unknown>>>();

function storedDictOf(peer: PeerInfo): Readonly<Record<string, unknown>> {
  let dict = storedDicts.get(peer);
  if (!dict) storedDicts.set(peer, (dict = { ...peer.toDict() }));
  return dict;
}

/**
 * Whether `value` holds `peer`'s stored dict: each of its keys with the same value. Reading
 * it afresh would give the same member (a key more is dropped by the schema, as it is here).
 */
function isStoredAs(value: unknown, peer: PeerInfo): boolean {
  if (!isObject(value)) return false;
  const dict = storedDictOf(peer);
  const keys = Object.keys(dict);
  for (const key of keys) if (value[key] !== dict[key]) return false;
  return true;
}

/**
 * The party a stored value holds. @throws on a corrupt value. A member stored exactly as in
 * `previous` (this server's copy) is taken from it instead of validated again: a change
 * moves one member at a time, and checking all of them in every published change was ~9 %
 * of each server's CPU with two servers under churn; comparing them as JSON then (each
 * member's dict written back to a string) was still ~11 % of a server's busy time.
 */
export function readParty(value: string, previous?: PartyInfo): PartyInfo {
  const data = JSON.parse(value) as unknown;
  if (!previous || !isObject(data) || !isObject(data.peers)) return PartyInfo.fromDict(data);
  const known = new Map<string, PeerInfo>();
  const fresh: Record<string, unknown> = {};
  for (const [id, dict] of Object.entries(data.peers)) {
    const peer = previous.peers.get(id);
    if (peer && peer.peerId === id && isStoredAs(dict, peer)) {
      known.set(id, peer);
    } else {
      fresh[id] = dict;
    }
  }
  if (known.size === 0) return PartyInfo.fromDict(data);
  const party = PartyInfo.fromDict({ ...data, peers: fresh });
  const peers = new Map<string, PeerInfo>();
  for (const id of Object.keys(data.peers)) {
    // A key the schema skips (zod drops `__proto__`) is dropped here too, as a fresh read does.
    const peer = known.get(id) ?? party.peers.get(id);
    if (peer) peers.set(id, peer);
  }
  return party.with({ peers });
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every party the batch moves: its content, its number, or both. */
export function partyWrites(batch: StoreBatch): PartyWrite[] {
  const writes = new Map<string, PartyWrite>();
  for (const [id, s] of batch.seqs ?? []) {
    writes.set(id, [id, s.base, s.seq, '=', s.baseVersion ?? '', s.version ?? '']);
  }
  for (const change of batch.parties) {
    const write = writes.get(change.partyId);
    // A party changed without its number moving would be a bug: it would skip the check.
    if (!write) throw new Error(`party ${change.partyId} changed without an event number`);
    write[3] = change.next ? storedParty(change.next) : '';
  }
  return [...writes.values()];
}

/**
 * Whether a published change is this server's own, from its first bytes: changeMessage
 * writes `from` first, and a server skips its own changes, so one that comes back (every
 * change does, on the shared channel) is not parsed and validated for nothing.
 */
export function isOwnChange(raw: string, self: string): boolean {
  return raw.startsWith(ownPrefix(self));
}

const ownPrefix = (self: string): string => `{"from":${JSON.stringify(self)},`;

/**
 * isOwnChange on the bytes as they arrive: a lone server gets every change back, and turning
 * each into a string only to skip it cost a few per cent of its CPU under churn.
 */
export function ownChangeTest(self: string): (raw: Buffer) => boolean {
  const prefix = Buffer.from(ownPrefix(self));
  return (raw) =>
    raw.length >= prefix.length && raw.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;
}

/**
 * The message for the other servers in three parts, `from` first (isOwnChange): the commit
 * script publishes head + parties + tail, and writes the parties from the same JSON, so each
 * party's stored form crosses to Redis once (it was a third of the bytes a commit sent).
 */
export interface ChangeParts {
  head: string;
  /** ChangeMessage.parties as JSON. */
  parties: string;
  tail: string;
}

export function changeParts(from: string, batch: StoreBatch, writes: PartyWrite[]): ChangeParts {
  const parties: ChangeMessage['parties'] = writes.map(([id, , seq, value, base, version]) => [
    id,
    seq,
    value,
    version,
    base,
  ]);
  const rest: Omit<ChangeMessage, 'from' | 'parties'> = {
    owners: batch.owners.map((o) => [o.peerId, o.token ?? '']),
    presence: (batch.replication?.presence ?? []).map((c: PresenceChange) => [
      c.partyId,
      c.peerId,
      c.presence,
    ]),
    seen: (batch.touches ?? []).map((t) => [t.partyId, t.peerId, t.lastSeen.getTime()]),
    fanout: batch.replication?.fanout ?? [],
    access: (batch.access ?? []).map((r: AccessRow) => [r.kind, r.key, r.value]),
    ...(batch.at === undefined ? {} : { at: batch.at }),
  };
  return {
    head: `{"from":${JSON.stringify(from)},"parties":`,
    parties: JSON.stringify(parties),
    tail: `,${JSON.stringify(rest).slice(1)}`,
  };
}
