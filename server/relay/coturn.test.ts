/**
 * The relay credentials against a real coturn (Debian's `turnserver`, `.ci/run` installs it):
^ * the server process started with `--turn-url` and `--turn-secret-file` hands a member
 * credentials, and coturn, configured as the README says (`use-auth-secret`, the same secret),
 * allocates a relay with them over UDP, as a browser's ICE agent would. What it must refuse
 * (another secret, an expired username) it refuses, so the success is no open door.
 */
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RelaySchema } from '../../shared/protocol/relay';
import { CoturnTestServer } from '../test-util/coturn-server';
import { spawnServer, type ServerProcess } from '../test-util/process';
import { hostParty, peerDict, RawClient } from '../test-util/support';
import { allocate } from '../test-util/turn-client';

const DEPLOY_CONFIG = path.resolve(import.meta.dirname, '../../deploy/turnserver.conf');
const SECRET = 'c0turn-shared-secret-'.padEnd(48, 'x');
let dir = '';
let coturn: CoturnTestServer | null = null;
let server: ServerProcess | null = null;
const clients: RawClient[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lanrage-relay-'));
  const secretFile = path.join(dir, 'turn-secret');
  // With a blank before the line break, in both files as an operator may paste it: coturn
  // drops it from its config line, so the server must too or coturn refuses every credential.
  fs.writeFileSync(secretFile, `${SECRET} \n`, { mode: 0o600 });
  [coturn, server] = await Promise.all([
    // The example config operators are given, as it is.
    CoturnTestServer.start(`${SECRET} `, { config: fs.readFileSync(DEPLOY_CONFIG, 'utf8') }),
    spawnServer([
      ...['--port', '0', '--data-dir', path.join(dir, 'data')],
      ...['--turn-secret-file', secretFile, '--turn-ttl', '120'],
      // The relay's port is known once coturn runs; its address only has to be a valid one.
      ...['--turn-url', 'turn:127.0.0.1:3478?transport=udp'],
    ]),
  ]);
}, 15_000);

afterAll(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all([server?.kill(), coturn?.stop()]);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** A member's `get_relay` answer from the real server process. */
async function memberCredentials(): Promise<{ username: string; credential: string }> {
  const host = await RawClient.connect(server!.url);
  const guest = await RawClient.connect(server!.url);
  clients.push(host, guest);
  await hostParty(host, 'party_turn1', 'turnhost');
  await guest.hello();
  await guest.request({ type: 'join_party', party_id: 'party_turn1', peer: peerDict('turnguest') });
  const answer = await guest.request({ type: 'get_relay', party_id: 'party_turn1' });
  expect(answer).toMatchObject({ type: 'relay', party_id: 'party_turn1', ttl: 120 });
  // As the app reads it: the wire's schema.
  const [ice, ...more] = RelaySchema.parse(answer).ice_servers;
  expect(more).toEqual([]);
  expect(ice!.urls).toEqual(['turn:127.0.0.1:3478?transport=udp']);
  return ice!;
}

describe('relay credentials on a real coturn', () => {
  it("a member's credentials allocate a relay; another secret's or an expired one's do not", async () => {
    const { username, credential } = await memberCredentials();
    expect(username).toMatch(/^\d+:turnguest$/);

    const allowed = await allocate(coturn!.port, { username, credential });
    expect(allowed).toMatchObject({
      status: 'success',
      relayed: { address: '127.0.0.1', port: expect.any(Number) as number },
    });

    const forged = createHmac('sha1', 'another-secret').update(username).digest('base64');
    const refused = await allocate(coturn!.port, { username, credential: forged });
    expect(refused).toMatchObject({ status: 401, realm: 'lanrage.test' });
    expect(refused.relayed).toBeUndefined();

    // Signed with the right secret, but its expiry (the part before ':') has passed.
    const expired = `${Math.floor(Date.now() / 1000) - 5}:turnguest`;
    const stale = createHmac('sha1', SECRET).update(expired).digest('base64');
    const late = await allocate(coturn!.port, { username: expired, credential: stale });
    expect(late).toMatchObject({ status: 401 });
    expect(late.relayed).toBeUndefined();
  });
});
