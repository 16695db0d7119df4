/**
 * Test support: a store whose commits finish only when the test says so (finishOne), like a
 * slow disk, to look at what the server does while a commit is in flight.
 */
import { MemoryPartyStore } from './memory-store';
import type { CommitOptions, LoadedState, PartyStore, StoreBatch } from '../store';

/** A store whose commits finish when the test says so, like a slow disk. */
export class SlowStore implements PartyStore {
  /** true: stands in for a store several servers share (a batch could be refused). */
  constructor(readonly replicates = false) {}

  readonly memory = new MemoryPartyStore();
  readonly batches: StoreBatch[] = [];
  private finishers: (() => void)[] = [];

  get parties(): MemoryPartyStore['parties'] {
    return this.memory.parties;
  }

  load(): LoadedState {
    return this.memory.load();
  }

  /** Each commit's options, in order. */
  readonly options: (CommitOptions | undefined)[] = [];

  private quickDisk = false;

  /** true: each commit finishes on the next turn of the loop, as on a quick disk. */
  set quick(on: boolean) {
    this.quickDisk = on;
    if (on) setImmediate(() => this.finishAll());
  }

  /** Finishes every commit in flight. */
  finishAll(): void {
    while (this.finishers.length > 0) this.finishOne();
  }

  /** Set by crash(): commits end without reaching `memory`. */
  private crashed = false;

  /**
   * The server's process is gone: the commits in flight never reach `memory` (what a new
   * server would load), and later ones end at once without reaching it, so the dead
   * server's shutdown does not hang.
   */
  crash(): void {
    this.crashed = true;
    this.finishAll();
  }

  commit(batch: StoreBatch, options?: CommitOptions): Promise<void> {
    if (this.crashed) return Promise.resolve();
    this.batches.push(batch);
    this.options.push(options);
    const done = new Promise<void>((resolve) =>
      this.finishers.push(() => {
        if (!this.crashed) this.memory.commit(batch);
        resolve();
      }),
    );
    if (this.quickDisk) setImmediate(() => this.finishAll());
    return done;
  }

  finishOne(): void {
    this.finishers.shift()?.();
  }

  /** Commits waiting to finish. */
  get inFlight(): number {
    return this.finishers.length;
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  close(): void {}
}
