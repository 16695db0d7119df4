import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../core/test-util/temp-dir';
import { SPEC_STATE_JSON } from '../core/test-util/fixtures';
import { PORT_MESSAGE } from '../../shared/values/port';
import { bundled } from '../../server/test-util/bundles';

const root = join(import.meta.dirname, '..', '..');
let temp: ReturnType<typeof makeTempDir>;
const children: ChildProcess[] = [];

function run(args: string[]): { child: ChildProcess; stdout: () => string; stderr: () => string } {
  const child = spawn(process.execPath, [bundled('headless'), ...args], {
    cwd: root,
    env: {
      ...process.env,
      LANRAGE_HOME: join(temp.dir, 'home'),
      LANRAGE_PEER_NAME: 'Cli',
      // Tests keep multicast off the machine's real network.
      LANRAGE_MDNS_INTERFACE: '127.0.0.1',
      LANRAGE_LAN_DISCOVERY: 'off',
      // A party it hosts is served on 127.0.0.1, on a free port.
      LANRAGE_LAN_LISTEN: '0',
      LANRAGE_LAN_PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  return { child, stdout: () => out, stderr: () => err };
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

beforeEach(() => {
  temp = makeTempDir('lanrage-cli-');
  mkdirSync(join(temp.dir, 'renderer'));
  writeFileSync(join(temp.dir, 'renderer', 'index.html'), '<!doctype html><title>LANrage</title>');
});

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited(child);
    }
  }
  temp.cleanup();
});

describe('npm run headless', () => {
  it('prints exactly the URL line, serves, and exits 0 on SIGTERM after saving state', async () => {
    const proc = run(['--port', '0', '--renderer-dir', join(temp.dir, 'renderer')]);
    for (let i = 0; i < 300 && !proc.stdout().includes('\n'); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const match =
      /^LANrage headless UI at http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+)\n$/.exec(
        proc.stdout(),
      );
    expect(match, proc.stdout() + proc.stderr()).not.toBeNull();
    const page = await fetch(`http://127.0.0.1:${match![1]}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>LANrage</title>');
    proc.child.kill('SIGTERM');
    expect(await exited(proc.child)).toBe(0);
    expect(existsSync(join(temp.dir, 'home', 'control_state.json'))).toBe(true);
  });

  it('keeps stdout to the URL line while it logs (hosting a saved party) on stderr', async () => {
    mkdirSync(join(temp.dir, 'home'), { recursive: true });
    writeFileSync(join(temp.dir, 'home', 'control_state.json'), SPEC_STATE_JSON);
    const proc = run(['--port', '0', '--renderer-dir', join(temp.dir, 'renderer')]);
    const ready = () =>
      proc.stderr().includes('Hosting parties on port') && proc.stdout().includes('\n');
    for (let i = 0; i < 300 && !ready(); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(proc.stderr()).toContain('[lanrage] Hosting parties on port');
    expect(proc.stdout()).toMatch(
      /^LANrage headless UI at http:\/\/127\.0\.0\.1:\d+\/\?token=\S+\n$/,
    );
  });

  it('SIGUSR2 stands for the PC going to sleep: its party is told, and it runs on', async () => {
    mkdirSync(join(temp.dir, 'home'), { recursive: true });
    writeFileSync(join(temp.dir, 'home', 'control_state.json'), SPEC_STATE_JSON);
    const proc = run(['--port', '0', '--renderer-dir', join(temp.dir, 'renderer')]);
    const ready = () =>
      proc.stderr().includes('Hosting parties on port') && proc.stdout().includes('\n');
    for (let i = 0; i < 300 && !ready(); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    // Asked again while its link to its own embedded server may still be coming up.
    const told = 'Going to sleep: the party was told';
    for (let i = 0; i < 100 && !proc.stderr().includes(told) && proc.child.exitCode === null; i++) {
      if (i % 10 === 0) proc.child.kill('SIGUSR2');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(proc.stderr()).toContain(told);
    expect(proc.child.exitCode).toBeNull();
    proc.child.kill('SIGTERM');
    expect(await exited(proc.child)).toBe(0);
  });

  it('a second app on the same home refuses to start, even on another port', async () => {
    const renderer = join(temp.dir, 'renderer');
    const first = run(['--port', '0', '--renderer-dir', renderer]);
    for (let i = 0; i < 300 && !first.stdout().includes('\n'); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(first.stdout()).toContain('LANrage headless UI at');
    const second = run(['--port', '0', '--renderer-dir', renderer]);
    expect(await exited(second.child)).toBe(2);
    expect(second.stderr()).toContain(`LANrage is already running with ${join(temp.dir, 'home')}`);
    expect(second.stdout()).toBe('');
    expect(first.child.exitCode).toBeNull();
  });

  it('--help prints the usage and exits 0', async () => {
    const { child, stdout } = run(['--help']);
    expect(await exited(child)).toBe(0);
    expect(stdout()).toMatch(/^usage: npm run headless -- \[--port 8666\]/);
    expect(stdout()).toContain('--renderer-dir D');
  });

  // It named four of the ten; LANRAGE_LAN_PORT and LANRAGE_LAN_LISTEN stop it when bad.
  it('--help names every LANRAGE_ variable the app core reads', async () => {
    const { child, stdout } = run(['--help']);
    expect(await exited(child)).toBe(0);
    const core = join(root, 'electron', 'core');
    const read = new Set<string>();
    for (const file of readdirSync(core, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts') || file.includes('test-util'))
        continue;
      const text = readFileSync(join(core, file), 'utf8');
      for (const [name] of text.matchAll(/\bLANRAGE_[A-Z_]+/g)) read.add(name);
    }
    expect(read.size).toBeGreaterThanOrEqual(10);
    for (const name of read) expect(stdout()).toMatch(new RegExp(`^  ${name} `, 'm'));
  });

  // `--port -1` and an unknown flag were node's three lines ("argument is ambiguous…"); a flag
  // given twice took its last value. Now the server's reader: one line, then the usage.
  it('refuses bad flags in one plain line, then the usage line, exit 2', async () => {
    const cases = [
      { args: ['--port', 'eighty'], message: `--port: ${PORT_MESSAGE}` },
      { args: ['--port', ''], message: `--port: ${PORT_MESSAGE}` },
      { args: ['--port', '70000'], message: `--port: ${PORT_MESSAGE}` },
      { args: ['--port', '-1'], message: `--port: ${PORT_MESSAGE}` },
      { args: ['--port'], message: '--port: needs a value' },
      { args: ['--port', '0', '--port', 'x'], message: '--port: given more than once' },
      { args: ['--help=yes'], message: '--help: takes no value' },
      { args: ['--prot', '1'], message: "Unknown option '--prot'" },
      { args: ['--bogus'], message: "Unknown option '--bogus'" },
    ];
    // Spawned together: each one is a whole process start.
    const procs = cases.map(({ args }) => run(args));
    const codes = await Promise.all(procs.map((p) => exited(p.child)));
    cases.forEach(({ args, message }, i) => {
      expect(codes[i], args.join(' ')).toBe(2);
      expect(procs[i]!.stderr().split('\n')).toEqual([
        `LANrage headless: ${message}`,
        expect.stringMatching(/^usage: npm run headless -- \[--port 8666\]/),
        '',
      ]);
      expect(procs[i]!.stdout()).toBe('');
    });
  });

  it('explains a missing renderer build', async () => {
    const proc = run(['--port', '0', '--renderer-dir', join(temp.dir, 'nope')]);
    expect(await exited(proc.child)).toBe(2);
    expect(proc.stderr()).toContain('No built renderer');
  });
});
