/**
 * The server's store: loads on the main thread, commits on a writer thread. A commit with
 * synchronous=FULL waits for an fsync (~0.3 ms on a quiet disk, tens of ms when other jobs
 * use it); done on the event loop, that wait stalled every connection, not only the ones
 * whose change was being written. Here the loop only posts the rows and carries on; the
 * group committer sends the answers once the writer reports the transaction durable.
 * While the loop is mostly idle and the disk quick, a commit runs on the loop instead,
 * sparing the two thread hand-offs (see commit-route.ts).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../shared/logger';
import { CommitRoute } from './commit-route';
import { checkDatabase, CorruptPolicy } from './db-health';
import { makeDataDir } from './data-dir';
import { keepOwnerOnly } from './file-modes';
import { lockDataDir, type DataDirLock } from './data-dir-lock';
import { DB_FILE, SqlitePartyStore } from './sqlite-store';
import type { CommitOptions, LoadedState, PartyStore, StoreBatch } from './store';
import { isEmptyRows, toRows, type RowBatch } from './store-rows';
import type { WriterReply, WriterRequest } from './writer-protocol';

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Starts the writer module in a thread. Under tsx (development, tests) the .ts entry is
 * loaded through tsx's require hook, because Node 20 does not apply `--import` loaders to
 * a worker's entry module; a compiled build loads its .js sibling directly.
 */
function spawnWriter(dataDir: string): Worker {
  const entry = new URL(
    import.meta.url.endsWith('.ts') ? './sqlite-writer.ts' : './sqlite-writer.js',
    import.meta.url,
  );
  const file = fileURLToPath(entry);
  if (!file.endsWith('.ts')) return new Worker(entry, { workerData: { dataDir } });
  const tsx = createRequire(import.meta.url).resolve('tsx/cjs/api');
  const boot = `require(${JSON.stringify(tsx)}).require(${JSON.stringify(file)}, ${JSON.stringify(file)})`;
  return new Worker(boot, { eval: true, workerData: { dataDir } });
}

function isLocked(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

export class ThreadedSqliteStore implements PartyStore {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, Waiter>();
  private nextId = 1;
  private closing: Promise<void> | null = null;

  /** Commits on the loop so far (the rest went to the writer thread). */
  inlineCommits = 0;

  private constructor(
    private readonly dataDir: string,
    private readonly reader: SqlitePartyStore,
    private readonly route: CommitRoute,
    private readonly lock: DataDirLock,
    private readonly logger?: Logger,
  ) {
    reader.neverWaitForLocks();
  }

  /**
   * Checks the database (a faulty one is set aside or refused, see db-health.ts), opens it
   * (creating it) and waits until the writer thread is ready.
   */
  static async open(
    dataDir: string,
    logger: Logger,
    onCorrupt: CorruptPolicy = CorruptPolicy.SET_ASIDE,
    route = new CommitRoute(),
  ): Promise<ThreadedSqliteStore> {
    // First: a data dir that is a file is told as that, not as a database that cannot be read.
    makeDataDir(dataDir);
    // Before the check, which may set aside a database another server is writing.
    const lock = lockDataDir(dataDir, logger);
    try {
      // Before the check: a database it sets aside keeps its mode, and holds the tokens too.
      keepOwnerOnly(path.join(dataDir, DB_FILE), logger);
      checkDatabase(path.join(dataDir, DB_FILE), onCorrupt, logger);
      const reader = new SqlitePartyStore(dataDir, logger);
      const store = new ThreadedSqliteStore(dataDir, reader, route, lock, logger);
      await store.ready();
      return store;
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  private ready(): Promise<void> {
    const worker = this.start();
    return new Promise((resolve, reject) => {
      const onExit = (code: number) => reject(new Error(`SQLite writer exited (${code})`));
      worker.once('exit', onExit);
      worker.once('error', reject);
      const onReady = (message: WriterReply): void => {
        if (message.type !== 'ready') return;
        worker.off('message', onReady);
        worker.off('exit', onExit);
        worker.off('error', reject);
        resolve();
      };
      worker.on('message', onReady);
    });
  }

  private start(): Worker {
    const worker = spawnWriter(this.dataDir);
    worker.on('message', (message: WriterReply) => this.onReply(message));
    worker.on('error', (error) => this.logger?.error(`SQLite writer failed: ${error.message}`));
    worker.on('exit', (code) => this.onExit(worker, code));
    this.worker = worker;
    return worker;
  }

  private onReply(message: WriterReply): void {
    if (message.type !== 'committed' && message.type !== 'failed') return;
    const waiter = this.waiting.get(message.id);
    this.waiting.delete(message.id);
    if (message.type === 'committed') waiter?.resolve();
    else waiter?.reject(new Error(message.error));
  }

  /** Commits in flight when the thread dies are failed; the next commit starts a new one. */
  private onExit(worker: Worker, code: number): void {
    if (this.worker === worker) this.worker = null;
    const error = new Error(`SQLite writer exited (${code})`);
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }

  load(): LoadedState {
    return this.reader.load();
  }

  /** Durable when it returns (on the loop) or when its promise resolves (on the thread). */
  commit(batch: StoreBatch, options: CommitOptions = {}): void | Promise<void> {
    const rows = toRows(batch);
    if (isEmptyRows(rows)) return Promise.resolve();
    if (this.closing) return Promise.reject(new Error('The store is closed'));
    const inline = options.offLoop !== true && this.route.inline(this.waiting.size > 0);
    if (inline && this.commitOnLoop(rows)) return;
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ type: 'commit', id, rows } satisfies WriterRequest);
    });
  }

  /** false: the database is locked, so the commit goes to the thread (which may wait). */
  private commitOnLoop(rows: RowBatch): boolean {
    const started = performance.now();
    try {
      this.reader.commitRows(rows);
    } catch (error) {
      if (!isLocked(error)) throw error;
      this.route.holdOnThread();
      return false;
    }
    this.route.tookInline(performance.now() - started);
    this.inlineCommits++;
    return true;
  }

  /**
   * Readiness: the writer thread answers a query within `timeoutMs`. The ping queues behind
   * the commits already posted, so a writer stuck on the disk counts as not ready.
   */
  ping(timeoutMs = 2000): Promise<void> {
    if (this.closing) return Promise.reject(new Error('The store is closed'));
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`The SQLite writer did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      const settle = (fn: () => void): void => {
        clearTimeout(timer);
        fn();
      };
      this.waiting.set(id, {
        resolve: () => settle(resolve),
        reject: (error) => settle(() => reject(error)),
      });
      worker.postMessage({ type: 'ping', id } satisfies WriterRequest);
    });
  }

  /** Lets the writer finish every commit already posted (they run in order), then stops it. */
  close(): Promise<void> {
    return (this.closing ??= (async () => {
      const worker = this.worker;
      if (worker) {
        const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
        worker.postMessage({ type: 'close' } satisfies WriterRequest);
        await exited;
      }
      this.reader.close();
      this.lock.release();
    })());
  }
}
