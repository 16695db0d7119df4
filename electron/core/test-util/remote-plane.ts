/**
 * A RemoteControlPlane for tests: its own instance directory under a shared temp home,
 * the spec's intervals, a memory logger and a short save delay; options override.
 */
import { Config } from '../config/config';
import { MemoryLogger } from '../../../shared/test-support/memory-logger';
import { RemoteControlPlane } from '../remote/control-plane';
import type { RemoteControlPlaneOptions } from '../client/options';

export function testRemotePlane(
  home: string,
  name: string,
  controlServer: string,
  options: RemoteControlPlaneOptions = {},
): RemoteControlPlane {
  const config = new Config({
    home,
    instance: name,
    peerName: name,
    controlServer,
    heartbeatInterval: 30,
    cleanupInterval: 60,
    peerTimeout: 300,
    // The offline fallback's embedded server: this PC only, any free port.
    lanPort: 0,
    lanListen: false,
  });
  return new RemoteControlPlane(config, { logger: new MemoryLogger(), saveDelayMs: 5, ...options });
}
