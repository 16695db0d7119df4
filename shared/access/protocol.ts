/**
 * The wire messages of access control (protocol 1.2, issue 10): identity proof, party
 * settings, passwords, approval, invites, kick and ban, and browsing public parties.
 * shared/protocol/protocol.ts puts them in its client and server unions.
 */
import { z } from 'zod';
import { IdSchema, PartyIdSchema, RequestIdSchema } from '../values/ids';
import { NameSchema } from '../values/names';
import {
  JoinPolicySchema,
  MaxPeersSchema,
  PartyPasswordSchema,
  PartySettingsPatchSchema,
  VisibilitySchema,
} from '../party/settings';

/** base64 of 32 raw bytes: an Ed25519 public key, or the seed of its private key. */
export const KEY_BASE64_PATTERN = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;
/** base64 of a raw 32-byte Ed25519 public key. */
export const IdentityKeySchema = z
  .string()
  .regex(KEY_BASE64_PATTERN, 'must be a base64 Ed25519 public key');
/** base64 of a 64-byte Ed25519 signature. */
export const SignatureSchema = z
  .string()
  .regex(/^[A-Za-z0-9+/]{85}[AQgw]==$/, 'must be a base64 Ed25519 signature');
/** A server's random challenge (base64url, at least 128 bits). */
export const NonceSchema = z.string().regex(/^[A-Za-z0-9_-]{22,64}$/, 'must be a nonce');
/** A short, stable name of the server (not its URL: one server answers to many names). */
export const ServerIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be a server id');
/** A key's fingerprint as people compare it: hex groups of its SHA-256 (`ab12 cd34 …`). */
export const FingerprintSchema = z.string().max(64);
/** An invite's secret (at least 128 random bits), on the wire and in links alike. */
export const INVITE_TOKEN_PATTERN = /^[A-Za-z0-9]{22,64}$/;
export const InviteTokenSchema = z.string().regex(INVITE_TOKEN_PATTERN, 'must be an invite token');
/** An invite's public handle, for listing and revoking without repeating the secret. */
export const InviteIdSchema = z.string().regex(/^[a-z0-9]{4,32}$/i, 'must be an invite id');
const TimeSchema = z.string().max(40);

/**
 * What a client signs to prove it holds its identity key: bound to the server (its id)
 * and to this connection (the nonce). Both come from the server the client talks to, so a
 * hostile server can pass on another server's challenge and use the signature there; with
 * `audience` (1.7: the origin the client dialled, e.g. `ws://10.0.0.5:8668`) a server that
 * knows its own addresses refuses a signature made for someone else's.
 */
export function identityProofText(serverId: string, nonce: string, audience?: string): string {
  return audience === undefined
    ? `LANrage identity v1\n${serverId}\n${nonce}`
    : `LANrage identity v2\n${serverId}\n${nonce}\n${audience}`;
}

/** The origin a client dialled (scheme, host, port), as `new URL(url).origin` writes it. */
export const AudienceSchema = z.string().min(1).max(300);

/** `hello.identity` (1.2): the client's identity key and its signature of the proof text. */
export const HelloIdentitySchema = z.object({
  public_key: IdentityKeySchema,
  signature: SignatureSchema,
  /** 1.7: what the signature names besides the challenge, asked for by `challenge.audience`. */
  audience: AudienceSchema.optional(),
});

// ---- client → server -------------------------------------------------------------

/** The host changes some settings (the keys present). */
export const UpdatePartySchema = z.object({
  type: z.literal('update_party'),
  party_id: PartyIdSchema,
  settings: PartySettingsPatchSchema,
  request_id: RequestIdSchema,
});
/** The joiner withdraws a join waiting for the host's answer. */
export const CancelJoinSchema = z.object({
  type: z.literal('cancel_join'),
  party_id: PartyIdSchema,
  peer_id: IdSchema,
  request_id: RequestIdSchema,
});
/** The host lets a waiting joiner in, or not. */
export const AnswerJoinSchema = z.object({
  type: z.literal('answer_join'),
  party_id: PartyIdSchema,
  peer_id: IdSchema,
  accept: z.boolean(),
  request_id: RequestIdSchema,
});
export const MAX_INVITE_USES = 100;
export const MIN_INVITE_SECONDS = 60;
export const MAX_INVITE_SECONDS = 30 * 24 * 3600;
/** Without `expires_in_s` an invite lasts a day; without `max_uses`, until it expires. */
export const DEFAULT_INVITE_SECONDS = 24 * 3600;
export const CreateInviteSchema = z.object({
  type: z.literal('create_invite'),
  party_id: PartyIdSchema,
  max_uses: z.number().int().min(1).max(MAX_INVITE_USES).optional(),
  expires_in_s: z.number().int().min(MIN_INVITE_SECONDS).max(MAX_INVITE_SECONDS).optional(),
  request_id: RequestIdSchema,
});
export const RevokeInviteSchema = z.object({
  type: z.literal('revoke_invite'),
  party_id: PartyIdSchema,
  invite_id: InviteIdSchema,
  request_id: RequestIdSchema,
});
export const ListInvitesSchema = z.object({
  type: z.literal('list_invites'),
  party_id: PartyIdSchema,
  request_id: RequestIdSchema,
});
/** The host removes a member; with `ban`, its key and peer id stay out until `unban`. */
export const KickPeerSchema = z.object({
  type: z.literal('kick_peer'),
  party_id: PartyIdSchema,
  peer_id: IdSchema,
  ban: z.boolean().optional(),
  request_id: RequestIdSchema,
});
export const UnbanSchema = z.object({
  type: z.literal('unban'),
  party_id: PartyIdSchema,
  peer_id: IdSchema,
  request_id: RequestIdSchema,
});
export const ListBansSchema = z.object({
  type: z.literal('list_bans'),
  party_id: PartyIdSchema,
  request_id: RequestIdSchema,
});
export const MAX_LIST_LIMIT = 50;
/** The longest name search: a party name's own limit. */
export const MAX_LIST_QUERY = 64;
export const ListPartiesSchema = z.object({
  type: z.literal('list_parties'),
  /** Matches party names, case-insensitively. */
  query: z.string().max(MAX_LIST_QUERY).optional(),
  /** `next_cursor` of the previous page. */
  cursor: z.string().max(128).optional(),
  limit: z.number().int().min(1).max(MAX_LIST_LIMIT).optional(),
  request_id: RequestIdSchema,
});

/** What `join_party` may carry besides the seed's keys (1.2). */
export const JoinCredentialsShape = {
  password: PartyPasswordSchema.optional(),
  invite: InviteTokenSchema.optional(),
};

// ---- server → client -------------------------------------------------------------

/** First frame on every connection (1.2): sign it in `hello.identity`. */
export const ChallengeSchema = z.object({
  type: z.literal('challenge'),
  nonce: NonceSchema,
  server_id: ServerIdSchema,
  /** 1.7: sign the origin you dialled too (`hello.identity.audience`); without it, it is not. */
  audience: z.literal(true).optional(),
  /** Never set: a challenge answers nothing. Present so every server message has the key. */
  request_id: RequestIdSchema,
});
/** A party as a stranger may see it: no addresses, ports or keys. */
export const PartySummaryDictSchema = z.object({
  party_id: IdSchema,
  name: NameSchema,
  host_name: NameSchema,
  peer_count: z.number().int().min(0).max(1024),
  max_peers: MaxPeersSchema,
  join_policy: JoinPolicySchema,
  visibility: VisibilitySchema,
  locked: z.boolean(),
});
export type PartySummaryDict = z.infer<typeof PartySummaryDictSchema>;
export const PartySummarySchema = PartySummaryDictSchema.extend({
  type: z.literal('party_summary'),
  request_id: RequestIdSchema,
});
/** The join waits for the host; the answer comes as `party_update` or an `error` `rejected`. */
export const JoinPendingSchema = z.object({
  type: z.literal('join_pending'),
  party_id: IdSchema,
  expires_at: TimeSchema,
  request_id: RequestIdSchema,
});
export const JoinRequestDictSchema = z.object({
  peer_id: IdSchema,
  name: NameSchema,
  /** null for a client without an identity key. */
  key_fingerprint: FingerprintSchema.nullable(),
  expires_at: TimeSchema,
  /**
   * 1.4: the joiner's app closed while it waits (true), or came back (false); absent from
   * older servers. Sent again to the host when it changes.
   */
  away: z.boolean().optional(),
});
export type JoinRequestDict = z.infer<typeof JoinRequestDictSchema>;
/** To the host: someone asks to join. */
export const JoinRequestSchema = JoinRequestDictSchema.extend({
  type: z.literal('join_request'),
  party_id: IdSchema,
  request_id: RequestIdSchema,
});
/** To the host: a request is no longer waiting (answered, cancelled or expired). */
export const JoinRequestClosedSchema = z.object({
  type: z.literal('join_request_closed'),
  party_id: IdSchema,
  peer_id: IdSchema,
  reason: z.string().max(32),
  request_id: RequestIdSchema,
});
export const InviteDictSchema = z.object({
  invite_id: InviteIdSchema,
  token: InviteTokenSchema,
  expires_at: TimeSchema,
  /** null: any number of uses until it expires. */
  max_uses: z.number().int().min(1).max(MAX_INVITE_USES).nullable(),
  uses: z.number().int().min(0),
  /** `https://<server>/join/<party_id>?invite=<token>` when the server knows its public URL. */
  url: z.string().max(600).nullable(),
});
export type InviteDict = z.infer<typeof InviteDictSchema>;
export const InviteCreatedSchema = InviteDictSchema.extend({
  type: z.literal('invite_created'),
  party_id: IdSchema,
  request_id: RequestIdSchema,
});
export const InviteListSchema = z.object({
  type: z.literal('invite_list'),
  party_id: IdSchema,
  invites: z.array(InviteDictSchema).max(1000),
  request_id: RequestIdSchema,
});
export const BanDictSchema = z.object({
  peer_id: IdSchema,
  name: NameSchema,
  key_fingerprint: FingerprintSchema.nullable(),
  banned_at: TimeSchema,
});
export type BanDict = z.infer<typeof BanDictSchema>;
export const BanListSchema = z.object({
  type: z.literal('ban_list'),
  party_id: IdSchema,
  bans: z.array(BanDictSchema).max(10000),
  request_id: RequestIdSchema,
});
/** To a removed member. */
export const KickedSchema = z.object({
  type: z.literal('kicked'),
  party_id: IdSchema,
  banned: z.boolean(),
  request_id: RequestIdSchema,
});
export const PartyListSchema = z.object({
  type: z.literal('party_list'),
  parties: z.array(PartySummaryDictSchema).max(MAX_LIST_LIMIT),
  next_cursor: z.string().max(128).nullable(),
  request_id: RequestIdSchema,
});
