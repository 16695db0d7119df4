/**
 * The one IPC contract between the renderer and the main process (Electron IPC, or the
 * headless WebSocket bridge). Every channel has a zod schema for its request and its
 * response; the main side parses each request, and answers an envelope instead of
 * throwing across the bridge. The renderer's types come from here and nowhere else.
 */
import { VoiceVolumeSchema } from '../media/voice-volume';
import { z } from 'zod';
import { IdSchema } from '../values/ids';
import { accessContract, NewPartyChoicesSchema, UpdateSettingsRequestSchema } from './access';
import { screensContract } from './screens';
import { PartyPasswordSchema } from '../party/settings';
import { nameSchema } from '../values/names';
import { ScreenSignalSchema } from '../media/screen';
import { VoiceSignalSchema } from '../media/voice';
import { RelayGrantSchema } from '../protocol/relay';
import { MAX_RETRY_AFTER_S } from '../protocol/errors';

/**
 * The close code headless mode's bridge answers a page from an earlier launch with (its token
 * is not this launch's): the page stops retrying and says to open the link LANrage printed.
 */
export const STALE_PAGE_CLOSE = 4403;
import { RefusalCode } from '../protocol/refusals';
import {
  ControlServerTextSchema,
  holdsCredentials,
  isControlServerUrl,
  SERVER_CREDENTIALS_MESSAGE,
  SERVER_URL_MESSAGE,
} from '../values/server-url';

import {
  AppStateSchema,
  DiscoveredPartySchema,
  NoticeIdSchema,
  PartyViewSchema,
  SettingsSchema,
  SettingsViewSchema,
  type StateEvent,
} from './app-state';

const Empty = z.object({}).strict();

/** Whether a control server answered Settings' check, and a sentence saying so. */
export const ServerCheckSchema = z.object({ reachable: z.boolean(), message: z.string() });
export type ServerCheck = z.infer<typeof ServerCheckSchema>;

export const ipcContract = {
  getState: { request: Empty, response: AppStateSchema },
  /**
   * Answers at once: the page asks every few seconds, because its link to a hung or stopped app
   * stays open and would otherwise keep showing the last status it heard (renderer app-watch).
   */
  ping: { request: Empty, response: z.null() },
  createParty: {
    request: z.object({
      name: nameSchema('Party name'),
      /** Keep the party going when I leave: the longest-present member takes over. */
      host_migration: z.boolean().optional(),
      /** Who may join, how many, listed or not (issue 10); the rest default. */
      settings: NewPartyChoicesSchema.optional(),
    }),
    response: PartyViewSchema,
  },
  /**
   * `invite` is a party id, a `lanrage://join/<party_id>[?invite=<token>]` link or its
   * `https://<server>/join/…` form. For a party that needs the host's approval this answers
   * once the host did (`pending_join` says so meanwhile); refusals have their own codes.
   */
  joinParty: {
    request: z.object({
      invite: z.string().max(1024),
      password: PartyPasswordSchema.optional(),
      /** The user agreed to move to the server the invite names (InvitePreview.server). */
      switch_server: z.boolean().optional(),
    }),
    response: PartyViewSchema,
  },
  /** The host changes its party's settings (the keys present; `password: null` removes it). */
  updatePartySettings: { request: UpdateSettingsRequestSchema, response: PartyViewSchema },
  ...accessContract,
  /**
   * Leave my party. The host may first hand it to a member (`hand_over_to`) or end it for
   * everyone (`end_for_everyone`); with neither, the party's own rule applies.
   */
  leaveParty: {
    request: z
      .object({ hand_over_to: IdSchema.optional(), end_for_everyone: z.boolean().optional() })
      .strict(),
    response: z.null(),
  },
  /** Clears the "why my party ended" message. */
  dismissEnded: { request: Empty, response: z.null() },
  discoverParties: { request: Empty, response: z.array(DiscoveredPartySchema) },
  getSettings: { request: Empty, response: SettingsViewSchema },
  saveSettings: { request: SettingsSchema, response: SettingsViewSchema },
  dismissNotice: { request: z.object({ id: NoticeIdSchema }), response: z.null() },
  /** The user declined the invite link waiting in `invite`. */
  dismissInvite: { request: Empty, response: z.null() },
  /** Does a LANrage control server answer at this address? Asked by Settings before saving. */
  testServer: {
    request: z.object({
      url: ControlServerTextSchema.refine(isControlServerUrl, {
        message: SERVER_URL_MESSAGE,
      }).refine((s) => !holdsCredentials(s), { message: SERVER_CREDENTIALS_MESSAGE }),
    }),
    response: ServerCheckSchema,
  },
  /**
   * A voice chat signal to another member of my party (shared/media/voice.ts), through the party's
   * control server; `not_found` when that member is not in my party or not connected.
   */
  sendVoiceSignal: {
    request: z.object({ to: IdSchema, signal: VoiceSignalSchema }).strict(),
    response: z.null(),
  },
  ...screensContract,
  /** The same for screen sharing (shared/media/screen.ts). */
  sendScreenSignal: {
    request: z.object({ to: IdSchema, signal: ScreenSignalSchema }).strict(),
    response: z.null(),
  },
  /**
   * My party server's TURN relays for voice and screen sharing, with credentials lasting `ttl`
   * seconds; none when it has no relay. `not_found` outside a party.
   */
  getRelay: { request: Empty, response: RelayGrantSchema },
  /** How loud a member's voice plays on this PC (0–100 %), remembered in config.json. */
  setVoiceVolume: {
    request: z.object({ peer_id: IdSchema, volume: VoiceVolumeSchema }).strict(),
    response: z.null(),
  },
  /** The first-run welcome is done: save its choices (null when skipped); never shown again. */
  finishWelcome: {
    request: z.object({ settings: SettingsSchema.nullable() }).strict(),
    response: SettingsViewSchema,
  },
} as const;

export type IpcContract = typeof ipcContract;
export type IpcChannel = keyof IpcContract;
export const IPC_CHANNELS = Object.keys(ipcContract) as IpcChannel[];
export type IpcRequest<C extends IpcChannel> = z.input<IpcContract[C]['request']>;
export type IpcResponse<C extends IpcChannel> = z.output<IpcContract[C]['response']>;

/** Electron channel names are namespaced so nothing else on ipcMain collides. */
export const ipcChannelName = (channel: IpcChannel): string => `lanrage:${channel}`;
/** The one push channel: state changes, main → renderer. */
export const STATE_EVENT_CHANNEL = 'lanrage:state-changed';

export const IpcErrorCode = {
  BAD_REQUEST: 'bad_request',
  NOT_FOUND: 'not_found',
  CONFLICT: 'conflict',
  UNREACHABLE: 'unreachable',
  FORBIDDEN: 'forbidden',
  INTERNAL: 'internal',
  // Why a join was refused (issue 10): the wire's codes plus 'cancelled', each with its own
  // sentence; listed once, in shared/protocol/refusals.ts.
  ...RefusalCode,
} as const;
export type IpcErrorCode = (typeof IpcErrorCode)[keyof typeof IpcErrorCode];

export const IpcErrorSchema = z.object({
  code: z.enum(IpcErrorCode),
  /** A sentence a user can read. */
  message: z.string(),
  /** Whole seconds until asking again may succeed (a server's `rate_limited` wait). */
  retry_after_s: z.number().int().min(1).max(MAX_RETRY_AFTER_S).optional(),
});
export type IpcError = z.infer<typeof IpcErrorSchema>;

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** The object the preload exposes as `window.lanrage` (and the headless bridge imitates). */
export type LanrageApi = {
  [C in IpcChannel]: (request: IpcRequest<C>) => Promise<IpcResult<IpcResponse<C>>>;
} & {
  /** Subscribes to state events; returns the unsubscribe function. */
  onStateEvent(listener: (event: StateEvent) => void): () => void;
};
