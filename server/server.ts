/**
 * `npm run server`'s server: the core (server-core.ts) with the SQLite store on a writer
 * thread (or a shared backend such as Redis), pino logs and Prometheus metrics. Only this
 * module loads better-sqlite3, so the desktop app, which embeds the core, never pulls in a
 * native module.
 */
import type { CorruptPolicy } from './store/db-health';
import { createServerLogger } from './logger';
import { serverMetrics } from './metrics/metrics';
import { startServerCore, type CoreOptions, type RunningServer } from './server-core';
import type { PartyStore } from './store/store';
import type { StateBackend } from './state/backend';
import { EmbeddedBackend } from './state/embedded';
import { CommitRoute } from './store/commit-route';
import { ThreadedSqliteStore } from './store/threaded-store';

export interface ServerOptions extends CoreOptions {
  dataDir: string;
  /** A backend several servers share (server/state/, e.g. Redis): replaces `store`. */
  backend?: StateBackend;
  /** Replaces the SQLite store under the embedded backend (in-memory tests). */
  store?: PartyStore;
  /** What to do with a corrupt database (default: set it aside and start empty). */
  onCorrupt?: CorruptPolicy;
  /** false: every commit on the writer thread (default: on the loop while it is idle). */
  commitsOnLoop?: boolean;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const logger = options.logger ?? createServerLogger();
  const backend =
    options.backend ??
    new EmbeddedBackend(
      options.store ??
        (await ThreadedSqliteStore.open(
          options.dataDir,
          logger,
          options.onCorrupt,
          new CommitRoute(undefined, { onLoop: options.commitsOnLoop ?? true }),
        )),
    );
  return startServerCore(options, { backend, logger, metrics: serverMetrics });
}
