/**
 * What a client sends on `/ws` (protocol.ts has the versions and what the server sends):
 * the seed's messages, 1.1's host hand-over and 1.2's access control, each a zod schema
 * the server parses every frame with.
 */
import { z } from 'zod';
import {
  AnswerJoinSchema,
  CancelJoinSchema,
  CreateInviteSchema,
  HelloIdentitySchema,
  InviteTokenSchema,
  JoinCredentialsShape,
  KickPeerSchema,
  ListBansSchema,
  ListInvitesSchema,
  ListPartiesSchema,
  RevokeInviteSchema,
  UnbanSchema,
  UpdatePartySchema,
} from '../access/protocol';
import { IdSchema, NewPartyIdSchema, PartyIdSchema, RequestIdSchema } from '../values/ids';
import { PartyDictSchema, PeerDictSchema } from '../party/dicts';
import { NewPartySettingsSchema } from '../party/settings';
import { RttMsSchema } from '../presence';
import { GetRelaySchema } from './relay';

/** A session's secret, handed out in `welcome` and shown again in `hello` to resume. */
export const SessionTokenSchema = z.string().min(16).max(128);
type Json = z.infer<ReturnType<typeof z.json>>;
/**
 * Opaque signalling payload (SDP, ICE candidates, …); bounded by the frame size. It arrives
 * through JSON.parse, so it is JSON already: `z.json()` walked every node of it again (24 ms for
 * a frame of 21 000 empty objects, a few connections' worth froze a server).
 */
export const SignalDataSchema = z.custom<Json>((value) => value !== undefined, {
  message: 'signal_data is required',
});

export const HelloSchema = z.object({
  type: z.literal('hello'),
  version: z.string().max(16).optional(),
  client: z.string().max(64).optional(),
  /** The token of an earlier session: reclaims that session's peer ids after a reconnect. */
  session_token: SessionTokenSchema.optional(),
  /** Proof of the installation's identity key (1.2): its peer ids are then bound to it. */
  identity: HelloIdentitySchema.optional(),
  request_id: RequestIdSchema,
});
/** The older form of hello, still accepted. */
export const AuthSchema = HelloSchema.extend({ type: z.literal('auth') });
export const RegisterPartySchema = z.object({
  type: z.literal('register_party'),
  /** At least 8 characters; an id once used is never registered again. */
  party_id: NewPartyIdSchema,
  name: PartyDictSchema.shape.name,
  host_peer: PeerDictSchema,
  settings: NewPartySettingsSchema.optional(),
  request_id: RequestIdSchema,
});
export const JoinPartySchema = z.object({
  type: z.literal('join_party'),
  party_id: PartyIdSchema,
  peer: PeerDictSchema,
  ...JoinCredentialsShape,
  /**
   * 1.4: where does my earlier join stand? Answered as a join is when already a member, with
   * `join_pending` (its first expiry) while the request still waits, else `join_ended`; never
   * asks the host again. An app that lost its connection or restarted while waiting sends it.
   */
  resume: z.literal(true).optional(),
  request_id: RequestIdSchema,
});
export const LeavePartySchema = z.object({
  type: z.literal('leave_party'),
  party_id: PartyIdSchema,
  peer_id: IdSchema,
  request_id: RequestIdSchema,
});
export const HeartbeatSchema = z.object({
  type: z.literal('heartbeat'),
  party_id: PartyIdSchema,
  peer_id: IdSchema,
  /** The sender's last measured round trip to the server (1.1). */
  rtt_ms: RttMsSchema.optional(),
  request_id: RequestIdSchema,
});
/**
 * 1.12: the member's PC is going to sleep now: the others see it `asleep` until its next
 * heartbeat, not online until two beats are missed, then offline. Checked as a heartbeat is.
 */
export const GoingToSleepSchema = z.object({
  type: z.literal('going_to_sleep'),
  party_id: PartyIdSchema,
  peer_id: IdSchema,
  request_id: RequestIdSchema,
});
/** The host makes another member host (1.1). */
export const TransferHostSchema = z.object({
  type: z.literal('transfer_host'),
  party_id: PartyIdSchema,
  to_peer_id: IdSchema,
  request_id: RequestIdSchema,
});
/** The host ends the party for everyone (1.1); `leave_party` by the host stays the seed's. */
export const ClosePartySchema = z.object({
  type: z.literal('close_party'),
  party_id: PartyIdSchema,
  request_id: RequestIdSchema,
});
export const UpdatePeerSchema = z.object({
  type: z.literal('update_peer'),
  party_id: PartyIdSchema,
  peer: PeerDictSchema,
  request_id: RequestIdSchema,
});
export const SignalRequestSchema = z.object({
  type: z.literal('signal'),
  party_id: PartyIdSchema,
  from_peer_id: IdSchema,
  to_peer_id: IdSchema,
  signal_data: SignalDataSchema,
  request_id: RequestIdSchema,
});
export const GetPartySchema = z.object({
  type: z.literal('get_party'),
  party_id: PartyIdSchema,
  /** 1.9: an invite link's token, which shows a stranger an invite-only private party. */
  invite: InviteTokenSchema.optional(),
  request_id: RequestIdSchema,
});

export const ClientMessageSchema = z.discriminatedUnion('type', [
  HelloSchema,
  AuthSchema,
  RegisterPartySchema,
  JoinPartySchema,
  LeavePartySchema,
  HeartbeatSchema,
  GoingToSleepSchema,
  UpdatePeerSchema,
  SignalRequestSchema,
  GetPartySchema,
  TransferHostSchema,
  ClosePartySchema,
  UpdatePartySchema,
  CancelJoinSchema,
  AnswerJoinSchema,
  CreateInviteSchema,
  RevokeInviteSchema,
  ListInvitesSchema,
  KickPeerSchema,
  UnbanSchema,
  ListBansSchema,
  ListPartiesSchema,
  GetRelaySchema,
]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;
export type ClientMessageType = ClientMessage['type'];
/** What a client sends (timestamps as strings, before parsing). */
export type ClientMessageInput = z.input<typeof ClientMessageSchema>;
