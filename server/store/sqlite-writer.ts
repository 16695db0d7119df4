/**
 * The writer thread's entry (see threaded-store.ts): owns the SQLite connection that
 * commits, so the fsync of each commit blocks this thread, never the server's event loop.
 * Requests are handled strictly in order, one transaction each.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { z } from 'zod';
import { SqlitePartyStore } from './sqlite-store';
import type { WriterReply, WriterRequest } from './writer-protocol';

const port = parentPort;
if (!port) throw new Error('sqlite-writer runs only as a worker thread');
const { dataDir } = z.object({ dataDir: z.string().min(1) }).parse(workerData);
const store = new SqlitePartyStore(dataDir);

const reply = (message: WriterReply): void => port.postMessage(message);

// The only sender is the server's own main thread, so messages are not re-validated here.
port.on('message', (request: WriterRequest) => {
  if (request.type === 'close') {
    store.close();
    reply({ type: 'closed' });
    port.close();
    return;
  }
  try {
    if (request.type === 'ping') store.check();
    else store.commitRows(request.rows);
    reply({ type: 'committed', id: request.id });
  } catch (error) {
    reply({ type: 'failed', id: request.id, error: String(error) });
  }
});
reply({ type: 'ready' });
