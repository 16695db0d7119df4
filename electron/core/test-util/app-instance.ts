/**
 * A real app service for tests, as one installation among several under a shared temp home
 * (its own LANRAGE_INSTANCE and identity key): remote on `controlServer`, local mode without
 * one, its control plane following its settings as the production factory's does.
 */
import { systemClock } from '../../../shared/time/clock';
import { silentLogger } from '../../../shared/logger';
import { createAppService } from '../app-service/app-service';
import type { AppService } from '../app-service/types';
import { Config } from '../config/config';
import { newIdentitySeed, signerFromSeed } from '../identity/identity-key';
import { LocalControlPlane } from '../local/control-plane';
import { RemoteControlPlane } from '../remote/control-plane';
import type { ShortcutHost } from '../shortcuts/mute-shortcut';

export interface TestAppOptions {
  home: string;
  name: string;
  controlServer: string | null;
  /** The installation's identity key (default: a new one). */
  seed?: string;
  /** How far this PC's clock is ahead of the server's (negative: behind), ms. */
  clockSkewMs?: number;
  /** The desktop's global shortcuts (absent: none, as in headless mode). */
  shortcuts?: ShortcutHost;
}

export function testAppService(options: TestAppOptions): Promise<AppService> {
  const { home, name, controlServer } = options;
  const env: Record<string, string> = {
    LANRAGE_INSTANCE: name.toLowerCase(),
    LANRAGE_PEER_NAME: name,
    LANRAGE_LAN_LISTEN: '0',
  };
  if (controlServer !== null) env.LANRAGE_CONTROL_SERVER = controlServer;
  const identity = signerFromSeed(options.seed ?? newIdentitySeed())!;
  const skew = options.clockSkewMs ?? 0;
  const clock = skew === 0 ? systemClock : { ...systemClock, now: () => Date.now() + skew };
  return createAppService({
    clock,
    config: Config.load({ home, env }),
    identity: { peerId: `peer_${name.toLowerCase()}`, publicKey: 'k'.repeat(43) + '=' },
    createControlPlane: (c) =>
      c.controlServer === null
        ? new LocalControlPlane(c, { logger: silentLogger, saveDelayMs: 0, clock })
        : new RemoteControlPlane(c, { logger: silentLogger, saveDelayMs: 0, identity, clock }),
    localIp: () => '127.0.0.1',
    logger: silentLogger,
    ...(options.shortcuts ? { shortcuts: options.shortcuts } : {}),
  });
}
