/** Messages between the server's event loop and its SQLite writer thread. */
import type { RowBatch } from './store-rows';

export type WriterRequest = { type: 'commit'; id: number; rows: RowBatch } | { type: 'close' };

export type WriterReply =
  | { type: 'ready' }
  | { type: 'committed'; id: number }
  | { type: 'failed'; id: number; error: string }
  | { type: 'closed' };
