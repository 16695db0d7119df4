/**
 * `--trusted-proxy`: read as the load balancers' addresses, refused in one line naming the
 * entry at fault, and handed to the server: a real process reads the PROXY header of a
 * connection from a trusted address and closes one that has none.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cliRefusal } from '../test-util/cli-refusal';
import { spawnServer, type ServerProcess } from '../test-util/process';
import { rawExchange } from '../test-util/proxy-balancer';
import { parseCli } from './args';
import { MAX_TRUSTED_PROXIES } from './trusted-proxy';

describe('--trusted-proxy', () => {
  it('reads addresses and CIDRs, blanks after commas allowed; none by default', () => {
    expect(parseCli([], {}).trustedProxies).toEqual([]);
    const given = parseCli(['--trusted-proxy', '10.0.0.5, 192.168.0.0/16,fd00::/8,::1'], {});
    expect(given.trustedProxies).toEqual(['10.0.0.5/32', '192.168.0.0/16', 'fd00::/8', '::1/128']);
    const env = { LANRAGE_SERVER_TRUSTED_PROXY: '172.16.0.0/12' };
    expect(parseCli([], env).trustedProxies).toEqual(['172.16.0.0/12']);
  });

  it.each([
    [
      '10.0.0.300',
      '"10.0.0.300": must be an IPv4 or IPv6 address, or one with /prefix (10.0.0.0/8)',
    ],
    ['lb.example.org', '"lb.example.org": must be an IPv4 or IPv6 address, or one with /prefix'],
    ['10.0.0.0/33', '"10.0.0.0/33": the prefix must be 0–32'],
    ['fd00::/129', '"fd00::/129": the prefix must be 0–128'],
    ['10.0.0.0/8/8', '"10.0.0.0/8/8": must be an IPv4 or IPv6 address'],
    ['10.0.0.0/', '"10.0.0.0/": the prefix must be 0–32'],
    ['fe80::1%eth0', '"fe80::1%eth0": must be an IPv4 or IPv6 address'],
    ['10.0.0.1,', 'an empty address (a comma too many?)'],
    ['', 'an empty address (a comma too many?)'],
    [
      Array(MAX_TRUSTED_PROXIES + 1)
        .fill('10.0.0.1')
        .join(','),
      'at most 32 addresses',
    ],
  ])('refuses %j', (value, message) => {
    expect(cliRefusal(['--trusted-proxy', value])).toMatch(
      new RegExp(`^--trusted-proxy: ${message.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`),
    );
  });
});

let dir = '';
let proc: ServerProcess | null = null;
afterEach(async () => {
  await proc?.kill();
  proc = null;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = '';
});

it('the server process reads the header of a trusted address, and closes one without', async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lanrage-proxy-'));
  proc = await spawnServer(['--port', '0', '--data-dir', dir, '--trusted-proxy', '127.0.0.1']);
  const health = 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';
  const ok = await rawExchange(proc.port, `PROXY TCP4 203.0.113.9 127.0.0.1 1 2\r\n${health}`);
  expect(ok).toMatch(/^HTTP\/1\.1 200 /);
  expect(await rawExchange(proc.port, health)).toBe('');
  // The log line may reach stderr after the client saw the close: the logger writes apart.
  await vi.waitFor(
    () => expect(proc!.stderr()).toContain('Closed a connection from the trusted proxy 127.0.0.1'),
    { timeout: 5000, interval: 20 },
  );
}, 30_000);
