/**
 * Putting a control plane to work for the app service: built from the config (a server URL
 * no control plane can use is the user's error, said in plain words), started, and hooked
 * to the service's listeners, the nearby list and the LAN.
 */
import type { Config } from '../config/config';
import { attachLan } from '../lan/bridge';
import type { ControlPlaneApi, ControlPlaneChange } from '../types';
import type { LanDirectory } from './discovery-feed';
import * as errors from './errors';

export interface AttachHooks {
  myPeerId: string;
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
