/**
 * The database, its -wal/-shm and every backup hold session and invite tokens: owner-only
 * (0600) whatever the umask and whoever made the data dir. Under the usual umask (022) in a
 * data dir made by hand (0755) they were 0644, readable by every local user.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupDatabase } from './backup';
import { LOCK_FILE } from './data-dir-lock';
import { DB_FILE, SqlitePartyStore } from './sqlite-store';
import { TestRig, hostParty } from '../test-util/support';
import { spawnServer, type ServerProcess } from '../test-util/process';

let dir: string;
let umask: number;
let proc: ServerProcess | null = null;
const rig = new TestRig();

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lanrage-modes-'));
  fs.chmodSync(dir, 0o755);
  // The usual umask, which the server and its children inherit: files would be 0644.
  umask = process.umask(0o022);
});
afterEach(async () => {
  process.umask(umask);
  await rig.cleanup();
  await proc?.kill();
  proc = null;
  fs.rmSync(dir, { recursive: true, force: true });
});

const modeOf = (file: string): string => (fs.statSync(file).mode & 0o777).toString(8);
const dbFiles = () => [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`].map((f) => path.join(dir, f));

describe.runIf(process.platform !== 'win32')('file modes', () => {
  it('a new database in a data dir made 0755 is 0600, and so are its -wal and -shm', async () => {
    proc = await spawnServer(['--port', '0', '--data-dir', dir]);
    await hostParty(await rig.connect(proc.url), 'party_modes_x', 'h');
    expect(dbFiles().map(modeOf)).toEqual(['600', '600', '600']);
  });

  it('a database left 0644 (with its -wal and -shm) is made 0600 at start, and it says so', async () => {
    new SqlitePartyStore(dir).close();
    for (const file of dbFiles()) {
      if (!fs.existsSync(file)) fs.writeFileSync(file, '');
      fs.chmodSync(file, 0o644);
    }
    // A -wal and -shm of 0 bytes are what SQLite leaves after a checkpoint: a valid start.
    proc = await spawnServer(['--port', '0', '--data-dir', dir]);
    expect(dbFiles().map(modeOf)).toEqual(['600', '600', '600']);
    expect(proc.stderr()).toContain(
      `${path.join(dir, DB_FILE)} was mode 644; made it 600 (it holds session and invite tokens)`,
    );
  });

  // A lock file others may read, others may hold (a read lock): the next start then said
  // "Another LANrage server is using the data dir".
  it('a new lanrage.lock in a data dir made 0755 is 0600', async () => {
    proc = await spawnServer(['--port', '0', '--data-dir', dir]);
    expect(modeOf(path.join(dir, LOCK_FILE))).toBe('600');
  });

  it('a lanrage.lock left 0644 is made 0600 at start, and it says so', async () => {
    const lock = path.join(dir, LOCK_FILE);
    fs.writeFileSync(lock, '');
    fs.chmodSync(lock, 0o644);
    proc = await spawnServer(['--port', '0', '--data-dir', dir]);
    expect(modeOf(lock)).toBe('600');
    expect(proc.stderr()).toContain(
      `${lock} was mode 644; made it 600 (another user who can read it can keep the server ` +
        'from starting)',
    );
  });

  it('a backup is 0600 in a folder open to all', () => {
    new SqlitePartyStore(dir).close();
    const out = path.join(dir, 'public');
    fs.mkdirSync(out, { mode: 0o777 });
    const done = backupDatabase(dir, path.join(out, 'copy.db'));
    expect(modeOf(done.file)).toBe('600');
    expect(fs.readdirSync(out)).toEqual(['copy.db']);
  });
});
