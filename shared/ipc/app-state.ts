/**
 * What the UI is shown: the whole app state (sent first), the views of peers, parties and
 * settings in it, and the narrow state events that follow. Parsed on the renderer's side of
 * the bridge like every IPC answer (ipc.ts).
 */
import { MuteShortcutSchema } from '../media/mute-shortcut';
import { VoiceVolumesSchema } from '../media/voice-volume';
import { z } from 'zod';
import { IdSchema } from '../values/ids';
import { CertificatePinSchema, HostAddressesSchema } from '../lan-party';
import { JoinRequestViewSchema, PartySummaryViewSchema, PendingJoinSchema } from './access';
import { nameSchema } from '../values/names';
import { JoinPolicySchema, PartySettingsSchema } from '../party/settings';
import { PresenceDictSchema, PresenceMapSchema } from '../presence';
import {
  ControlServerTextSchema,
  holdsCredentials,
  isControlServerUrl,
  SERVER_CREDENTIALS_MESSAGE,
  SERVER_URL_MESSAGE,
} from '../values/server-url';
import { ConnectionStatusSchema } from '../status';
import { ScreenSignalSchema } from '../media/screen';
import { VoiceSignalSchema } from '../media/voice';

/** A peer as the UI sees it: the spec's dict, timestamps as ISO strings. */
export const PeerViewSchema = z.object({
  peer_id: z.string(),
  name: z.string(),
  public_key: z.string(),
  nat_type: z.string(),
  public_ip: z.string(),
  public_port: z.number(),
  local_ip: z.string(),
  local_port: z.number(),
  last_seen: z.string(),
});
export type PeerView = z.infer<typeof PeerViewSchema>;

export const PartyViewSchema = z.object({
  party_id: z.string(),
  name: z.string(),
  host_id: z.string(),
  created_at: z.string(),
  peers: z.record(z.string(), PeerViewSchema),
  /**
   * The members' ids, longest present first, as this app learned them: `peers` cannot say it,
   * as an object lists an integer-like key ("42") first whenever it came in.
   */
  arrival: z.array(z.string()),
  /** Each member's presence as last known (protocol 1.1; derived in local mode). */
  presence: PresenceMapSchema,
  /** Who may join and how many (issue 10); never the password. */
  settings: PartySettingsSchema,
});
export type PartyView = z.infer<typeof PartyViewSchema>;

export const ActivityKind = {
  JOINED: 'joined',
  LEFT: 'left',
  REMOVED: 'removed',
  OFFLINE: 'offline',
  ONLINE: 'online',
  HOST_CHANGED: 'host_changed',
  /** The host (me) unbanned someone: no party event says it, the app that did it does. */
  UNBANNED: 'unbanned',
} as const;
export type ActivityKind = (typeof ActivityKind)[keyof typeof ActivityKind];

/** One line of the party's activity list. */
export const ActivityEntrySchema = z.object({
  /** ISO-8601. */
  at: z.string(),
  kind: z.enum(ActivityKind),
  peer_id: z.string(),
  /**
   * Who it is about (a display name). `text` begins with it when it names them ("Bob joined",
   * not "You are now the host"): the activity list cuts the name there, never the words after.
   */
  subject: z.string(),
  text: z.string(),
});
export type ActivityEntry = z.infer<typeof ActivityEntrySchema>;
/** The activity list keeps this many entries, newest first. */
export const MAX_ACTIVITY = 50;

/** Why my party ended, shown until dismissed. */
export const PartyEndedSchema = z.object({
  party_name: z.string(),
  /** A party_closed reason, or `removed` (I was removed after being offline). */
  reason: z.string(),
  message: z.string(),
  at: z.string(),
});
export type PartyEnded = z.infer<typeof PartyEndedSchema>;

/** Where "Parties nearby" found a party: hosted on this PC, or by another machine on the LAN. */
const NearbyWhereSchema = z.enum(['this_pc', 'lan']);

export const DiscoveredPartySchema = z.object({
  party_id: z.string(),
  name: z.string(),
  host_name: z.string(),
  peer_count: z.number().int(),
  /** The party's limit: at peer_count or above it is full, and Join would be refused. */
  max_peers: z.number().int(),
  /**
   * Who may join: the party's settings on this PC, a LAN host's announcement; null where not
   * told (older hosts). A password party's join dialog asks for the password up front.
   */
  join_policy: JoinPolicySchema.nullable(),
  /**
   * Members online, from a LAN host's summary; null where it is not told (this PC, older hosts).
   */
  online_count: z.number().int().nullable(),
  /** Known for parties on this PC; the LAN summary does not carry it. */
  created_at: z.string().nullable(),
  where: NearbyWhereSchema,
  /** The host's LAN address (LAN parties only; null for a contested one). */
  address: z.string().nullable(),
  /**
   * Several PCs on the LAN announce this party, so which is its host cannot be told: shown so
   * its absence is explained, joined only with an invite link (which names its host's key).
   */
  contested: z.boolean(),
  /**
   * The certificate pin its host announced (LAN parties with TLS; null otherwise): Join goes
   * to the claim showing that certificate, the one listed, whoever announces the ID later.
   */
  host_pin: CertificatePinSchema.nullable(),
  /**
   * Not announced where we are: found at the address the invite link it was joined by named
   * (a network dropping mDNS), where it is looked for after we left it.
   */
  at_address: z.literal(true).optional(),
});
export type DiscoveredParty = z.infer<typeof DiscoveredPartySchema>;

/** A control server setting as it is kept; empty or null means local mode. */
const ControlServerSettingSchema = ControlServerTextSchema.refine(
  (s) => s === '' || isControlServerUrl(s),
  { message: SERVER_URL_MESSAGE },
);

/**
 * The user-editable settings, with config.json's keys. A new server address holds no user
 * name or password, as invites do not: LANrage never sends them (it connects to the host
 * alone), and they would sit in config.json. One saved by an older version is still shown.
 */
const SettingsFields = z.object({
  peer_name: nameSchema('Display name'),
  control_server: ControlServerSettingSchema.nullable(),
  /**
   * Voice and screen sharing through the party server's relay only, so members never learn my
   * address (shared/protocol/relay.ts); absent: unchanged.
   */
  relay_only: z.boolean().optional(),
  /** Mutes or unmutes me in voice from any app (mute-shortcut.ts); null: none; absent: kept. */
  mute_shortcut: MuteShortcutSchema.nullable().optional(),
});

/** What Settings and the welcome save. */
export const SettingsSchema = SettingsFields.extend({
  control_server: ControlServerSettingSchema.refine((s) => !holdsCredentials(s), {
    message: SERVER_CREDENTIALS_MESSAGE,
  }).nullable(),
});
export type Settings = z.infer<typeof SettingsSchema>;

/**
 * The settings as the app has them: the form's, and how loud each member's voice plays here
 * (shared/media/voice-volume.ts), which setVoiceVolume changes one at a time: a settings form open
 * meanwhile never carries them, so its save cannot undo one.
 */
export const SettingsViewSchema = SettingsFields.extend({
  voice_volumes: VoiceVolumesSchema.default({}),
  relay_only: z.boolean().default(false),
  mute_shortcut: MuteShortcutSchema.nullable().default(null),
});
export type SettingsView = z.infer<typeof SettingsViewSchema>;

/** A notice's handle, which dismissing it names. */
export const NoticeIdSchema = z.string().max(32);

/** Something the user must be told (a file kept aside, a setting clamped), until dismissed. */
export const NoticeSchema = z.object({
  id: NoticeIdSchema,
  message: z.string().max(2000),
  /** "<party> is back": Join picks this party under Parties nearby, as its own Join does. */
  join_party_id: z.string().max(64).optional(),
});
export type Notice = z.infer<typeof NoticeSchema>;

/**
 * A `lanrage://join/…` link waiting for the user to confirm: the party as a stranger may
 * see it (null fields when it could not be looked up). Nothing is sent to the party's
 * members before the user says Join.
 */
export const InvitePreviewSchema = z.object({
  party_id: IdSchema,
  name: z.string().nullable(),
  host_name: z.string().nullable(),
  peer_count: z.number().int().nullable(),
  /**
   * The party's summary when it could be seen (a 1.2 server): ask for a password, say it's full…
   */
  summary: PartySummaryViewSchema.nullable().default(null),
  /** The invite token the link carried (`?invite=`), used when joining. */
  invite_token: z.string().nullable().default(null),
  /** The server answered that it has no party with this ID (not: could not be asked). */
  missing: z.boolean().default(false),
  /**
   * Without a server (local mode, or offline from it): not announced on this PC or the LAN
   * yet. Only a server can say a party does not exist; discovery may hear its host a moment
   * later, and the preview fills in when it does.
   */
  looking: z.boolean().default(false),
  /**
   * The control server the link says the party is on, when LANrage uses another (or none):
   * not asked about the party (nothing goes to it before Join), and joining switches to it.
   */
  server: z.string().max(1024).nullable().default(null),
  /** The certificate pin of the PC hosting a party without a server (`?pin=`). */
  host_pin: CertificatePinSchema.nullable().default(null),
  /** Where that PC answers over TLS (`?at=`), dialled when the LAN does not announce it. */
  host_at: HostAddressesSchema.nullable().default(null),
  /**
   * The server shows this party only to an invite's holder (a private invite-only one), and
   * the link holds none that works: none (`invite_token` null) or a spent one.
   */
  needs_invite: z.boolean().default(false),
});
export type InvitePreview = z.infer<typeof InvitePreviewSchema>;

export const AppStateSchema = z.object({
  status: ConnectionStatusSchema,
  me: PeerViewSchema,
  party: PartyViewSchema.nullable(),
  discovered: z.array(DiscoveredPartySchema),
  settings: SettingsViewSchema,
  notices: z.array(NoticeSchema),
  invite: InvitePreviewSchema.nullable(),
  /** True until the first-run welcome was finished or skipped (config.json's welcome_done). */
  first_run: z.boolean(),
  /** My party's activity, newest first (at most MAX_ACTIVITY). */
  activity: z.array(ActivityEntrySchema),
  /** Why my last party ended, until dismissed. */
  ended: PartyEndedSchema.nullable(),
  /** My join waiting for the host's answer. */
  pending_join: PendingJoinSchema.nullable(),
  /** As host: people waiting for me to let them in, oldest first. */
  join_requests: z.array(JoinRequestViewSchema),
  /**
   * The mute shortcut works in every app (the desktop app's global shortcut, told by
   * `mute_shortcut` events); false: the page listens for it while it has the focus (in a
   * browser, or when the system refused the shortcut).
   */
  global_shortcuts: z.boolean().default(false),
});
export type AppState = z.infer<typeof AppStateSchema>;

/**
 * State changes pushed to the renderer: a full snapshot first (and whenever simpler),
 * then narrow patches so that one peer's heartbeat re-renders one row.
 */
export const StateEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('snapshot'), state: AppStateSchema }),
  z.object({ type: z.literal('status'), status: ConnectionStatusSchema }),
  z.object({ type: z.literal('party'), party: PartyViewSchema.nullable() }),
  z.object({ type: z.literal('peer'), party_id: IdSchema, peer: PeerViewSchema }),
  z.object({ type: z.literal('peer_removed'), party_id: IdSchema, peer_id: IdSchema }),
  z.object({
    type: z.literal('presence'),
    party_id: IdSchema,
    peer_id: IdSchema,
    presence: PresenceDictSchema,
  }),
  z.object({ type: z.literal('activity'), activity: z.array(ActivityEntrySchema) }),
  z.object({ type: z.literal('ended'), ended: PartyEndedSchema.nullable() }),
  z.object({ type: z.literal('discovered'), parties: z.array(DiscoveredPartySchema) }),
  z.object({ type: z.literal('settings'), settings: SettingsViewSchema }),
  z.object({ type: z.literal('notices'), notices: z.array(NoticeSchema) }),
  z.object({ type: z.literal('invite'), invite: InvitePreviewSchema.nullable() }),
  z.object({ type: z.literal('first_run'), first_run: z.boolean() }),
  z.object({ type: z.literal('pending_join'), pending_join: PendingJoinSchema.nullable() }),
  z.object({ type: z.literal('join_requests'), join_requests: z.array(JoinRequestViewSchema) }),
  /** A voice chat signal from another member of my party; the renderer's voice chat reads it. */
  z.object({ type: z.literal('voice_signal'), from: IdSchema, signal: VoiceSignalSchema }),
  /** A screen sharing signal from another member of my party (renderer/src/screen). */
  z.object({ type: z.literal('screen_signal'), from: IdSchema, signal: ScreenSignalSchema }),
  /** The mute shortcut was pressed, in whatever app had the focus: mute or unmute in voice. */
  z.object({ type: z.literal('mute_shortcut') }),
  /** AppState.global_shortcuts changed (the system refused a shortcut, or took one again). */
  z.object({ type: z.literal('global_shortcuts'), global_shortcuts: z.boolean() }),
]);
export type StateEvent = z.infer<typeof StateEventSchema>;
