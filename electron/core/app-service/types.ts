/**
 * What the Electron shell and the headless server need from the app service, kept apart
 * from its implementation so that both entry points (and their tests) code against it.
 */
import type { ScreenSources } from './screen-sources';
import type { ShortcutHost } from '../shortcuts/mute-shortcut';
import type { AppState, StateEvent } from '../../../shared/ipc/app-state';
import type { PartyInfo } from '../../../shared/model';
import type { PresenceDict } from '../../../shared/presence';
import type { ConnectionStatus } from '../../../shared/status';
import type { ServerCheck } from '../../../shared/ipc/contract';
import type { Config } from '../config/config';
import type { NoticeBoard } from '../notices';
import type { Clock } from '../../../shared/time/clock';
import type { ControlPlaneApi } from '../types';
import type { LanDirectory } from './discovery-feed';
import type { IpcHandlers } from './ipc-registry';
import type { Logger } from '../../../shared/logger';
import type { InstanceLock } from '../state/instance-lock';

/** Something the shell shows as a desktop notification. */
export interface NotificationIntent {
  title: string;
  body: string;
}

/** The inputs of the tray heartbeat indicator (see tray-model.ts). */
export interface TrayInputs {
  status: ConnectionStatus;
  party: PartyInfo | null;
  myPeerId: string;
  /** Each member's presence in `party`. */
  presence: ReadonlyMap<string, PresenceDict>;
  /** My join waits for its host to let me in (the tray says so, as the status bar does). */
  waiting: boolean;
}

export interface AppService {
  /** One handler per IPC channel; wrap calls in `dispatch` (ipc-registry.ts). */
  readonly handlers: IpcHandlers;
  /**
   * The whole state, synchronously: a bridge subscribes and sends this snapshot in the same
   * tick, so no event can fall between the two.
   */
  snapshot(): AppState;
  /** Returns the unsubscribe function. */
  onStateEvent(listener: (event: StateEvent) => void): () => void;
  onNotification(listener: (intent: NotificationIntent) => void): () => void;
  trayInputs(): TrayInputs;
  /**
   * A `lanrage://join/…` link was opened: the join dialog asks the user, filled in with
   * what can be seen of the party. Never joins by itself; a malformed link is a notice.
   */
  openInvite(link: string): Promise<void>;
  /**
   * This PC is going to sleep now: my party is told, within a bound (going-to-sleep.ts).
   * Never rejects; true when the server answered in time.
   */
  goingToSleep(): Promise<boolean>;
  /** Stops timers and the control plane (flushing its state). Idempotent. */
  close(): Promise<void>;
}

/** What the shell (or the headless entry, or a test) gives the app service. */
export interface AppServiceDeps {
  config: Config;
  identity: { peerId: string; publicKey: string };
  createControlPlane: (config: Config) => ControlPlaneApi;
  clock?: Clock;
  localIp?: () => string;
  /** Where the service's own lines go: the shell's or headless entry's logger. */
  logger: Logger;
  /** LAN discovery (mDNS); null or absent: parties on this PC only. Closed with the service. */
  lan?: LanDirectory | null;
  /** What the user is told outside of answers (storage faults, clamped settings). */
  notices?: NoticeBoard;
  /** At most one desktop notification per party this often (default NOTIFICATION_WINDOW_MS). */
  notificationWindowMs?: number;
  /** The desktop's screens and windows to share (the shell's); absent: the browser asks. */
  screens?: ScreenSources;
  /** The desktop's global shortcuts (the shell's); absent: the page hears the mute shortcut. */
  shortcuts?: ShortcutHost;
  /** Settings' server check (default: connect and say hello, see server-probe.ts). */
  probeServer?: (url: string) => Promise<ServerCheck>;
  /** This app's hold on its instance dir (state/instance-lock.ts), let go once closed. */
  instanceLock?: InstanceLock;
}
