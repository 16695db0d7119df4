/**
 * `party_update` answers serialized once per party version. A `get_party` costs a client
 * ~40 bytes and the server a ~64 KiB snapshot (256 members): built and stringified per
 * request, 200 clients asking within the rate limit kept both cores busy. Party values are
 * immutable, so the JSON of one version is cached on the object itself (a WeakMap: it goes
 * when the version does) and each answer only adds its request_id around it.
 *
 * The frame stays one string up to the socket, which encodes it while writing (sendRaw in
 * connection.ts). Turning the party and the presence into Buffers here and concatenating
 * them cost three copies and a pool allocation per joiner's answer, ~4 % of the server's busy
 * time while parties of 8 churned (README, Performance).
 */
import type { PartyInfo, PeerInfo } from '../../shared/model';
import { settingsToDict, type PartySettings } from '../../shared/party/settings';
import { inObjectKeyOrder } from './json-order';
import { ASLEEP_SINCE } from '../../shared/protocol/protocol';

/** A party version's JSON, and its UTF-8 size once a `get_party` needed it (-1 until then). */
interface PartyJson {
  json: string;
  bytes: number;
}

const cache = new WeakMap<PartyInfo, PartyJson>();
/**
 * Each member's `"peer_id":{…}` entry, kept while that PeerInfo lives: a join makes a new
 * party version but keeps the other members' PeerInfo objects, so its snapshot formats only
 * the newcomer. Settings objects are shared by versions too.
 */
const peerCache = new WeakMap<PeerInfo, string>();
const settingsCache = new WeakMap<PartySettings, string>();

/** `"id":{…}` as storedPartyJson writes the member (cached while the PeerInfo lives). */
export function peerEntry(id: string, peer: PeerInfo): string {
  // The map's key is the member's id; were it ever not, the entry is made for that key.
  if (id !== peer.peerId) return `${JSON.stringify(id)}:${JSON.stringify(peer.toDict())}`;
  let json = peerCache.get(peer);
  if (json === undefined) {
    json = `${JSON.stringify(id)}:${JSON.stringify(peer.toDict())}`;
    peerCache.set(peer, json);
  }
  return json;
}

function settingsJson(settings: PartySettings): string {
  let json = settingsCache.get(settings);
  if (json === undefined)
    settingsCache.set(settings, (json = JSON.stringify(settingsToDict(settings))));
  return json;
}

/** `JSON.stringify(party.toStoredDict())`, from the members' cached JSON. */
export function storedPartyJson(party: PartyInfo): string {
  const head = JSON.stringify({
    party_id: party.partyId,
    name: party.name,
    host_id: party.hostId,
    created_at: party.createdAt.toISOString(),
  });
  let peers = '';
  for (const [id, peer] of inObjectKeyOrder(party.peers)) {
    peers += peers === '' ? peerEntry(id, peer) : `,${peerEntry(id, peer)}`;
  }
  const settings = settingsJson(party.settings);
  return `${head.slice(0, -1)},"peers":{${peers}},"settings":${settings}}`;
}

/**
 * A `party_update` answer whose party is already JSON, with the members' presence
 * (protocol 1.1). Presence changes without a new party version, so it is serialized apart
 * (and cached by the presence table for a second at most). The party's own last_seen
 * values are those of its version (last join or update); presence has the live ones.
 */
export class PartySnapshot {
  constructor(
    private readonly cached: PartyJson,
    readonly presence: string = '',
    /** The party's event number this snapshot reflects. */
    readonly seq?: number,
    /** `presence` as a client before 1.12 reads it (`asleep` said `offline`). */
    readonly olderPresence: string = presence,
  ) {}

  get party(): string {
    return this.cached.json;
  }

  /** The party's UTF-8 size, measured once per version (~11 µs for a party of 256 members). */
  get partyBytes(): number {
    if (this.cached.bytes < 0) this.cached.bytes = Buffer.byteLength(this.cached.json);
    return this.cached.bytes;
  }
}

/**
 * `presence`: the members' presence map as JSON (see PresenceTracker.presenceJson), and as
 * clients before 1.12 are told it (olderPresenceJson).
 */
export function partySnapshot(
  party: PartyInfo,
  presence = '',
  seq?: number,
  olderPresence = presence,
): PartySnapshot {
  let cached = cache.get(party);
  if (cached === undefined)
    cache.set(party, (cached = { json: storedPartyJson(party), bytes: -1 }));
  return new PartySnapshot(cached, presence, seq, olderPresence);
}

/**
 * The whole frame: `{"type":"party_update","request_id":…,"seq":…,"party":…,"presence":…}`,
 * for a connection that declared `protocol` (Outbox.protocol; absent: the newest).
 */
export function snapshotFrame(
  snapshot: PartySnapshot,
  requestId: string | undefined,
  protocol = ASLEEP_SINCE,
): string {
  const seq = snapshot.seq === undefined ? '' : `,"seq":${snapshot.seq}`;
  const id = (requestId === undefined ? '' : `,"request_id":${JSON.stringify(requestId)}`) + seq;
  const map = protocol < ASLEEP_SINCE ? snapshot.olderPresence : snapshot.presence;
  const presence = map === '' ? '' : `,"presence":${map}`;
  return `{"type":"party_update"${id},"party":${snapshot.party}${presence}}`;
}

/** The UTF-8 size of a snapshot's party and presence (what a `get_party` costs the sender). */
export function snapshotBytes(snapshot: PartySnapshot): number {
  return snapshot.partyBytes + Buffer.byteLength(snapshot.presence);
}
