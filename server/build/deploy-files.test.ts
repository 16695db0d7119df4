/**
 * The example deployments start the server with flags the CLI accepts and a data dir that
 * persists: a renamed or dropped flag must fail here, not on someone's server.
 * (Docker and systemd are not available on the test machines; build-server.test.ts runs
 * the files the container runs.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseCli } from '../cli/args';
import { SERVER_NODE_FLAGS } from '../node-flags';

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (file: string): string => fs.readFileSync(path.join(ROOT, file), 'utf8');

describe('deployment files', () => {
  it('Dockerfile: non-root, health check, CMD flags valid, data in the /data volume', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile.match(/^FROM /gm)!.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
    expect(dockerfile).toMatch(/^VOLUME \["\/data"\]$/m);
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]!) as string[];
    expect(parseCli(cmd, {})).toMatchObject({ host: '0.0.0.0', port: 8667, dataDir: '/data' });
  });

  it('Dockerfile and systemd unit run node with the server flags (server/node-flags.ts)', () => {
    const options = `NODE_OPTIONS=${SERVER_NODE_FLAGS.join(' ')}`;
    expect(read('Dockerfile')).toMatch(new RegExp(`^ENV ${options}$`, 'm'));
    expect(read('deploy/lanrage-server.service')).toMatch(
      new RegExp(`^Environment=${options}$`, 'm'),
    );
  });

  it('compose.yaml: the server on the Redis beside it, Redis with append-only persistence', () => {
    const compose = read('compose.yaml');
    const { services, volumes } = parse(compose) as {
      services: Record<string, { command: string[]; volumes: string[]; ports: string[] }>;
      volumes: Record<string, unknown>;
    };
    expect(parseCli(services.server!.command, {})).toMatchObject({
      dataDir: '/data',
      redisUrl: 'redis://redis:6379',
    });
    expect(services.server!.volumes).toContain('server-data:/data');
    // `--scale server=2` (said in its comment) needs a host port per replica: a range.
    expect(compose).toMatch(/--scale server=2/);
    expect(services.server!.ports).toEqual(['8667-8668:8667']);
    expect(services.redis!.command).toEqual(
      expect.arrayContaining(['--appendonly', 'yes', '--appendfsync', 'always']),
    );
    expect(Object.keys(volumes).sort()).toEqual(['redis-data', 'server-data']);
    expect(compose).toMatch(/--redis/);
  });

  it('systemd unit: ExecStart flags valid, state directory is the data dir, SIGTERM drains', () => {
    const unit = read('deploy/lanrage-server.service');
    const exec = /^ExecStart=\/usr\/bin\/node (\S+) (.*)$/m.exec(unit)!;
    expect(exec[1]).toBe('/opt/lanrage-server/cli.js');
    const args = parseCli(exec[2]!.split(/\s+/), {});
    expect(args.dataDir).toBe(`/var/lib/${/^StateDirectory=(\S+)$/m.exec(unit)![1]}`);
    expect(unit).toMatch(/^KillSignal=SIGTERM$/m);
    expect(unit).toMatch(/^DynamicUser=yes$/m);
  });
});
