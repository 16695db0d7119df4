/**
 * A real control server on a memory store, a FrameRelay in front of it (to drop, hold or cut
 * what one client gets), and remote control planes under one temp home, all closed by
 * `cleanup`.
 */
import { silentLogger } from '../../../shared/logger';
import { startServer } from '../../../server/server';
import type { RunningServer } from '../../../server/server-core';
import { MemoryPartyStore } from '../../../server/store/test-util/memory-store';
import type { RemoteControlPlane } from '../control';
import type { RemoteControlPlaneOptions } from '../client/options';
import { FrameRelay } from './frame-relay';
import { testRemotePlane } from './remote-plane';
import { makeTempDir } from './temp-dir';

export class RelayRig {
  private running: { server: RunningServer; relay: FrameRelay; home: string } | null = null;
  private removeHome: () => void = () => {};
  private readonly planes: RemoteControlPlane[] = [];

  async start(prefix: string): Promise<void> {
    const { dir: home, cleanup } = makeTempDir(prefix);
    this.removeHome = cleanup;
    const server = await startServer({
      port: 0,
      dataDir: home,
      store: new MemoryPartyStore(),
      logger: silentLogger,
    });
    this.running = { server, relay: await FrameRelay.start(server.url), home };
  }

  get server(): RunningServer {
    return this.started().server;
  }

  get relay(): FrameRelay {
    return this.started().relay;
  }

  /** A plane for `name`, initialized, linked to `url` (the server's or the relay's). */
  async plane(
    name: string,
    url: string,
    options: RemoteControlPlaneOptions = {},
  ): Promise<RemoteControlPlane> {
    const p = testRemotePlane(this.started().home, name, url, options);
    this.planes.push(p);
    await p.initialize();
    return p;
  }

  async cleanup(): Promise<void> {
    for (const p of this.planes.splice(0)) await p.close();
    const running = this.running;
    this.running = null;
    if (running) {
      await running.relay.close();
      await running.server.close();
    }
    this.removeHome();
  }

  private started() {
    if (!this.running) throw new Error('RelayRig not started');
    return this.running;
  }
}
