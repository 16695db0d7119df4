/**
 * The control plane's public entry point (the spec's `core/control.py`): import from here.
 */
import type { Config } from './config';
import type { ControlPlane } from './control-plane';
import { LocalControlPlane, type LocalControlPlaneOptions } from './local-control-plane';

export { Config } from './config';
export { ControlPlane, type ControlPlaneOptions } from './control-plane';
export { LocalControlPlane, type LocalControlPlaneOptions } from './local-control-plane';
export { ControlPlaneError } from '../../shared/errors';
export { NatType, PartyInfo, PeerInfo } from '../../shared/model';
export type { ControlPlaneApi, ControlPlaneChange, ControlPlaneListener } from './types';

export type CreateControlPlaneOptions = LocalControlPlaneOptions;

/**
 * Local mode when no control server is configured.
 * REMOTE: when `config.controlServer` is set, the remote helper returns a
 * RemoteControlPlane here (export it above too).
 */
export function createControlPlane(
  config: Config,
  options: CreateControlPlaneOptions = {},
): ControlPlane {
  return new LocalControlPlane(config, options);
}
