/**
 * The control plane's public entry point (the spec's `core/control.py`): import from here.
 */
import type { Config } from './config/config';
import type { ControlPlane } from './control-plane';
import { LocalControlPlane } from './local/control-plane';
import { RemoteControlPlane } from './remote/control-plane';
import type { RemoteControlPlaneOptions } from './remote/options';

export { Config } from './config/config';
export { ControlPlane } from './control-plane';
export type { ControlPlaneOptions } from './plane-state';
export { LocalControlPlane, type LocalControlPlaneOptions } from './local/control-plane';
export { RemoteControlPlane } from './remote/control-plane';
export type { RemoteControlPlaneOptions } from './remote/options';
export { ControlPlaneError } from '../../shared/errors';
export { NatType, PartyInfo, PeerInfo } from '../../shared/model';
export type { ControlPlaneApi, ControlPlaneChange, ControlPlaneListener } from './types';

export type CreateControlPlaneOptions = RemoteControlPlaneOptions;

/** The spec's factory: RemoteControlPlane when a control server is configured, else local mode. */
export function createControlPlane(
  config: Config,
  options: CreateControlPlaneOptions = {},
): ControlPlane {
  if (config.controlServer) return new RemoteControlPlane(config, options);
  return new LocalControlPlane(config, options);
}
