/**
 * A damaged access row in a real SQLite store, read by a real server process: the warning
 * names the row's kind and, for bans and the like, its key, but never an invite token or a
 * session token (anyone reading the log could use the link, or take over the session).
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DB_FILE, SqlitePartyStore } from '../store/sqlite-store';
import { spawnServer, type ServerProcess } from '../test-util/process';

let dir: string;
let proc: ServerProcess | null = null;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lanrage-rows-'));
});
afterEach(async () => {
  await proc?.kill();
  proc = null;
  fs.rmSync(dir, { recursive: true, force: true });
});

const INVITE_TOKEN = 'inv7secret7token7abcdefghijklmnop';
const SESSION_TOKEN = 'sess7secret7token7abcdefghijklmn';

it('warns of unreadable rows without writing out invite or session tokens', async () => {
  new SqlitePartyStore(dir).close();
  const db = new Database(path.join(dir, DB_FILE));
  const insert = db.prepare('INSERT INTO access (kind, key, value) VALUES (?, ?, ?)');
  insert.run('invite', INVITE_TOKEN, 'not json');
  insert.run('notice', SESSION_TOKEN, 'not json');
  insert.run('ban', 'party_damaged1 peer_x', 'not json');
  db.close();
  proc = await spawnServer(['--port', '0', '--data-dir', dir]);
  const log = proc.stderr();
  expect(log).toContain(
    'Ignoring an unreadable invite row (its key is an invite token, not logged)',
  );
  expect(log).toContain(
    'Ignoring an unreadable notice row (its key is a session token, not logged)',
  );
  expect(log).toContain('Ignoring an unreadable ban row (party_damaged1 peer_x) in the store');
  expect(log).not.toContain(INVITE_TOKEN.slice(0, 12));
  expect(log).not.toContain(SESSION_TOKEN.slice(0, 12));
}, 20_000);
