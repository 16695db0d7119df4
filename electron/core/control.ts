/**
 * The control plane's public entry point (the spec's `core/control.py`): the factory, and
 * the two planes it makes.
 */
import type { Config } from './config/config';
import type { ControlPlane } from './control-plane';
import { LocalControlPlane } from './local/control-plane';
import { RemoteControlPlane } from './remote/control-plane';
import type { RemoteControlPlaneOptions } from './client/options';

export { LocalControlPlane, RemoteControlPlane };

/** The spec's factory: RemoteControlPlane when a control server is configured, else local mode. */
export function createControlPlane(
  config: Config,
  options: RemoteControlPlaneOptions = {},
): ControlPlane {
  if (config.controlServer) return new RemoteControlPlane(config, options);
  return new LocalControlPlane(config, options);
}
