/**
 * The production wiring of the app service: config from $LANRAGE_HOME (and the env
 * overrides), this machine's identity, and the control plane the config asks for.
 * Shared by the Electron shell and the headless CLI so both run exactly the same core.
 */
import { readFileSync } from 'node:fs';
import type { AppService } from './types';
import { createAppService } from './app-service';
import { Config } from '../config/config';
import { createControlPlane } from '../control';
import { loadOrCreateIdentity } from '../identity/identity';
import { openLanDiscovery } from '../lan/options';
import { signerFromSeed } from '../identity/identity-key';
import { seedPeerIdToAdopt } from '../identity/seed-home';
import type { ScreenSources } from './screen-sources';
import type { ShortcutHost } from '../shortcuts/mute-shortcut';
import type { Logger } from '../../../shared/logger';
import { NoticeBoard, type Report } from '../notices';
import { keepHomePrivate } from '../state/home-modes';
import { lockInstance, type InstanceLock } from '../state/instance-lock';
import type { Liveness } from '../client/link/link-liveness';

export interface DefaultAppServiceOptions {
  /** The process's environment, passed in by the shell or headless entry (core reads none). */
  env: Record<string, string | undefined>;
  /** Overrides LANRAGE_HOME. */
  home?: string;
  /**
   * Where every line of the app goes (the shell's and headless entry's consoleLogger): the
   * service's, the control plane's and LAN discovery's alike, each at its own level.
   */
  logger: Logger;
  /** The desktop's screens and windows (the Electron shell's); headless has none. */
  screens?: ScreenSources;
  /** The desktop's global shortcuts (the Electron shell's); headless has none. */
  shortcuts?: ShortcutHost;
  /** How a silent link is found lost (default DEFAULT_LIVENESS; tests shorten it). */
  liveness?: Liveness;
}

/** The extra CA to trust (LANRAGE_CA_FILE); one that cannot be read is a notice, not a crash. */
function readCa(file: string | null, report: Report): Buffer | null {
  if (file === null) return null;
  try {
    return readFileSync(file);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    report(
      `Cannot read LANRAGE_CA_FILE ${file} (${reason}): a self-signed server will not be trusted.`,
    );
    return null;
  }
}

export async function createDefaultAppService(
  options: DefaultAppServiceOptions,
): Promise<AppService> {
  // Storage faults found while starting (and later) are shown in the UI, and the app starts.
  const notices = new NoticeBoard();
  const config = Config.load({ env: options.env, home: options.home, report: notices.report });
  const warn = (why: string) => options.logger.warn(why);
  keepHomePrivate(config.home, config.instanceDir, warn);
  // Before anything is written: a second app on these files refuses to start.
  const instanceLock = await lockInstance(config.instanceDir, warn, notices.report);
  try {
    return await createWithLock(config, notices, instanceLock, options);
  } catch (error) {
    instanceLock.release();
    throw error;
  }
}

async function createWithLock(
  config: Config,
  notices: NoticeBoard,
  instanceLock: InstanceLock,
  options: DefaultAppServiceOptions,
): Promise<AppService> {
  const { report } = notices;
  const { logger } = options;
  const adopt = seedPeerIdToAdopt(config);
  const identity = await loadOrCreateIdentity(config.keysDir, logger, report, adopt);
  const ca = readCa(config.caFile, report);
  // Proves our peer ids to the control server (issue 10); loadOrCreateIdentity checked it.
  const signer = signerFromSeed(identity.identityKey) ?? undefined;
  const lan = await openLanDiscovery(options.env, report, logger);
  try {
    return await createAppService({
      config,
      identity,
      createControlPlane: (c) =>
        createControlPlane(c, {
          report,
          logger,
          identity: signer,
          ...(ca ? { ca } : {}),
          ...(options.liveness ? { liveness: options.liveness } : {}),
        }),
      logger,
      notices,
      lan,
      screens: options.screens,
      shortcuts: options.shortcuts,
      instanceLock,
    });
  } catch (error) {
    await lan?.close();
    throw error;
  }
}
