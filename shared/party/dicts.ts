/**
 * The on-disk and on-wire forms of peers and parties, with the spec's snake_case keys: the
 * schemas every file and message is parsed with, and the JSON shapes `toDict()` writes.
 */
import { z } from 'zod';
import { IdSchema } from '../values/ids';
import { NameSchema } from '../values/names';
import { MAX_PORT } from '../values/port';
import { PartySettingsSchema } from './settings';
import { TimestampSchema } from '../time/timestamp';

/** A peer dict's bounds, also read by the server's plain check of a join (parse-message.ts). */
export const PEER_DICT_LIMITS = { publicKey: 256, natType: 32, port: MAX_PORT } as const;

const PortSchema = z.number().int().min(0).max(PEER_DICT_LIMITS.port);
const IpSchema = z.union([z.ipv4(), z.ipv6()], { error: 'must be an IPv4 or IPv6 address' });

/** The on-disk and on-wire form of a peer, exactly as the spec writes it. */
export const PeerDictSchema = z.object({
  peer_id: IdSchema,
  name: NameSchema,
  public_key: z.string().min(1).max(PEER_DICT_LIMITS.publicKey),
  nat_type: z.string().min(1).max(PEER_DICT_LIMITS.natType),
  public_ip: IpSchema,
  public_port: PortSchema,
  local_ip: IpSchema,
  local_port: PortSchema,
  last_seen: TimestampSchema,
});
export type PeerDictInput = z.input<typeof PeerDictSchema>;

export const PartyDictSchema = z
  .object({
    party_id: IdSchema,
    name: NameSchema,
    host_id: IdSchema,
    created_at: TimestampSchema,
    peers: z.record(z.string(), PeerDictSchema),
    /** Only in files (state, discovery); the wire's party dict stays the spec's. */
    settings: PartySettingsSchema.optional(),
  })
  .superRefine((party, ctx) => {
    // Checked in the schema, not only in fromParsed, so a wire message carrying such a party
    // is rejected as malformed instead of throwing later inside a push handler.
    for (const [key, peer] of Object.entries(party.peers)) {
      if (key !== peer.peer_id) {
        ctx.addIssue({
          code: 'custom',
          path: ['peers', key, 'peer_id'],
          message: `must equal its key "${key}"`,
        });
      }
    }
  });

/** The JSON shape of a peer (`PeerInfo.toDict()`). */
export interface PeerDict {
  peer_id: string;
  name: string;
  public_key: string;
  nat_type: string;
  public_ip: string;
  public_port: number;
  local_ip: string;
  local_port: number;
  last_seen: string;
}

/** The JSON shape of a party (`PartyInfo.toDict()`). */
export interface PartyDict {
  party_id: string;
  name: string;
  host_id: string;
  created_at: string;
  peers: Record<string, PeerDict>;
}
