/**
 * The one definition of a party's settings (issue 10): who may join, how many, whether the
 * party is listed. The wire (`register_party.settings`, `update_party.settings`, the
 * `settings` members see in `party_update`), the stored files, the IPC contract and the
 * server all take it from here. The password is write-only: it appears only in what a
 * host sends, never in what anyone is told.
 */
import { z } from 'zod';

/** No party has more than this many members: a client refuses a bigger one. */
export const MAX_PEERS_PER_PARTY = 256;
/** A party exists for at least two people. */
export const MIN_PARTY_PEERS = 2;

export const JoinPolicy = {
  /** Anyone with the party id. */
  OPEN: 'open',
  /** Anyone who also knows the password. */
  PASSWORD: 'password',
  /** The host lets each joiner in (`join_request` / `answer_join`). */
  APPROVAL: 'approval',
  /** Only people holding an invite (`create_invite`). */
  INVITE_ONLY: 'invite_only',
} as const;
export type JoinPolicy = (typeof JoinPolicy)[keyof typeof JoinPolicy];

export const Visibility = {
  PRIVATE: 'private',
  /** Listed by `list_parties` (Browse). */
  PUBLIC: 'public',
} as const;
export type Visibility = (typeof Visibility)[keyof typeof Visibility];

export const MaxPeersSchema = z.number().int().min(MIN_PARTY_PEERS).max(MAX_PEERS_PER_PARTY);
export const JoinPolicySchema = z.enum(JoinPolicy);
export const VisibilitySchema = z.enum(Visibility);
/** What a joiner types; kept short enough that hashing it is cheap to bound. */
export const PartyPasswordSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters');

/**
 * A password a host sets: not only spaces (a host who typed "   " meant no password, or a
 * typo, and friends could not guess it). A join's guess is still any PartyPasswordSchema,
 * so a party whose password was set before this rule can still be joined.
 */
export const NewPartyPasswordSchema = PartyPasswordSchema.refine((p) => p.trim() !== '', {
  message: 'must not be only spaces',
});

/** A party's settings as stored and as members see them (defaults fill what is absent). */
export const PartySettingsSchema = z.object({
  /** When the host leaves or goes offline, the longest-present online member takes over. */
  host_migration: z.boolean().default(false),
  max_peers: MaxPeersSchema.default(MAX_PEERS_PER_PARTY),
  join_policy: JoinPolicySchema.default(JoinPolicy.OPEN),
  /** No new members while true (invites included). */
  locked: z.boolean().default(false),
  visibility: VisibilitySchema.default(Visibility.PRIVATE),
});
export type PartySettingsDict = z.output<typeof PartySettingsSchema>;

/**
 * What a host sends with `register_party`: the settings plus the password. A party whose
 * `join_policy` is `password` must be given one.
 */
export const NewPartySettingsSchema = PartySettingsSchema.extend({
  password: NewPartyPasswordSchema.optional(),
}).refine((s) => s.join_policy !== JoinPolicy.PASSWORD || s.password !== undefined, {
  message: 'a party that asks for a password needs one',
  path: ['password'],
});

/**
 * What `update_party` changes: only the keys present. `password: null` removes the
 * password; switching to `join_policy: "password"` needs one, sent now or set before.
 */
export const PartySettingsPatchSchema = z
  .object({
    host_migration: z.boolean(),
    max_peers: MaxPeersSchema,
    join_policy: JoinPolicySchema,
    locked: z.boolean(),
    visibility: VisibilitySchema,
    password: NewPartyPasswordSchema.nullable(),
  })
  .partial()
  .strict();
export type PartySettingsPatch = z.output<typeof PartySettingsPatchSchema>;

/** The settings inside the app and the server (camelCase). */
export interface PartySettings {
  hostMigration: boolean;
  maxPeers: number;
  joinPolicy: JoinPolicy;
  locked: boolean;
  visibility: Visibility;
}

/** What a host chooses when making a party: any settings (the rest default) and a password. */
export interface NewPartySettings extends Partial<PartySettings> {
  password?: string;
}

export const DEFAULT_PARTY_SETTINGS: PartySettings = Object.freeze({
  hostMigration: false,
  maxPeers: MAX_PEERS_PER_PARTY,
  joinPolicy: JoinPolicy.OPEN,
  locked: false,
  visibility: Visibility.PRIVATE,
});

export function settingsFromDict(d: Partial<PartySettingsDict>): PartySettings {
  return withDefaults({
    hostMigration: d.host_migration,
    maxPeers: d.max_peers,
    joinPolicy: d.join_policy,
    locked: d.locked,
    visibility: d.visibility,
  });
}

export function settingsToDict(s: PartySettings): PartySettingsDict {
  return {
    host_migration: s.hostMigration,
    max_peers: s.maxPeers,
    join_policy: s.joinPolicy,
    locked: s.locked,
    visibility: s.visibility,
  };
}

/** `settings` with the patch's keys applied (the password is the caller's: it is not a setting). */
export function applySettingsPatch(
  settings: PartySettings,
  patch: PartySettingsPatch,
): PartySettings {
  return withDefaults({
    hostMigration: patch.host_migration ?? settings.hostMigration,
    maxPeers: patch.max_peers ?? settings.maxPeers,
    joinPolicy: patch.join_policy ?? settings.joinPolicy,
    locked: patch.locked ?? settings.locked,
    visibility: patch.visibility ?? settings.visibility,
  });
}

/** The settings a new party gets from what its host chose. */
export function withDefaults(chosen: Partial<PartySettings> = {}): PartySettings {
  const d = DEFAULT_PARTY_SETTINGS;
  // Field by field, so nothing else the caller's object carries (a password) is kept.
  return {
    hostMigration: chosen.hostMigration ?? d.hostMigration,
    maxPeers: chosen.maxPeers ?? d.maxPeers,
    joinPolicy: chosen.joinPolicy ?? d.joinPolicy,
    locked: chosen.locked ?? d.locked,
    visibility: chosen.visibility ?? d.visibility,
  };
}

/** The wire form of what a host chose (`register_party.settings`). */
export function newSettingsToDict(
  chosen: NewPartySettings,
): z.input<typeof NewPartySettingsSchema> {
  const { password, ...settings } = chosen;
  return {
    ...settingsToDict(withDefaults(settings)),
    ...(password === undefined ? {} : { password }),
  };
}
