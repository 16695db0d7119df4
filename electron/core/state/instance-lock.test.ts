/**
 * The single-app lock across real processes: another process holding the instance dir is
 * refused with a sentence; one killed with SIGKILL (no chance to clean up) holds nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../test-util/temp-dir';
import { heldMessage, lockAddress, lockInstance, pipeName } from './instance-lock';
import { LOCK_ID_FILE } from './lock-pipe-id';

let temp: ReturnType<typeof makeTempDir>;
const children: ChildProcess[] = [];
const warnings: string[] = [];
const warn = (why: string) => warnings.push(why);

beforeEach(() => {
  temp = makeTempDir('lanrage-lock-');
  warnings.length = 0;
});
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  temp.cleanup();
});

/** Another process that takes the lock and says so, then waits. */
async function holder(dir: string): Promise<ChildProcess> {
  const module = join(import.meta.dirname, 'instance-lock.ts');
  const code = `import(${JSON.stringify(module)}).then(async (m) => {
    await m.lockInstance(${JSON.stringify(dir)}, () => {});
    console.log('held');
    setInterval(() => {}, 1000);
  });`;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', code], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`holder exited ${code}`)));
  });
  return child;
}

describe('the single-app lock on an instance dir', () => {
  it('refuses a second app while the first runs, and is free once it is killed', async () => {
    const dir = join(temp.dir, 'home');
    const first = await holder(dir);
    await expect(lockInstance(dir, warn)).rejects.toThrow(heldMessage(dir));
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    // Its socket file is still there; nobody answers on it.
    expect(existsSync(join(dir, 'app.lock'))).toBe(true);
    const lock = await lockInstance(dir, warn);
    expect(warnings).toEqual([]);
    lock.release();
  });

  it('is taken again in the same process once released, and held by one of two at once', async () => {
    const dir = join(temp.dir, 'home');
    const lock = await lockInstance(dir, warn);
    await expect(lockInstance(dir, warn)).rejects.toThrow('already running');
    lock.release();
    await new Promise((resolve) => setTimeout(resolve, 20));
    (await lockInstance(dir, warn)).release();
  });

  it('is held by one of several apps that start at once beside a crashed one', async () => {
    const dir = join(temp.dir, 'home');
    const crashed = await holder(dir);
    crashed.kill('SIGKILL');
    await new Promise((resolve) => crashed.once('exit', resolve));
    // Each saw the dead socket; each must not clear the one another has just made.
    const starts = await Promise.allSettled([1, 2, 3].map(() => lockInstance(dir, warn)));
    const held = starts.filter((start) => start.status === 'fulfilled');
    expect(held).toHaveLength(1);
    for (const start of starts) {
      if (start.status === 'rejected') expect(String(start.reason)).toContain(heldMessage(dir));
    }
    for (const start of held) start.value.release();
    expect(warnings).toEqual([]);
  });

  // It turned the lock off (a warning on stderr only), and two apps then shared the home.
  it('moves a directory named app.lock aside, says so, and takes the lock', async () => {
    const dir = join(temp.dir, 'home');
    mkdirSync(join(dir, 'app.lock', 'inside'), { recursive: true });
    const reports: string[] = [];
    const lock = await lockInstance(dir, warn, (m) => reports.push(m));
    const aside = readdirSync(dir).filter((f) => f.startsWith('app.lock.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(existsSync(join(dir, aside[0]!, 'inside'))).toBe(true);
    expect(reports).toEqual([
      `Something that is not LANrage's lock was at ${join(dir, 'app.lock')} (a folder, say): LANrage kept it as ${join(dir, aside[0]!)} and took its lock there.`,
    ]);
    expect(warnings).toEqual([]);
    // Held for real: a second app is refused.
    await expect(lockInstance(dir, warn)).rejects.toThrow(heldMessage(dir));
    lock.release();
  });

  it('lets another instance dir of the same home run', async () => {
    const a = await lockInstance(join(temp.dir, 'home'), warn);
    const b = await lockInstance(join(temp.dir, 'home', 'instances', 'two'), warn);
    a.release();
    b.release();
    expect(warnings).toEqual([]);
  });

  /** An instance dir whose path is 200 characters: far too long for a socket file in it. */
  function longDir(name = 'home'): string {
    const dir = join(temp.dir, name.padEnd(200 - temp.dir.length - 1, 'x'));
    expect(dir).toHaveLength(200);
    return dir;
  }

  // Its lock was off (a line on stderr only): two apps ran on one home, each saving over the other.
  it('holds a home whose path is too long for a socket: a second app is refused', async () => {
    const dir = longDir();
    const first = await holder(dir);
    await expect(lockInstance(dir, warn)).rejects.toThrow(heldMessage(dir));
    expect(lockAddress(dir, 'linux')).toMatch(/^\0lanrage-[0-9a-f]{32}$/);
    // Another spelling of the same folder (a link to it) is the same lock.
    symlinkSync(dir, join(temp.dir, 'link'));
    await expect(lockInstance(join(temp.dir, 'link'), warn)).rejects.toThrow('already running');
    // Another long folder is another lock.
    (await lockInstance(longDir('other'), warn)).release();
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const lock = await lockInstance(dir, warn);
    await expect(lockInstance(dir, warn)).rejects.toThrow(heldMessage(dir));
    lock.release();
    await new Promise((resolve) => setTimeout(resolve, 20));
    (await lockInstance(dir, warn)).release();
    expect(warnings).toEqual([]);
  });

  // A socket's path holds 107 bytes on Linux, 103 on macOS; a socket file past that is no lock.
  it('keeps its socket file in the dir while it and its clearing socket fit in 100 bytes', async () => {
    const base = realpathSync(temp.dir);
    /** A dir whose path is `bytes` long: the temp dir, then `lead` and as many "x". */
    const sized = (bytes: number, lead = '') => {
      const xs = bytes - Buffer.byteLength(base) - 1 - Buffer.byteLength(lead);
      const dir = join(base, lead + 'x'.repeat(xs));
      mkdirSync(dir);
      expect(Buffer.byteLength(dir)).toBe(bytes);
      return dir;
    };
    // `<dir>/app.lock.clearing` is 18 bytes more than the dir's path.
    const fits = sized(82);
    expect(lockAddress(fits, 'linux')).toBe(join(fits, 'app.lock'));
    expect(lockAddress(sized(83), 'linux')).toMatch(/^\0lanrage-[0-9a-f]{32}$/);
    // Bytes, not characters: "é" is two (82 characters here).
    expect(lockAddress(sized(83, 'é'), 'linux')).toMatch(/^\0lanrage-[0-9a-f]{32}$/);
    const lock = await lockInstance(fits, warn);
    expect(statSync(join(fits, 'app.lock')).isSocket()).toBe(true);
    await expect(lockInstance(fits, warn)).rejects.toThrow(heldMessage(fits));
    lock.release();
    expect(warnings).toEqual([]);
  });

  it('elsewhere than Linux, a long path locks a socket in the temp folder', () => {
    const dir = longDir();
    mkdirSync(dir);
    const address = lockAddress(dir, 'darwin', warn, '/var/folders/ab/T');
    expect(address).toMatch(/^\/var\/folders\/ab\/T\/lanrage-[0-9a-f]{32}\.sock$/);
    // Named by the folder and its secret id: not by the path alone, which anyone can guess.
    expect(lockAddress(dir, 'linux')?.slice(1)).toBe(/lanrage-[0-9a-f]{32}/.exec(address!)?.[0]);
    rmSync(join(dir, LOCK_ID_FILE));
    expect(lockAddress(dir, 'darwin', warn, '/var/folders/ab/T')).not.toBe(address);
    expect(lockAddress(dir, 'darwin', warn, `/${'t'.repeat(80)}`)).toBeNull();
  });

  it('tells the user, not only the log, when it starts without a lock', async () => {
    writeFileSync(join(temp.dir, 'file'), '');
    const dir = join(temp.dir, 'file', 'home');
    const reports: string[] = [];
    (await lockInstance(dir, warn, (m) => reports.push(m))).release();
    expect(reports).toEqual([
      `LANrage could not take its single-app lock for ${dir} (a file is where its folder should be): a second LANrage started on the same files would not be refused.`,
    ]);
    expect(warnings).toHaveLength(1);
  });

  it('is a named pipe on Windows, one per instance dir whatever its case', () => {
    const id = 'ab'.repeat(16);
    const a = pipeName('C:\\Users\\Ann\\LANrage', id);
    expect(a).toMatch(/^\\\\\.\\pipe\\lanrage-[0-9a-f]{32}$/);
    expect(pipeName('c:\\users\\ann\\lanrage', id)).toBe(a);
    expect(pipeName('C:\\Users\\Bob\\LANrage', id)).not.toBe(a);
  });

  it('on Windows, the pipe name cannot be told from the path: it holds a secret id', () => {
    const dir = join(temp.dir, 'home');
    mkdirSync(dir, { mode: 0o700 });
    const first = lockAddress(dir, 'win32');
    const id = readFileSync(join(dir, LOCK_ID_FILE), 'utf8').trim();
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(statSync(join(dir, LOCK_ID_FILE)).mode & 0o777).toBe(0o600);
    // Every start of this instance dir listens on the same pipe.
    expect(lockAddress(dir, 'win32')).toBe(first);
    expect(first).toBe(pipeName(dir, id));
    // The same path with another id (another user's guess, a new install): another pipe.
    rmSync(join(dir, LOCK_ID_FILE));
    expect(lockAddress(dir, 'win32')).not.toBe(first);
    expect(readdirSync(dir)).toEqual([LOCK_ID_FILE]);
  });

  it('on Windows, an instance dir from an older version gets an id; a damaged one is kept aside', () => {
    const dir = join(temp.dir, 'home');
    mkdirSync(dir);
    writeFileSync(join(dir, 'config.json'), '{}');
    expect(lockAddress(dir, 'win32')).toMatch(/lanrage-[0-9a-f]{32}$/);
    expect(existsSync(join(dir, LOCK_ID_FILE))).toBe(true);
    writeFileSync(join(dir, LOCK_ID_FILE), 'not an id');
    const again = lockAddress(dir, 'win32', warn);
    expect(again).toBe(pipeName(dir, readFileSync(join(dir, LOCK_ID_FILE), 'utf8').trim()));
    expect(warnings).toEqual([expect.stringMatching(/held no lock id; it is kept as .*corrupt/)]);
    const aside = readdirSync(dir).filter((name) => name.includes('.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir, aside[0]!), 'utf8')).toBe('not an id');
  });
});
