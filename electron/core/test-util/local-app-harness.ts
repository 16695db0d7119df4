/**
 * App services in local mode for tests: instances under one temp home (so they share
 * discovery.json), each with the state events, notifications and control-plane configs it
 * produced. `localAppHarness` makes the home before each test and closes what it opened after.
 */
import { afterEach, beforeEach } from 'vitest';
import type { StateEvent } from '../../../shared/ipc/app-state';
import { eventuallyValue } from '../../../shared/test-support/eventually';
import { silentLogger } from '../../../shared/logger';
import { createAppService } from '../app-service/app-service';
import type { AppService, NotificationIntent } from '../app-service/types';
import { Config } from '../config/config';
import { loadOrCreateIdentity } from '../identity/identity';
import { LocalControlPlane } from '../local/control-plane';
import { callApp } from './app-calls';
import { makeTempDir } from './temp-dir';

export interface Harness {
  service: AppService;
  events: StateEvent[];
  notifications: NotificationIntent[];
  planes: Config[];
}

/** Resolves with the first value `probe` gives that is not undefined or false (3 s at most). */
export const until = <T>(probe: () => T | undefined | false, what = 'condition'): Promise<T> =>
  eventuallyValue(probe, 3000, what);

/** A call through the IPC dispatch, as the page makes it. */
export const call = (h: Harness, channel: string, request: unknown = {}) =>
  callApp(h.service, channel, request);

/** One LANrage instance in local mode under `home`. */
async function localInstance(home: string, name: string): Promise<Harness> {
  const config = Config.load({
    home,
    env: { LANRAGE_INSTANCE: name.toLowerCase(), LANRAGE_PEER_NAME: name },
  });
  const identity = await loadOrCreateIdentity(config.keysDir);
  const planes: Config[] = [];
  const service = await createAppService({
    config,
    identity,
    createControlPlane: (c) => {
      planes.push(c);
      return new LocalControlPlane(c, {
        logger: silentLogger,
        discoveryPollMs: 20,
        saveDelayMs: 0,
      });
    },
    localIp: () => '192.168.1.100',
    logger: silentLogger,
    notificationWindowMs: 20,
  });
  const events: StateEvent[] = [];
  const notifications: NotificationIntent[] = [];
  service.onStateEvent((e) => events.push(e));
  service.onNotification((n) => notifications.push(n));
  return { service, events, notifications, planes };
}

/**
 * A fresh temp home per test (`temp.dir`), and `instance(name)` in it; every service made by
 * `instance` or pushed on `open` is closed after the test. Call at the top of a test file.
 */
export function localAppHarness() {
  let home: ReturnType<typeof makeTempDir> | null = null;
  const open: AppService[] = [];
  const temp = {
    get dir(): string {
      if (!home) throw new Error('localAppHarness: no temp home outside a test');
      return home.dir;
    },
  };
  beforeEach(() => {
    home = makeTempDir('lanrage-app-service-');
  });
  afterEach(async () => {
    for (const service of open.splice(0)) await service.close();
    home?.cleanup();
    home = null;
  });
  async function instance(name: string): Promise<Harness> {
    const harness = await localInstance(temp.dir, name);
    open.push(harness.service);
    return harness;
  }
  return { temp, open, instance };
}
