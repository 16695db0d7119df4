/**
 * The IPC contract's access-control part (issue 10): what the renderer may ask about party
 * settings, joining with a password or an invite, approval, invites, kick and ban, and
 * public parties, and the state it is shown. contract.ts puts these in its contract.
 */
import { z } from 'zod';
import {
  BanDictSchema,
  InviteDictSchema,
  InviteIdSchema,
  MAX_INVITE_SECONDS,
  MAX_INVITE_USES,
  MAX_LIST_LIMIT,
  MAX_LIST_QUERY,
  MIN_INVITE_SECONDS,
  PartySummaryDictSchema,
} from '../access/protocol';
import { IdSchema } from '../values/ids';
import {
  JoinPolicy,
  JoinPolicySchema,
  MaxPeersSchema,
  NewPartyPasswordSchema,
  PartySettingsPatchSchema,
  VisibilitySchema,
} from '../party/settings';

const Empty = z.object({}).strict();

/** What the Create dialog chooses (all optional: the rest default). */
export const NewPartyChoicesSchema = z
  .object({
    max_peers: MaxPeersSchema.optional(),
    join_policy: JoinPolicySchema.optional(),
    password: NewPartyPasswordSchema.optional(),
    locked: z.boolean().optional(),
    visibility: VisibilitySchema.optional(),
  })
  .strict()
  .refine((s) => s.join_policy !== JoinPolicy.PASSWORD || s.password !== undefined, {
    message: 'a party that asks for a password needs one',
    path: ['password'],
  });
export type NewPartyChoices = z.infer<typeof NewPartyChoicesSchema>;

/** A public party in Browse, or the party behind an invite, as a stranger sees it. */
export const PartySummaryViewSchema = PartySummaryDictSchema;
export type PartySummaryView = z.infer<typeof PartySummaryViewSchema>;

const PartyListViewSchema = z.object({
  parties: z.array(PartySummaryViewSchema),
  /** Pass back as `cursor` for the next page; null on the last one. */
  next_cursor: z.string().nullable(),
});

/** An invite of my party, with the links to share. */
export const InviteViewSchema = InviteDictSchema.extend({
  /** `lanrage://join/<party_id>?invite=<token>` */
  link: z.string(),
});
export type InviteView = z.infer<typeof InviteViewSchema>;

export const BanViewSchema = BanDictSchema;
export type BanView = z.infer<typeof BanViewSchema>;

/** Someone waiting for me (the host) to let them in. */
export const JoinRequestViewSchema = z.object({
  peer_id: z.string(),
  name: z.string(),
  key_fingerprint: z.string().nullable(),
  /** ISO-8601; the request is dropped then. */
  expires_at: z.string(),
  /** The joiner's app closed while it waits: let in, it shows offline until it is back. */
  away: z.boolean().optional(),
});
export type JoinRequestView = z.infer<typeof JoinRequestViewSchema>;

/** My join waiting for the host ("Waiting for the host to let you in..."). */
export const PendingJoinSchema = z.object({
  party_id: z.string(),
  /** From the party's summary, when it could be seen. */
  party_name: z.string().nullable(),
  expires_at: z.string(),
});
export type PendingJoin = z.infer<typeof PendingJoinSchema>;

/** `updatePartySettings`' request (its response, the party view, is in contract.ts). */
export const UpdateSettingsRequestSchema = z
  .object({ settings: PartySettingsPatchSchema })
  .strict();

/** The channels whose answers are not the party view; contract.ts adds them to its contract. */
export const accessContract = {
  /** Withdraws my join that waits for the host; the waiting joinParty fails `cancelled`. */
  cancelJoin: { request: Empty, response: z.null() },
  /** The host lets a waiting joiner in, or not. */
  answerJoin: {
    request: z.object({ peer_id: IdSchema, accept: z.boolean() }).strict(),
    response: z.null(),
  },
  createInvite: {
    request: z
      .object({
        max_uses: z.number().int().min(1).max(MAX_INVITE_USES).optional(),
        expires_in_s: z.number().int().min(MIN_INVITE_SECONDS).max(MAX_INVITE_SECONDS).optional(),
      })
      .strict(),
    response: InviteViewSchema,
  },
  listInvites: { request: Empty, response: z.array(InviteViewSchema) },
  revokeInvite: { request: z.object({ invite_id: InviteIdSchema }).strict(), response: z.null() },
  /** The host removes a member; with `ban` it can't come back until unbanned. */
  kickPeer: {
    request: z.object({ peer_id: IdSchema, ban: z.boolean().optional() }).strict(),
    response: z.null(),
  },
  unbanPeer: { request: z.object({ peer_id: IdSchema }).strict(), response: z.null() },
  /** The host makes another member host (the member menu's "Make host"). */
  transferHost: { request: z.object({ peer_id: IdSchema }).strict(), response: z.null() },
  listBans: { request: Empty, response: z.array(BanViewSchema) },
  /** Public parties on the control server, newest first, matching `query` by name. */
  listParties: {
    request: z
      .object({
        query: z.string().trim().max(MAX_LIST_QUERY).optional(),
        cursor: z.string().max(128).optional(),
        limit: z.number().int().min(1).max(MAX_LIST_LIMIT).optional(),
      })
      .strict(),
    response: PartyListViewSchema,
  },
} as const;
