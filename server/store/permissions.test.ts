/**
 * A data dir, lock file or database the server's user may not write (made or put back by
 * root for a server that runs as its own user, as the systemd unit's DynamicUser does): the
 * server stops at start naming the file and what to do. As root the tests run it without
 * capabilities (WITHOUT_PRIVILEGES), so file modes bind it. It used to say SQLite's "unable to
 * open database file", or to start on a read-only database and refuse every change.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_FILE } from './data-dir-lock';
import { DB_FILE, SqlitePartyStore } from './sqlite-store';
import { runServerExpectingExit, WITHOUT_PRIVILEGES } from '../test-util/process';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lanrage-perms-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the server on `dir` with `file` in it (or `dir` itself) read-only (0444 / 0555). */
async function runWithReadOnly(file: string): Promise<{ code: number | string; out: string }> {
  fs.chmodSync(file, file === dir ? 0o555 : 0o444);
  const args = ['--port', '0', '--data-dir', dir];
  const { code, stdout, stderr } = await runServerExpectingExit(args, WITHOUT_PRIVILEGES);
  fs.chmodSync(file, 0o755);
  expect(stdout).not.toContain('listening');
  return { code, out: stdout + stderr };
}

describe.runIf(process.platform === 'linux')('files the server may not write', () => {
  it('a data dir: exits 1 naming it', async () => {
    const { code, out } = await runWithReadOnly(dir);
    expect(code).toBe(1);
    expect(out).toContain(`The data dir ${dir} is not writable by the user this server runs as`);
  }, 20_000);

  it('its lock file: exits 1 naming it', async () => {
    fs.writeFileSync(path.join(dir, LOCK_FILE), '');
    const { code, out } = await runWithReadOnly(path.join(dir, LOCK_FILE));
    expect(code).toBe(1);
    expect(out).toContain(`Cannot lock ${path.join(dir, LOCK_FILE)}: attempt to write a readonly`);
  }, 20_000);

  it('its database: exits 1 saying what to do, instead of starting and refusing every change', async () => {
    new SqlitePartyStore(dir).close();
    const { code, out } = await runWithReadOnly(path.join(dir, DB_FILE));
    expect(code).toBe(1);
    expect(out).toContain(`The database ${path.join(dir, DB_FILE)} cannot be written by the user`);
  }, 20_000);

  // A backup is 0600 and its copier's: put back by root without the chown, SQLite said "unable
  // to open database file", the check called the copy corrupt, set it aside, and the server
  // went live with no parties.
  it('its database restored by another user, 0600: exits 1 naming owner, mode and the chown', async () => {
    new SqlitePartyStore(dir).close();
    const file = path.join(dir, DB_FILE);
    const root = process.getuid?.() === 0;
    // Not as root: a file its owner may not read (0000) is the nearest it can make.
    if (root) fs.chownSync(file, 65534, 65534);
    fs.chmodSync(file, root ? 0o600 : 0o000);
    const { code, stdout, stderr } = await runServerExpectingExit(
      ['--port', '0', '--data-dir', dir],
      WITHOUT_PRIVILEGES,
    );
    fs.chmodSync(file, 0o600);
    expect(stdout).not.toContain('listening');
    expect(code).toBe(1);
    expect(stderr).toContain(`The database ${file} cannot be read by the user this server runs as`);
    const owner = root ? 'uid 65534 (gid 65534), mode 0600' : `uid ${process.getuid?.()}`;
    expect(stderr).toContain(`it is owned by ${owner}`);
    expect(stderr).toContain(`\`chown --reference=${dir} ${file}\``);
    expect(fs.readdirSync(dir).sort()).toEqual([DB_FILE, LOCK_FILE]);
  }, 20_000);
});

/** A read-only tmpfs at `dir`, where root may mount one; null where it may not. */
function mountReadOnly(where: string): (() => void) | null {
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', where]);
  return mounted.status === 0 ? () => void spawnSync('umount', [where]) : null;
}

describe.runIf(process.platform === 'linux' && process.getuid?.() === 0)(
  'a read-only mount',
  () => {
    it('stops the server saying so, not asking for a chown that cannot help', async (ctx) => {
      const where = path.join(dir, 'data');
      fs.mkdirSync(where);
      const unmount = mountReadOnly(where);
      if (!unmount) return ctx.skip();
      try {
        const { code, stdout, stderr } = await runServerExpectingExit([
          '--port',
          '0',
          '--data-dir',
          where,
        ]);
        expect(code).toBe(1);
        expect(stdout + stderr).toContain(
          `The data dir ${where} is on a read-only file system (EROFS): mount it read-write`,
        );
        expect(stdout + stderr).not.toContain('chown');
      } finally {
        unmount();
      }
    }, 20_000);
  },
);
