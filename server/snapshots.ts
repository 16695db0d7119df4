/**
 * `party_update` answers serialized once per party version. A `get_party` costs a client
 * ~40 bytes and the server a ~64 KiB snapshot (256 members): built and stringified per
 * request, 200 clients asking within the rate limit kept both cores busy. Party values are
 * immutable, so the bytes of one version are cached on the object itself (a WeakMap: they
 * go when the version does) and each answer only adds its request_id around them.
 */
import type { PartyInfo } from '../shared/model';

const cache = new WeakMap<PartyInfo, Buffer>();

/** A `party_update` answer whose party is already JSON (UTF-8). */
export class PartySnapshot {
  constructor(readonly party: Buffer) {}
}

export function partySnapshot(party: PartyInfo): PartySnapshot {
  let bytes = cache.get(party);
  if (!bytes) cache.set(party, (bytes = Buffer.from(JSON.stringify(party.toDict()), 'utf8')));
  return new PartySnapshot(bytes);
}

/** The whole frame: `{"type":"party_update","request_id":…,"party":…}`. */
export function snapshotFrame(snapshot: PartySnapshot, requestId: string | undefined): Buffer {
  const id = requestId === undefined ? '' : `,"request_id":${JSON.stringify(requestId)}`;
  return Buffer.concat([
    Buffer.from(`{"type":"party_update"${id},"party":`),
    snapshot.party,
    Buffer.from('}'),
  ]);
}
