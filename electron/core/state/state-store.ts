/**
 * control_state.json: loaded once at start, written after every change. A burst of
 * changes inside one `saveDelayMs` window becomes one write; every write is atomic.
 */
import { mkdir, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { atomicWrite } from './atomic-write';
import type { Logger } from '../../../shared/logger';
import type { Report } from '../notices';
import type { Clock, TimerHandle } from '../../../shared/clock';
import { emptyState, parseStateFile, serializeState, type PersistedState } from './state-file';

export interface StateStoreOptions {
  clock: Clock;
  logger: Logger;
  /** How long changes are gathered before one write. */
  saveDelayMs: number;
  /** Produces the state to write, called when the write happens (so it is the latest). */
  snapshot: () => PersistedState;
  /** Tells the user about a state file kept aside or one that cannot be written. */
  report?: Report;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A name for a set-aside file that sorts by time and is valid on every filesystem. */
export function corruptPathFor(path: string, now: number): string {
  return `${path}.corrupt-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
}

export class StateStore {
  /** Completed writes, for tests and the benchmark. */
  writeCount = 0;
  private timer: TimerHandle | null = null;
  private dirty = false;
  private writing: Promise<void> | null = null;
  /** The last write failed (and the user was told): the next failure is not repeated. */
  private failing = false;

  constructor(
    readonly path: string,
    private readonly options: StateStoreOptions,
  ) {}

  /**
   * Missing file → empty state. Unreadable (a folder in its place, no permission) or
   * invalid → set aside, the user told, empty: the app starts either way.
   */
  async load(): Promise<PersistedState> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
      await this.setAside(`cannot be read: ${errorText(error)}`);
      return emptyState();
    }
    try {
      return parseStateFile(JSON.parse(text));
    } catch (error) {
      await this.setAside(`are corrupt (${errorText(error)})`);
      return emptyState();
    }
  }

  /** Asks for a write; changes arriving before it happens ride along. */
  schedule(): void {
    this.dirty = true;
    if (this.timer !== null || this.writing) return;
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = null;
      void this.writeNow();
    }, this.options.saveDelayMs);
  }

  /** Writes any pending change now and waits for every write under way. */
  async flush(): Promise<void> {
    if (this.timer !== null) {
      this.options.clock.clearTimeout(this.timer);
      this.timer = null;
    }
    await this.settled();
    if (this.dirty) await this.writeNow();
    await this.settled();
    // A failed write re-arms the timer; a flush leaves nothing behind (dirty stays set).
    if (this.timer !== null) {
      this.options.clock.clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private async settled(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private writeNow(): Promise<void> {
    if (this.writing) return this.writing;
    this.dirty = false;
    const text = serializeState(this.options.snapshot());
    this.writing = this.write(text).finally(() => {
      this.writing = null;
      // Changes made while writing get their own write.
      if (this.dirty && this.timer === null) this.schedule();
    });
    return this.writing;
  }

  private async write(text: string): Promise<void> {
    try {
      await mkdir(dirname(this.path), { recursive: true });
      await atomicWrite(this.path, text);
      this.writeCount++;
      this.failing = false;
    } catch (error) {
      // The state stays in memory; the next change or flush tries again.
      this.dirty = true;
      const message = `Could not save ${this.path}: ${errorText(error)}`;
      this.options.logger.error(message);
      if (!this.failing) this.options.report?.(`${message}. Your parties are kept in memory only.`);
      this.failing = true;
    }
  }

  private async setAside(reason: string): Promise<void> {
    const aside = corruptPathFor(this.path, this.options.clock.now());
    try {
      await rename(this.path, aside);
      const message = `Your saved parties (${this.path}) ${reason}. LANrage kept the file as ${aside} and started without them.`;
      this.options.logger.warn(message);
      this.options.report?.(message);
    } catch (error) {
      const message = `Your saved parties (${this.path}) ${reason}, and could not be moved aside (${errorText(error)}). LANrage started without them.`;
      this.options.logger.error(message);
      this.options.report?.(message);
    }
  }
}
