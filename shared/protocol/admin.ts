/**
 * The operator's moderation API (`--admin-token-file`, server/admin/): what it answers, as
 * the server sends it and the `admin` CLI reads it. A party here is its public summary plus
 * when it was made: never keys, addresses or session tokens.
 */
import { z } from 'zod';
import { PartySummaryDictSchema } from '../access/protocol';
import { IdSchema } from '../values/ids';

export const ADMIN_PREFIX = '/admin/';
export const ADMIN_PARTIES_PATH = '/admin/parties';
/** `POST /admin/parties/<party_id>/end`. */
export const ADMIN_END_PATH = /^\/admin\/parties\/([^/]+)\/end$/;

export const AdminPartyDictSchema = PartySummaryDictSchema.extend({
  created_at: z.string().max(40),
});
export type AdminPartyDict = z.infer<typeof AdminPartyDictSchema>;

/** Every party on the server: several servers on one Redis all answer every one. */
export const AdminPartiesSchema = z.array(AdminPartyDictSchema);

export const AdminErrorCode = {
  /** No token, or the wrong one: the answer does not say which. */
  UNAUTHORIZED: 'unauthorized',
  /** Too many failed tokens from this address; `Retry-After` says when to try again. */
  RATE_LIMITED: 'rate_limited',
  NOT_FOUND: 'not_found',
  METHOD_NOT_ALLOWED: 'method_not_allowed',
  /** The change could not be stored; nothing was acknowledged. */
  UNAVAILABLE: 'unavailable',
} as const;
export type AdminErrorCode = (typeof AdminErrorCode)[keyof typeof AdminErrorCode];

export const AdminEndedSchema = z.object({ party_id: IdSchema, ended: z.literal(true) });
export type AdminEnded = z.infer<typeof AdminEndedSchema>;
