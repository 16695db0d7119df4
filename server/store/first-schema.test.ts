/**
 * A server upgraded over a data dir its first version made (ec4d09a: parties without event
 * numbers or settings, no access table): the real process starts on it, its members get their
 * peer ids back with their session tokens, the party takes changes, and a restart keeps them.
 * The store's own tests migrate a table in process; this runs the upgrade as an operator would.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { randomToken } from '../../shared/values/ids';
import { makeTempDir } from '../../electron/core/test-util/temp-dir';
import { spawnServer, type ServerProcess } from '../test-util/process';
import { TestRig, peerDict } from '../test-util/support';
import { DB_FILE } from './sqlite-store';

/** The first version's schema, as it was. */
const FIRST_SCHEMA = `
CREATE TABLE parties (party_id TEXT PRIMARY KEY, name TEXT NOT NULL, host_id TEXT NOT NULL,
  created_at TEXT NOT NULL);
CREATE TABLE peers (party_id TEXT NOT NULL, peer_id TEXT NOT NULL, name TEXT NOT NULL,
  public_key TEXT NOT NULL, nat_type TEXT NOT NULL, public_ip TEXT NOT NULL,
  public_port INTEGER NOT NULL, local_ip TEXT NOT NULL, local_port INTEGER NOT NULL,
  last_seen TEXT NOT NULL, PRIMARY KEY (party_id, peer_id));
CREATE TABLE peer_owners (peer_id TEXT PRIMARY KEY, token TEXT NOT NULL);
`;

const PARTY = 'party_first_night';
const rig = new TestRig();
let temp: { dir: string; cleanup: () => void };
let proc: ServerProcess | null = null;
beforeEach(() => {
  temp = makeTempDir('lanrage-first-schema-');
});
afterEach(async () => {
  await rig.cleanup();
  await proc?.kill();
  proc = null;
  temp.cleanup();
});

/** The first version's database: a party of two, each member's id owned by its token. */
function firstVersionDataDir(tokens: { h: string; g: string }): string {
  const dir = path.join(temp.dir, 'data');
  fs.mkdirSync(dir);
  const db = new Database(path.join(dir, DB_FILE));
  db.pragma('journal_mode = WAL');
  db.exec(FIRST_SCHEMA);
  const now = new Date().toISOString().slice(0, 19);
  db.prepare('INSERT INTO parties VALUES (?, ?, ?, ?)').run(PARTY, 'First Night', 'h', now);
  const peer = db.prepare('INSERT INTO peers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  for (const [id, name] of [
    ['h', 'Host'],
    ['g', 'Guest'],
  ] as const) {
    const key = Buffer.alloc(32, id).toString('base64');
    peer.run(PARTY, id, name, key, 'unknown', '203.0.113.5', 51820, '192.168.1.9', 51820, now);
    db.prepare('INSERT INTO peer_owners VALUES (?, ?)').run(id, tokens[id]);
  }
  db.close();
  return dir;
}

const peersOf = (frame: Record<string, unknown>) =>
  Object.keys((frame.party as { peers: object }).peers).sort();

it("starts on its first version's data dir: tokens, party and changes kept across a restart", async () => {
  const tokens = { h: randomToken(32), g: randomToken(32) };
  const dir = firstVersionDataDir(tokens);
  proc = await spawnServer(['--port', '0', '--data-dir', dir]);
  expect(proc.stderr()).toContain('Loaded 1 party');

  const host = await rig.connect(proc.url);
  expect(await host.hello(tokens.h)).toBe(tokens.h);
  const beat = await host.request({ type: 'heartbeat', party_id: PARTY, peer_id: 'h' });
  expect(beat.type).toBe('heartbeat_ack');
  // The guest's id is still its own: a stranger cannot take it over.
  const stranger = await rig.connect(proc.url);
  await stranger.hello();
  const taken = await stranger.request({ type: 'heartbeat', party_id: PARTY, peer_id: 'g' });
  expect(taken).toMatchObject({ type: 'error', code: 'forbidden' });
  const joined = await stranger.request({
    type: 'join_party',
    party_id: PARTY,
    peer: peerDict('n'),
  });
  expect(peersOf(joined)).toEqual(['g', 'h', 'n']);
  const settings = { join_policy: 'password', password: 'hunter22' };
  const updated = await host.request({ type: 'update_party', party_id: PARTY, settings });
  expect(updated.party).toMatchObject({ settings: { join_policy: 'password' } });

  expect(await proc.kill('SIGTERM')).toBe(0);
  proc = await spawnServer(['--port', '0', '--data-dir', dir]);
  const guest = await rig.connect(proc.url);
  expect(await guest.hello(tokens.g)).toBe(tokens.g);
  const party = await guest.request({ type: 'get_party', party_id: PARTY });
  expect(peersOf(party)).toEqual(['g', 'h', 'n']);
  expect(party.party).toMatchObject({ settings: { join_policy: 'password' } });
}, 40_000);
