/**
 * The example deployments start the server with flags the CLI accepts and a data dir that
 * persists: a renamed or dropped flag must fail here, not on someone's server.
 * (Docker and systemd are not available on the test machines; build-server.test.ts runs
 * the files the container runs.)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseCli } from '../cli/args';
import { SERVER_NODE_FLAGS } from '../node-flags';
import { composeServerEnv, dockerRuntimeEnv } from '../test-util/deploy-files';

interface ComposeService {
  secrets?: string[];
  user?: string;
  network_mode?: string;
  volumes?: string[];
  entrypoint?: string[];
}

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (file: string): string => fs.readFileSync(path.join(ROOT, file), 'utf8');

describe('deployment files', () => {
  it('Dockerfile: non-root, health check, ENV settings valid, data in the /data volume', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile.match(/^FROM /gm)!.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
    expect(dockerfile).toMatch(/^VOLUME \["\/data"\]$/m);
    // Settings as variables, so that flags after the image name add to them.
    expect(dockerfile).not.toMatch(/^CMD /m);
    expect(parseCli([], dockerRuntimeEnv(dockerfile))).toMatchObject({
      host: '0.0.0.0',
      port: 8667,
      dataDir: '/data',
    });
  });

  // node:20 reached its end of life on 2026-04-30: the image got no more security fixes.
  it('Dockerfile: every stage on a Node still supported (22 or newer)', () => {
    const majors = [...read('Dockerfile').matchAll(/^FROM node:(\d+)-\S+/gm)].map((m) =>
      Number(m[1]),
    );
    expect(majors.length).toBe(read('Dockerfile').match(/^FROM /gm)!.length);
    for (const major of majors) expect(major).toBeGreaterThanOrEqual(22);
  });

  // /usr/bin/node is not where a tarball or nvm puts Node, and Debian 12's own is 18: the unit
  // failed with 203/EXEC, saying nothing of why.
  it('systemd unit: says where node must be, and how to find it', () => {
    const unit = read('deploy/lanrage-server.service');
    const before = unit.slice(0, unit.indexOf('\nExecStart='));
    expect(before).toMatch(/Node\.js 20\.19 or newer/);
    expect(before).toContain('`command -v node`');
    expect(before).toContain('203/EXEC');
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
    const env = { ...dockerRuntimeEnv(read('Dockerfile')), ...composeServerEnv(['compose.yaml']) };
    expect(parseCli([], env)).toMatchObject({ dataDir: '/data', redisUrl: 'redis://redis:6379' });
    expect(services.server!.volumes).toContain('server-data:/data');
    // `--scale server=2` (said in its comment) needs a host port per replica: a range.
    expect(compose).toMatch(/--scale server=2/);
    expect(services.server!.ports).toEqual(['8667-8668:8667']);
    expect(services.redis!.command).toEqual(
      expect.arrayContaining(['--appendonly', 'yes', '--appendfsync', 'always']),
    );
    expect(Object.keys(volumes).sort()).toEqual(['redis-data', 'server-data']);
  });

  it('the relay and moderation overlays combine: each adds its settings, none replaces', () => {
    const image = dockerRuntimeEnv(read('Dockerfile'));
    const files = ['compose.yaml', 'compose.relay.yaml', 'compose.admin.yaml'];
    const args = parseCli([], { ...image, ...composeServerEnv(files) });
    expect(args).toMatchObject({
      host: '0.0.0.0',
      dataDir: '/data',
      redisUrl: 'redis://redis:6379',
      adminTokenFile: '/run/secrets/admin-token',
    });
    expect(args.turn).toEqual({
      urls: [
        'turn:relay.example.org:3478?transport=udp',
        'turn:relay.example.org:3478?transport=tcp',
      ],
      secretFile: '/run/secrets/turn-secret',
      ttlSeconds: 3600,
    });
    // Either overlay alone too.
    expect(parseCli([], { ...image, ...composeServerEnv(files.slice(0, 2)) }).adminTokenFile).toBe(
      null,
    );
    const adminOnly = parseCli([], { ...image, ...composeServerEnv([files[0]!, files[2]!]) });
    expect(adminOnly).toMatchObject({ turn: null, adminTokenFile: '/run/secrets/admin-token' });
  });

  it('compose.admin.yaml: the token as a secret file the server may read', () => {
    const admin = parse(read('compose.admin.yaml')) as {
      services: Record<string, ComposeService>;
      secrets: Record<string, { file: string }>;
    };
    expect(admin.secrets).toEqual({ 'admin-token': { file: './admin-token' } });
    expect(admin.services.server!.secrets).toEqual(['admin-token']);
    // Its comment's command runs the admin CLI of the image, which reads that same variable.
    expect(read('compose.admin.yaml')).toMatch(/exec server node \/app\/cli\.js admin parties$/m);
  });

  it("compose.relay.yaml: coturn sharing the server's secret file", () => {
    const relay = parse(read('compose.relay.yaml')) as {
      services: Record<string, ComposeService>;
      secrets: Record<string, { file: string }>;
    };
    const { server, coturn } = relay.services;
    expect(relay.secrets).toEqual({ 'turn-secret': { file: './turn-secret' } });
    expect(server!.secrets).toEqual(['turn-secret']);
    expect(coturn!.secrets).toEqual(['turn-secret']);
    // One mode-600 file for both: coturn runs as the server image's user (node, uid 1000).
    expect(read('Dockerfile')).toMatch(/^FROM node:\S+$/m);
    expect(coturn!.user).toBe('1000:1000');
    expect(coturn!.network_mode).toBe('host');
    expect(coturn!.volumes).toEqual(['./deploy/turnserver.conf:/etc/coturn/turnserver.conf:ro']);
  });

  it("compose.relay.yaml: coturn's entry point writes its config with the secret, owner-only", () => {
    const { services } = parse(read('compose.relay.yaml')) as {
      services: Record<string, ComposeService>;
    };
    const [shell, flag, script] = services.coturn!.entrypoint!;
    expect([shell, flag]).toEqual(['sh', '-c']);
    // Run as the container would, on temp files, with `cat` for turnserver.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lanrage-compose-'));
    try {
      const at = (name: string): string => path.join(dir, name);
      fs.writeFileSync(at('turn-secret'), 'the-shared-secret\n', { mode: 0o600 });
      const local = script!
        .replaceAll('$$', '$')
        .replaceAll('/etc/coturn/turnserver.conf', path.join(ROOT, 'deploy/turnserver.conf'))
        .replaceAll('/run/secrets/turn-secret', at('turn-secret'))
        .replaceAll('/tmp/turnserver.conf', at('turnserver.conf'))
        .replace('exec turnserver -c', 'exec cat');
      const output = execFileSync('sh', ['-c', local], { encoding: 'utf8' });
      expect(output).toBe(
        `${read('deploy/turnserver.conf')}static-auth-secret=the-shared-secret\n`,
      );
      expect(fs.statSync(at('turnserver.conf')).mode & 0o777).toBe(0o600);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('deploy/turnserver.conf: use-auth-secret, and no secret of its own to leak', () => {
    const conf = read('deploy/turnserver.conf');
    expect(conf).toMatch(/^use-auth-secret$/m);
    expect(conf).toMatch(/^realm=\S+$/m);
    expect(conf).not.toMatch(/^static-auth-secret/m);
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

  // Without an example, a host put `redis://:pw@` in ExecStart, where `ps` and `systemctl show`
  // show it; each secret comes through LoadCredential, and the flags that read it parse.
  it('systemd unit: each commented secret flag has its LoadCredential, Redis included', () => {
    const unit = read('deploy/lanrage-server.service');
    const exec = /^ExecStart=\S+ \S+ (.*)$/m.exec(unit)![1]!.split(/\s+/);
    const extras = [...unit.matchAll(/^# {3}(--.*)$/gm)].map((m) => m[1]!);
    expect(extras.some((line) => line.includes('--redis-password-file'))).toBe(true);
    for (const line of extras) {
      const argv = line.replaceAll('${CREDENTIALS_DIRECTORY}', '/run/credentials/x').split(' ');
      expect(() => parseCli([...exec, ...argv], {}), line).not.toThrow();
      for (const [, name] of line.matchAll(/\$\{CREDENTIALS_DIRECTORY\}\/(\S+)/g)) {
        // The secrets in the host's own folder; the TLS files where certbot keeps them.
        const from = name!.startsWith('tls-')
          ? '/etc/letsencrypt/live/\\S+'
          : `/etc/lanrage-server/${name}`;
        expect(unit).toMatch(new RegExp(`^#LoadCredential=${name}:${from}$`, 'm'));
      }
    }
    // The password is not in the URL.
    const redis = extras.find((l) => l.includes('--redis '))!.split(' ');
    expect(parseCli([...exec, ...redis], {}).redisUrl).toMatch(/^redis:\/\/[^:@]+:\d+$/);
  });

  // The unit's dynamic user cannot read a key only root may read (certbot's are): with
  // --tls-cert on ExecStart alone, the server stopped at start, `cannot be read (EACCES)`.
  it('systemd unit: the TLS files come through LoadCredential too, and a renewal restarts', () => {
    const unit = read('deploy/lanrage-server.service');
    const extras = [...unit.matchAll(/^# {3}(--.*)$/gm)].map((m) => m[1]!);
    const tls = extras.find((line) => line.includes('--tls-cert'))!;
    expect(tls).toBe(
      '--tls-cert ${CREDENTIALS_DIRECTORY}/tls-cert --tls-key ${CREDENTIALS_DIRECTORY}/tls-key',
    );
    expect(unit).toMatch(/^#LoadCredential=tls-key:\S+privkey\.pem$/m);
    expect(unit).toMatch(/read at start only: after a renewal, `systemctl restart/);
  });

  // A flag the server cannot take exits 2 (server/cli.ts's orExit): retried every 2 s, it
  // filled the journal until the start limit stopped the unit.
  it('systemd unit: a refused setting (exit 2) is not restarted', () => {
    const unit = read('deploy/lanrage-server.service');
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(/^RestartPreventExitStatus=2$/m);
  });
});
