/**
 * An answer waiting for the commit of the change it reports: released to its place in the
 * connection's sends once the change is durable; when the batch failed, an error instead, or
 * (another server committed first, on a shared store) the request handled again once the
 * store is read back. A class rather than an object of arrow functions: tsx, which `npm run
 * server` and the benches run, keeps each named arrow's name with a defineProperty when it is
 * made, and this is made for every request that changes a party (~0.5 µs each, profiled).
 */
import type { AfterCommit } from '../store/group-commit';
import { StoreConflict } from '../store/store';
import type { Release } from './ordered-sends';

/** What the answer needs of its connection. */
export interface AnswerHolder {
  readonly isClosing: boolean;
  storeFailed(requestId: string | undefined): void;
}

export class HeldAnswer implements AfterCommit {
  constructor(
    private readonly holder: AnswerHolder,
    private readonly release: Release,
    private readonly send: () => void,
    private readonly requestId: string | undefined,
    private readonly retry: (() => void) | undefined,
  ) {}

  onCommit(): void {
    this.release(this.send);
  }

  onFail(error: unknown): void {
    const { retry, holder } = this;
    if (retry && error instanceof StoreConflict) {
      // Handled again once the store is read back: its answer takes a new place then.
      this.release();
      void error.reloaded.then(() => holder.isClosing || retry());
      return;
    }
    this.release(() => holder.storeFailed(this.requestId));
  }
}
