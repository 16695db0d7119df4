/**
 * discovery.json: the parties every local instance on this machine announced, in the
 * control state file's format. Shared by separate processes, so every read-modify-write
 * happens under a file lock and every write is atomic; readers never need the lock.
 */
import { mkdir, readFile, rename, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { PartyInfo } from '../../shared/model';
import { atomicWrite } from './atomic-write';
import { withFileLock, type FileLockOptions } from './file-lock';
import type { Logger } from '../../shared/logger';
import type { Report } from './notices';
import type { Clock, TimerHandle } from './scheduler';
import { parseStateFile, serializeState } from './state-file';
import { corruptPathFor } from './state-store';

export type PartyMap = Map<string, PartyInfo>;

export interface DiscoveryStoreOptions {
  clock: Clock;
  logger: Logger;
  lock?: FileLockOptions;
  /** Tells the user when the shared file was set aside. */
  report?: Report;
}

type ReadResult = { ok: true; parties: PartyMap } | { ok: false; reason: string };

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class DiscoveryStore {
  /** Completed writes, for tests and the benchmark. */
  writeCount = 0;
  private warnedCorrupt = false;

  constructor(
    readonly path: string,
    private readonly options: DiscoveryStoreOptions,
  ) {}

  /** The announced parties; a missing or unreadable file reads as none. */
  async read(): Promise<PartyMap> {
    const result = await this.readRaw();
    if (result.ok) {
      this.warnedCorrupt = false;
      return result.parties;
    }
    if (!this.warnedCorrupt) {
      this.options.logger.warn(`Discovery file ${this.path} is unreadable: ${result.reason}`);
      this.warnedCorrupt = true;
    }
    return new Map();
  }

  /**
   * Read-modify-write under the lock. `change` edits the map in place and returns true
   * when it changed something (only then is the file written). If `change` throws,
   * nothing is written and the error propagates. Returns the map as written.
   */
  async update(change: (parties: PartyMap) => boolean): Promise<PartyMap> {
    await mkdir(dirname(this.path), { recursive: true });
    return withFileLock(
      this.path,
      async () => {
        const parties = await this.readForUpdate();
        if (change(parties)) {
          await atomicWrite(
            this.path,
            serializeState({ parties, myPeerId: null, myPartyId: null }),
          );
          this.writeCount++;
        }
        return parties;
      },
      this.options.lock,
    );
  }

  /**
   * Calls `onChange` whenever the file changes (polled via stat, which works across
   * processes and on filesystems where fs.watch does not). The callback reads the file
   * itself, in whatever order its owner needs. Returns stop.
   */
  watch(onChange: () => void | Promise<void>, intervalMs = 250): () => void {
    let last: string | null = null;
    let busy = false;
    const poll = async (): Promise<void> => {
      const signature = await this.signature();
      if (signature === last) return;
      last = signature;
      await onChange();
    };
    const timer: TimerHandle = this.options.clock.setInterval(() => {
      if (busy) return;
      busy = true;
      poll()
        .catch((error: unknown) =>
          this.options.logger.warn(`Watching ${this.path}: ${errorText(error)}`),
        )
        .finally(() => (busy = false));
    }, intervalMs);
    return () => this.options.clock.clearInterval(timer);
  }

  private async signature(): Promise<string> {
    try {
      const s = await stat(this.path);
      // A rename-over changes the inode even when size and mtime happen to match.
      return `${s.ino}:${s.mtimeMs}:${s.size}`;
    } catch {
      return 'missing';
    }
  }

  private async readRaw(): Promise<ReadResult> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        return { ok: true, parties: new Map() };
      return { ok: false, reason: errorText(error) };
    }
    try {
      return { ok: true, parties: parseStateFile(JSON.parse(text)).parties };
    } catch (error) {
      return { ok: false, reason: errorText(error) };
    }
  }

  /** Under the lock: a corrupt file is set aside (not silently overwritten) and reported. */
  private async readForUpdate(): Promise<PartyMap> {
    const result = await this.readRaw();
    if (result.ok) return result.parties;
    const aside = corruptPathFor(this.path, this.options.clock.now());
    await rename(this.path, aside);
    const message = `The nearby-parties file ${this.path} was corrupt (${result.reason}). LANrage kept it as ${aside} and started a new one.`;
    this.options.logger.warn(message);
    this.options.report?.(message);
    return new Map();
  }
}
