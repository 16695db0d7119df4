/**
 * Only damage sets a database aside (storage-faults.test.ts). A check or open that fails for
 * another reason (a full disk, a folder in a file's place) stops the server, exit 1, naming
 * the error and the file, and leaves every file as it was. A start on a full disk used to
 * call the healthy database "corrupt (disk I/O error)" and set it aside, leaving a 0-byte
 * lanrage.db that the next start, with room again, set aside too before going live empty.
 * And `backup` to a full disk says it is the destination that is full.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, type TestContext } from 'vitest';
import Database from 'better-sqlite3';
import { lockDataDir } from './data-dir-lock';
import { silentLogger } from '../../shared/logger';
import { DB_FILE, SqlitePartyStore } from './sqlite-store';
import { TestRig, hostParty } from '../test-util/support';
import { runServerExpectingExit, spawnServer, type ServerProcess } from '../test-util/process';

let dir: string;
let proc: ServerProcess | null = null;
let unmount: (() => void) | null = null;
const rig = new TestRig();

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lanrage-not-damage-'));
});
afterEach(async () => {
  await rig.cleanup();
  await proc?.kill();
  proc = null;
  unmount?.();
  unmount = null;
  fs.rmSync(dir, { recursive: true, force: true });
});

const db = (where = dir) => path.join(where, DB_FILE);
const listing = (where: string) => fs.readdirSync(where).sort();
const start = (where: string) => runServerExpectingExit(['--port', '0', '--data-dir', where]);

/** The server's refusal: exit 1, the file and the error named, nothing set aside. */
function expectStopped(out: { code: number | string; stderr: string; stdout: string }): void {
  expect(out.code).toBe(1);
  expect(out.stdout).not.toContain('listening');
  expect(out.stderr).not.toMatch(/STORAGE FAULT|is corrupt|corrupt-/);
  expect(out.stderr).toContain('left every file as it is');
}

describe('a database that cannot be checked, and is not damaged', () => {
  it('a folder in its -wal place: exits 1 naming SQLITE_CANTOPEN, sets nothing aside', async () => {
    new SqlitePartyStore(dir).close();
    const bytes = fs.readFileSync(db());
    fs.mkdirSync(`${db()}-wal`);
    const before = listing(dir);
    const out = await start(dir);
    expectStopped(out);
    expect(out.stderr).toContain(
      `The database ${db()} could not be checked: unable to open database file (SQLITE_CANTOPEN)`,
    );
    // lanrage.lock is the server's own, taken before the check.
    expect(listing(dir).filter((f) => f !== 'lanrage.lock')).toEqual(before);
    expect(fs.readFileSync(db())).toEqual(bytes);
  });

  it('a folder in its place: exits 1 saying so, sets nothing aside', async () => {
    fs.mkdirSync(db());
    const out = await start(dir);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`The database ${db()} is a folder`);
    expect(out.stderr).not.toMatch(/STORAGE FAULT|corrupt-/);
    expect(fs.statSync(db()).isDirectory()).toBe(true);
  });
});

/** A 2 MB tmpfs at `where` (root only); false where it cannot be mounted. */
function mountSmall(where: string): boolean {
  fs.mkdirSync(where);
  if (process.getuid?.() !== 0) return false;
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', where]);
  if (mounted.status !== 0) return false;
  unmount = () => void spawnSync('umount', [where]);
  return true;
}

/** Fills the file system of `where` to the last byte, as growing logs would. */
function fillDisk(where: string): string {
  const filler = path.join(where, 'filler');
  const fd = fs.openSync(filler, 'w');
  const chunk = Buffer.alloc(4096, 1);
  try {
    for (let i = 0; i < 4096; i += 1) fs.writeSync(fd, chunk);
    throw new Error('the tmpfs did not fill up');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    fs.closeSync(fd);
  }
  return filler;
}

const NEEDS_ROOT = 'a full disk needs a small tmpfs, which only root may mount (CI runs as root)';

describe.runIf(process.platform === 'linux')('a full disk at start', () => {
  it('exits 1 naming the error, leaves every file; with room again every party is back', async (ctx: TestContext) => {
    const data = path.join(dir, 'data');
    if (!mountSmall(data)) return ctx.skip(NEEDS_ROOT);
    proc = await spawnServer(['--port', '0', '--data-dir', data]);
    await hostParty(await rig.connect(proc.url), 'party_kept_x', 'h');
    await proc.kill('SIGTERM');
    proc = null;
    const bytes = fs.readFileSync(db(data));
    const filler = fillDisk(data);
    const before = listing(data);

    const out = await start(data);
    expectStopped(out);
    expect(out.stderr).toMatch(
      new RegExp(`The database ${db(data)} could not be checked: .* \\(SQLITE_(IOERR|FULL)\\w*\\)`),
    );
    expect(out.stderr).toContain(`df -h ${data}`);
    expect(listing(data)).toEqual(before);
    expect(fs.readFileSync(db(data))).toEqual(bytes);

    fs.rmSync(filler);
    proc = await spawnServer(['--port', '0', '--data-dir', data]);
    expect(proc.stderr()).toContain('Loaded 1 party');
    expect(proc.stderr()).not.toMatch(/STORAGE FAULT/);
  }, 30_000);

  it('on a fresh data dir, leaves no 0-byte lanrage.db for the next start to set aside', async (ctx: TestContext) => {
    const data = path.join(dir, 'data');
    if (!mountSmall(data)) return ctx.skip(NEEDS_ROOT);
    lockDataDir(data, silentLogger).release(); // lanrage.lock is made first, while there is room
    fillDisk(data);
    const before = listing(data);
    const out = await start(data);
    expectStopped(out);
    expect(out.stderr).toContain(`The database ${db(data)} could not be opened`);
    expect(out.stderr).toMatch(/\(SQLITE_FULL\)/);
    expect(listing(data)).toEqual(before);
  }, 30_000);

  it('backup: says the destination is full, and leaves no file there', async (ctx: TestContext) => {
    const to = path.join(dir, 'backups');
    if (!mountSmall(to)) return ctx.skip(NEEDS_ROOT);
    new SqlitePartyStore(dir).close();
    const big = new Database(db());
    big.exec('CREATE TABLE ballast (b BLOB); INSERT INTO ballast VALUES (randomblob(3000000))');
    big.close();
    const out = await runServerExpectingExit(['backup', path.join(to, 'b.db'), '--data-dir', dir]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(
      new RegExp(
        `^lanrage-server backup: The destination ${to} is full \\(\\d+ bytes free; the copy needs about \\d+\\): database or disk is full\\.`,
      ),
    );
    expect(fs.readdirSync(to)).toEqual([]);
  }, 30_000);
});
