/**
 * The CLI's defaults (port, intervals) and its help come from shared/ (server-url.ts,
 * intervals.ts), not from numbers of its own: changed there, they change here. The shared
 * values are replaced with odd ones for this file, which a copied literal would not follow.
 */
import { describe, expect, it, vi } from 'vitest';
import type * as serverUrl from '../../shared/values/server-url';
import type * as intervals from '../../shared/time/intervals';

vi.mock('../../shared/values/server-url', async (original) => ({
  ...(await original<typeof serverUrl>()),
  DEFAULT_SERVER_PORT: 9123,
}));
vi.mock('../../shared/time/intervals', async (original) => {
  const real = await original<typeof intervals>();
  return {
    ...real,
    HEARTBEAT_INTERVAL: { ...real.HEARTBEAT_INTERVAL, defaultSeconds: 17 },
    PEER_TIMEOUT: { ...real.PEER_TIMEOUT, defaultSeconds: 170 },
    CLEANUP_INTERVAL: { ...real.CLEANUP_INTERVAL, defaultSeconds: 23 },
  };
});

const { parseCli } = await import('./args');
const { serverHelp } = await import('./help');
const { ADMIN_HELP, parseAdminArgs } = await import('./admin-command');

describe('server CLI defaults from shared/', () => {
  it('listens on DEFAULT_SERVER_PORT and announces the shared intervals unless told', () => {
    const args = parseCli([], {});
    expect(args.port).toBe(9123);
    expect(args.heartbeatIntervalS).toBe(17);
    expect(args.peerTimeoutMs).toBe(170_000);
    expect(args.sweepIntervalMs).toBe(23_000);
  });

  it('says those defaults in --help, the admin URL included', () => {
    const help = serverHelp();
    expect(help).toMatch(/--port P .*; default 9123$/m);
    expect(help).toMatch(/--heartbeat-interval S .*; default 17$/m);
    expect(help).toMatch(/--peer-timeout S .*; default 170$/m);
    expect(help).toContain('--url defaults to http://127.0.0.1:9123,');
    expect(ADMIN_HELP).toContain('default http://127.0.0.1:9123,');
    expect(`${help}\n${ADMIN_HELP}`).not.toContain('8667');
  });

  it('admin asks the default port when neither --url nor the environment says', () => {
    const parsed = parseAdminArgs(['parties', '--token-file', '/run/admin'], {});
    expect(parsed.url).toBe('http://127.0.0.1:9123');
    expect(() => parseAdminArgs(['parties', '--url', 'ftp://x', '--token-file', 'f'])).toThrow(
      'must be an http(s) URL, e.g. http://127.0.0.1:9123',
    );
  });
});
