/**
 * control_state.json: loaded once at start, written after every change. A burst of
 * changes inside one `saveDelayMs` window becomes one write; every write is atomic.
 */
import { readFile } from 'node:fs/promises';
import { atomicWrite } from './atomic-write';
import { makeDirFor } from './make-dirs';
import { damageWords, errorText, moveAside, writeWords, noFile } from './set-aside';
import type { Logger } from '../../../shared/logger';
import { RecurringFault, type Report } from '../notices';
import type { Clock, TimerHandle } from '../../../shared/time/clock';
import { emptyState, parseStateFile, serializeState, type PersistedState } from './state-file';
import { parseJsonText } from './json-text';
import { danglingTarget } from './link-target';

export interface StateStoreOptions {
  clock: Clock;
  logger: Logger;
  /** How long changes are gathered before one write. */
  saveDelayMs: number;
  /** Produces the state to write, called when the write happens (so it is the latest). */
  snapshot: () => PersistedState;
  /** Tells the user about a state file kept aside or one that cannot be written. */
  report?: Report;
  /** Writes the file (default: atomically); a test or the bench counts writes through it. */
  writeFile?: (path: string, text: string) => Promise<void>;
}

export class StateStore {
  private timer: TimerHandle | null = null;
  private dirty = false;
  private writing: Promise<void> | null = null;
  /** The last write failed (and the user was told): the next failure is not repeated. */
  private readonly saveFault: RecurringFault;

  constructor(
    readonly path: string,
    private readonly options: StateStoreOptions,
  ) {
    this.saveFault = new RecurringFault(options.report);
  }

  /**
   * Missing file → empty state. Unreadable (a folder in its place, no permission) or
   * invalid → set aside, the user told, empty: the app starts either way.
   */
  async load(): Promise<PersistedState> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if (noFile(error)) return this.none();
      await this.setAside(error);
      return emptyState();
    }
    try {
      return parseStateFile(parseJsonText(text));
    } catch (error) {
      await this.setAside(error);
      return emptyState();
    }
  }

  /** No file: none yet, or a link to a file that is gone, which is said. */
  private none(): PersistedState {
    const target = danglingTarget(this.path);
    if (target !== null) {
      this.options.report?.(
        `Your parties' file ${this.path} is a link to ${target}, which does not exist: LANrage starts without saved parties, and saving them writes that file.`,
      );
    }
    return emptyState();
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
      makeDirFor(this.path);
      await (this.options.writeFile ?? atomicWrite)(this.path, text);
      this.saveFault.cleared();
    } catch (error) {
      // The state stays in memory; the next change or flush tries again.
      this.dirty = true;
      const said = `Could not save ${this.path}: ${writeWords(error)}`;
      this.options.logger.error(`${said} (${errorText(error)})`);
      this.saveFault.tell(`${said}. Your parties are kept in memory only.`);
    }
  }

  /** The user reads plain words; the log also gets the parser's or the system's own. */
  private async setAside(error: unknown): Promise<void> {
    const said = `Your saved parties (${this.path}) could not be read: ${damageWords(error)}.`;
    const result = await moveAside(this.path, this.options.clock.now());
    const message = result.moved
      ? `${said} LANrage kept the file as ${result.aside} and started without them.`
      : `${said} It could not be moved aside (${result.why}). LANrage started without them.`;
    this.options.logger[result.moved ? 'warn' : 'error'](`${message} (${errorText(error)})`);
    this.options.report?.(message);
  }
}
