/**
 * A server started without a port, heartbeat, peer timeout or sweep period takes shared/'s
 * defaults (server-url.ts, intervals.ts), in `welcome`, in its sweeps and where it listens.
 * The shared values are replaced with odd ones for this file, which a copied literal (8667,
 * 30 s, 300 s, 60 s) would not follow.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as serverUrl from '../shared/values/server-url';
import type * as intervals from '../shared/time/intervals';
import { TestRig, peerDict } from './test-util/support';

vi.mock('../shared/values/server-url', async (original) => ({
  ...(await original<typeof serverUrl>()),
  // Any free port: a server that still listened on 8667 would show it.
  DEFAULT_SERVER_PORT: 0,
}));
vi.mock('../shared/time/intervals', async (original) => {
  const real = await original<typeof intervals>();
  return {
    ...real,
    HEARTBEAT_INTERVAL: { ...real.HEARTBEAT_INTERVAL, defaultSeconds: 17 },
    PEER_TIMEOUT: { ...real.PEER_TIMEOUT, defaultSeconds: 1 },
    CLEANUP_INTERVAL: { ...real.CLEANUP_INTERVAL, defaultSeconds: 0.1 },
  };
});

const rig = new TestRig();
afterEach(() => rig.cleanup());

describe('server defaults from shared/', () => {
  it('listens on DEFAULT_SERVER_PORT and announces the shared intervals', async () => {
    const server = await rig.start({ port: undefined });
    expect(server.port).toBeGreaterThan(0);
    expect(server.port).not.toBe(8667);
    const c = await rig.connect();
    const welcome = await c.request({ type: 'hello', version: '1.0', client: 'test' });
    expect(welcome).toMatchObject({ type: 'welcome', heartbeat_interval: 17, peer_timeout: 1 });
  });

  it('sweeps a silent member by the shared peer timeout and sweep period', async () => {
    await rig.start();
    const c = await rig.connect();
    await c.hello();
    const host = { type: 'register_party', party_id: 'party_d1', name: 'P' };
    expect(await c.request({ ...host, host_peer: peerDict('h') })).toMatchObject({
      type: 'party_update',
    });
    // Never beats: removed after 1 s, found by a sweep every 0.1 s (not 300 s, every 60 s).
    const left = await c.nextOfType('peer_left', 5000);
    expect(left).toMatchObject({ party_id: 'party_d1', peer_id: 'h', reason: 'timeout' });
  });
});
