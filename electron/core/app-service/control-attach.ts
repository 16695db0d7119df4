/**
 * Putting a control plane to work for the app service: built from the config (a server URL
 * no control plane can use is the user's error, said in plain words), started, and hooked
 * to the service's listeners, the nearby list and the LAN; swapped for another when the
 * server setting changes (ControlSlot).
 */
import { ConnectionState, type ConnectionStatus } from '../../../shared/status';
import type { Config } from '../config/config';
import type { PeerInfo } from '../../../shared/model';
import { attachLan } from '../lan/bridge';
import type { ControlPlaneApi, ControlPlaneChange } from '../types';
import type { LanDirectory } from './discovery-feed';
import * as errors from './errors';

export interface AttachHooks {
  myPeerId: string;
  /** My profile now: what the plane tells a server it resyncs with (not its copy of me). */
  profile(): PeerInfo;
  onChange(change: ControlPlaneChange): void;
  /** Parties nearby may have changed. */
  nearbyChanged(): void;
  lan: LanDirectory | null;
}

export function buildControlPlane(
  create: (config: Config) => ControlPlaneApi,
  config: Config,
): ControlPlaneApi {
  try {
    return create(config);
  } catch (err) {
    throw errors.unusableServer(err, config.controlServer);
  }
}

/** Starts the control plane (loading its state) and hooks it up; returns the unhook. */
export async function attachControlPlane(
  control: ControlPlaneApi,
  hooks: AttachHooks,
): Promise<() => void> {
  // Before initialize: the link it opens may resync at once.
  control.ownProfile = hooks.profile();
  await control.initialize();
  control.myPeerId = hooks.myPeerId;
  const unsubscribe = control.subscribe((change) => hooks.onChange(change));
  const unwatch = control.watchNearby?.(() => hooks.nearbyChanged());
  // LAN parties are located through hosting; what it hosts is advertised on the LAN.
  const detachLan = hooks.lan && control.hosting ? attachLan(control.hosting, hooks.lan) : null;
  return () => {
    unsubscribe();
    unwatch?.();
    detachLan?.();
  };
}

/** The control plane in use: started and hooked up, and replaced when the server changes. */
export class ControlSlot {
  private unhook: () => void = () => {};
  /** The plane's last state was connected. */
  private answering = false;

  constructor(
    public plane: ControlPlaneApi,
    private readonly hooks: AttachHooks,
  ) {}

  /** Starts the plane in use (loading its state) and hooks it up. */
  async attach(): Promise<void> {
    this.unhook = await attachControlPlane(this.plane, this.hooks);
    this.answering = this.plane.status().state === ConnectionState.CONNECTED;
  }

  /** Closes the plane in use and puts `next` to work in its place. */
  async replace(next: ControlPlaneApi): Promise<void> {
    await this.close();
    this.plane = next;
    await this.attach();
  }

  /** Whether this status change is the plane answering again after it did not. */
  answersAgain(status: ConnectionStatus): boolean {
    const answering = status.state === ConnectionState.CONNECTED;
    const again = answering && !this.answering;
    this.answering = answering;
    return again;
  }

  async close(): Promise<void> {
    this.unhook();
    await this.plane.close();
  }
}
