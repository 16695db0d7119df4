/** Messages between the server's event loop and its SQLite writer thread. */
import type { RowBatch } from './store-rows';

export type WriterRequest =
  | { type: 'commit'; id: number; rows: RowBatch }
  /** Answered with `committed` (the database answered a query) or `failed`, in queue order. */
  | { type: 'ping'; id: number }
  | { type: 'close' };

export type WriterReply =
  | { type: 'ready' }
  | { type: 'committed'; id: number }
  | { type: 'failed'; id: number; error: string }
  | { type: 'closed' };
