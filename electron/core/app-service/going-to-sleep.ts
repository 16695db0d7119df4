/**
 * This PC is going to sleep (the shell's powerMonitor `suspend`, the headless entry's SIGUSR2):
 * the control plane tells its party's server (a LAN host's own embedded server too, so its
 * guests hear it), which shows me `asleep` (protocol 1.12) instead of letting my silence pass
 * for a crash. The OS suspends about a second after telling apps, so the wait is bounded;
 * anything not answered by then is given up, and nothing here ever throws.
 */
import type { Logger } from '../../../shared/logger';

/** How long the notice may take before the PC is let go to sleep. */
export const SLEEP_NOTICE_MS = 800;

export interface Sleeper {
  /** False: nobody to tell (no party, no link). */
  goingToSleep?(): Promise<boolean>;
}

/** Tells `control` this PC is going to sleep; true when its server acked within `limitMs`. */
export async function tellGoingToSleep(
  control: Sleeper,
  logger: Logger,
  limitMs = SLEEP_NOTICE_MS,
): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), limitMs);
  });
  const told = Promise.resolve()
    .then(() => control.goingToSleep?.())
    .then(
      (sent) => sent === true,
      (error: unknown) => {
        logger.warn(`Could not tell the party this PC is going to sleep: ${String(error)}`);
        return false;
      },
    );
  try {
    return await Promise.race([told, late]);
  } finally {
    clearTimeout(timer);
  }
}
