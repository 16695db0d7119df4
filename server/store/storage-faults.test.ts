import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupDatabase } from './backup';
import { databaseFault } from './db-health';
import { DB_FILE, SqlitePartyStore } from './sqlite-store';
import { TestRig, hostParty, peerDict } from '../test-util/support';
import { runServerExpectingExit, spawnServer, type ServerProcess } from '../test-util/process';

let dir: string;
let proc: ServerProcess | null = null;
const rig = new TestRig();

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lanrage-faults-'));
});
afterEach(async () => {
  await rig.cleanup();
  await proc?.kill();
  proc = null;
  fs.rmSync(dir, { recursive: true, force: true });
});

const db = () => path.join(dir, DB_FILE);
const asideFiles = () => fs.readdirSync(dir).filter((f) => f.startsWith(`${DB_FILE}.corrupt-`));
const GARBAGE = Buffer.from('this is not an SQLite database\n'.repeat(300));

async function canHostAParty(url: string): Promise<void> {
  const c = await rig.connect(url);
  await hostParty(c, 'party_fresh_x', 'h');
}

describe('a corrupt or empty database', () => {
  it('is set aside with its WAL and SHM, logged loudly, and the server starts empty', async () => {
    fs.writeFileSync(db(), GARBAGE);
    fs.writeFileSync(`${db()}-wal`, 'wal bytes');
    fs.writeFileSync(`${db()}-shm`, 'shm bytes');
    proc = await spawnServer(['--port', '0', '--data-dir', dir]);
    expect(proc.stderr()).toMatch(/STORAGE FAULT: the database .*lanrage\.db is corrupt/);
    const aside = asideFiles().sort();
    expect(aside).toHaveLength(3);
    const [main, shm, wal] = aside;
    expect(main).toMatch(/^lanrage\.db\.corrupt-\d{4}-\d\d-\d\dT[\d-]+Z$/);
    expect(fs.readFileSync(path.join(dir, main!))).toEqual(GARBAGE);
    expect(wal).toBe(`${main}-wal`);
    expect(shm).toBe(`${main}-shm`);
    expect(fs.readFileSync(path.join(dir, wal!), 'utf8')).toBe('wal bytes');
    await canHostAParty(proc.url);
  });

  it('with --on-corrupt refuse, the server does not start, says what to do and leaves the file', async () => {
    fs.writeFileSync(db(), GARBAGE);
    const { code, stderr } = await runServerExpectingExit([
      '--port',
      '0',
      '--data-dir',
      dir,
      '--on-corrupt',
      'refuse',
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/is corrupt/);
    expect(stderr).toMatch(/--on-corrupt set-aside/);
    // A -wal left beside a restored copy is laid over it: the restore would not happen.
    expect(stderr).toContain(`move ${db()}, ${db()}-wal and ${db()}-shm aside if they are there`);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(fs.readFileSync(db())).toEqual(GARBAGE);
    expect(asideFiles()).toEqual([]);
  });

  it('reports a 0-byte database instead of silently starting on it', async () => {
    fs.writeFileSync(db(), '');
    proc = await spawnServer(['--port', '0', '--data-dir', dir]);
    expect(proc.stderr()).toMatch(/STORAGE FAULT: .* is empty \(0 bytes\)/);
    expect(asideFiles()).toHaveLength(1);
    await canHostAParty(proc.url);
  });

  it('finds damage inside a database whose header is intact', async () => {
    proc = await spawnServer(['--port', '0', '--data-dir', dir]);
    const c = await rig.connect(proc.url);
    await c.hello();
    for (let i = 0; i < 40; i += 1) {
      await c.request({
        type: 'register_party',
        party_id: `p${i}`,
        name: 'P'.repeat(60),
        host_peer: peerDict(`h${i}`),
      });
      if (i % 3 === 2) c.received.length = 0;
    }
    await proc.kill('SIGTERM');
    proc = null;
    expect(databaseFault(db())).toBeNull();
    const fd = fs.openSync(db(), 'r+');
    fs.writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, 4096);
    fs.closeSync(fd);
    expect(databaseFault(db())).toMatch(/is corrupt/);
  });
});

describe('backup', () => {
  it('copies a running server consistently; a server started from the copy has every party', async () => {
    proc = await spawnServer(['--port', '0', '--data-dir', dir]);
    const host = await rig.connect(proc.url);
    const token = await hostParty(host, 'party_p1_x', 'h');
    const guest = await rig.connect(proc.url);
    await guest.request({ type: 'join_party', party_id: 'party_p1_x', peer: peerDict('g') });
    const file = path.join(dir, 'copy.db');
    const backup = await runServerExpectingExit(['backup', file, '--data-dir', dir]);
    expect(backup).toMatchObject({ code: 0 });
    expect(backup.stdout).toMatch(/Backed up 1 party \(/);
    await proc.kill('SIGKILL');

    const restored = path.join(dir, 'restored');
    fs.mkdirSync(restored);
    fs.copyFileSync(file, path.join(restored, DB_FILE));
    proc = await spawnServer(['--port', '0', '--data-dir', restored]);
    expect(proc.stderr()).not.toMatch(/STORAGE FAULT/);
    const back = await rig.connect(proc.url);
    expect(await back.hello(token)).toBe(token);
    const party = await back.request({ type: 'get_party', party_id: 'party_p1_x' });
    expect(Object.keys((party.party as { peers: object }).peers).sort()).toEqual(['g', 'h']);
  });

  // The README's and the fault message's restore: a -wal the killed server left is moved aside
  // with the database. Copied over lanrage.db alone, the backup was lost under that -wal.
  it('restored into a data dir a killed server left, brings back the backed-up parties', async () => {
    proc = await spawnServer(['--port', '0', '--data-dir', dir]);
    await hostParty(await rig.connect(proc.url), 'party_backed_up', 'h');
    const file = path.join(os.tmpdir(), `lanrage-copy-${process.pid}-${Date.now()}.db`);
    expect(await runServerExpectingExit(['backup', file, '--data-dir', dir])).toMatchObject({
      code: 0,
    });
    await hostParty(await rig.connect(proc.url), 'party_after_it', 'h2');
    await proc.kill('SIGKILL');
    const loaded = async (): Promise<string> => {
      proc = await spawnServer(['--port', '0', '--data-dir', dir]);
      const said = /Loaded (\d+) part/.exec(proc.stderr())?.[1] ?? '?';
      await proc.kill();
      return said;
    };
    fs.copyFileSync(file, db());
    expect(fs.existsSync(`${db()}-wal`)).toBe(true);
    expect(await loaded()).toBe('2'); // the -wal laid over the copy: not restored
    for (const f of [db(), `${db()}-wal`, `${db()}-shm`]) fs.renameSync(f, `${f}.aside`);
    fs.copyFileSync(file, db());
    fs.rmSync(file);
    expect(await loaded()).toBe('1');
  });

  // Run as root beside a server running as its own user (systemd's DynamicUser), a -wal and
  // -shm left by the backup were root's: the server started on them could write nothing.
  it('of a stopped server leaves the data dir as it was, no -wal or -shm of its own', () => {
    new SqlitePartyStore(dir).close();
    expect(fs.readdirSync(dir)).toEqual([DB_FILE]);
    const done = backupDatabase(dir, path.join(dir, 'copy.db'));
    expect(done.parties).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual(['copy.db', DB_FILE]);
  });

  it('beside a server on Redis: exit 2 saying where the state is, no copy; --sqlite copies', async () => {
    new SqlitePartyStore(dir).close();
    const file = path.join(dir, 'copy.db');
    const env = { ...process.env, LANRAGE_SERVER_REDIS: 'redis://:secret@127.0.0.1:6379' };
    const args = ['backup', file, '--data-dir', dir];
    const refused = await runServerExpectingExit(args, [], 15_000, env);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^lanrage-server backup: LANRAGE_SERVER_REDIS is set: .* in Redis/),
    ]);
    expect(refused.stderr).not.toContain('secret');
    expect(fs.existsSync(file)).toBe(false);
    const anyway = await runServerExpectingExit([...args, '--sqlite'], [], 15_000, env);
    expect(anyway).toMatchObject({ code: 0, stderr: '' });
    expect(anyway.stdout).toMatch(/^Backed up 0 parties \(/);
  });

  it('refuses to overwrite a file, a missing database, folder or FILE, plainly', async () => {
    fs.writeFileSync(path.join(dir, 'exists.db'), 'x');
    const [exists, noDb, noFile, noFolder] = await Promise.all([
      runServerExpectingExit(['backup', path.join(dir, 'exists.db'), '--data-dir', dir]),
      runServerExpectingExit([
        'backup',
        path.join(dir, 'b.db'),
        '--data-dir',
        path.join(dir, 'none'),
      ]),
      runServerExpectingExit(['backup', '--data-dir', dir]),
      runServerExpectingExit(['backup', path.join(dir, 'nowhere', 'b.db'), '--data-dir', dir]),
    ]);
    expect(exists.code).toBe(1);
    expect(exists.stderr).toMatch(/exists already/);
    expect(fs.readFileSync(path.join(dir, 'exists.db'), 'utf8')).toBe('x');
    expect(noDb.code).toBe(1);
    expect(noDb.stderr).toMatch(/no database at/);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toMatch(/exactly one FILE/);
    expect(noFolder.code).toBe(1);
    expect(noFolder.stderr).toContain(`${path.join(dir, 'nowhere')} is not a folder`);
    expect(noFolder.stderr).not.toMatch(/\.tmp/);
  });
});
