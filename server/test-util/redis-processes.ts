/**
 * Server processes on one real redis-server and raw clients of them, for the tests that run
 * the server as a process on Redis: `start` in beforeEach, `cleanup` in afterEach (every
 * client closed, every process killed, Redis stopped, the temp dir removed).
 */
import { makeTempDir } from '../../electron/core/test-util/temp-dir';
import { spawnServer, type ServerProcess } from './process';
import { RedisTestServer } from './redis-server';
import { RawClient } from './support';

export class RedisProcesses {
  redis!: RedisTestServer;
  home!: { dir: string; cleanup: () => void };
  private readonly procs: ServerProcess[] = [];
  private readonly clients: RawClient[] = [];

  /** `flags`: given to every server `server()` starts, beside its data dir and Redis. */
  constructor(
    private readonly prefix: string,
    private readonly flags: readonly string[] = [],
  ) {}

  async start(): Promise<void> {
    this.redis = await RedisTestServer.start();
    this.home = makeTempDir(this.prefix);
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.clients.splice(0).map((c) => c.close()));
    await Promise.all(this.procs.splice(0).map((p) => p.kill()));
    await this.redis.cleanup();
    this.home.cleanup();
  }

  /** A server on this Redis with its own data dir `name`, logging warnings and errors. */
  async server(name: string): Promise<ServerProcess> {
    const dataDir = `${this.home.dir}/${name}`;
    const args = ['--port', '0', '--data-dir', dataDir, '--redis', this.redis.url];
    return this.adopt(await spawnServer([...args, ...this.flags, '--log-level', 'warn']));
  }

  /** A process started otherwise, killed with the others. */
  adopt(proc: ServerProcess): ServerProcess {
    this.procs.push(proc);
    return proc;
  }

  async client(url: string): Promise<RawClient> {
    const c = await RawClient.connect(url);
    this.clients.push(c);
    return c;
  }
}
