/**
 * The app against a control server that lies (a scripted one on 127.0.0.1): pushes for
 * parties we are not in, answers for another party, oversized parties, absurd intervals,
 * a hello never answered. Each is refused or bounded, and the plane keeps working.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APPROVAL_TIMEOUT_MS } from '../../../shared/access/rules';
import { MAX_PEERS_PER_PARTY } from '../../../shared/party/settings';
import type { MemoryLogger } from '../../../shared/test-support/memory-logger';
import type { RemoteControlPlane } from './control-plane';
import type { RemoteControlPlaneOptions } from '../client/options';
import { sessionFilePath } from '../client/link/session';
import { waitFor } from '../test-util/child-process';
import { finishedBeats } from '../test-util/finished-beats';
import { makePeer } from '../test-util/fixtures';
import { testRemotePlane } from '../test-util/remote-plane';
import {
  honestAnswer,
  partyDict,
  peerDict,
  ScriptedServer,
  welcome,
  type Request,
} from '../test-util/scripted-server';
import { ManualClock } from '../test-util/manual-clock';
import { makeTempDir } from '../test-util/temp-dir';

let server: ScriptedServer;
let home: string;
let cleanup: () => void;
let plane: RemoteControlPlane | null = null;

beforeEach(async () => {
  ({ dir: home, cleanup } = makeTempDir('lanrage-untrusted-'));
  server = await ScriptedServer.start();
});
afterEach(async () => {
  await plane?.close();
  plane = null;
  await server.close();
  cleanup();
});

async function start(options: RemoteControlPlaneOptions = {}): Promise<RemoteControlPlane> {
  plane = testRemotePlane(home, 'me', server.url, { reconnectDelayMs: 50, ...options });
  await plane.initialize();
  return plane;
}

const peers = (n: number, prefix = 'x') =>
  Array.from({ length: n }, (_, i) => peerDict(`${prefix}${i}`));

describe('RemoteControlPlane against an untrusted server', () => {
  it('ignores pushes for parties it is not in, so they are neither kept nor saved', async () => {
    const p = await start();
    await p.registerParty('p1', 'Mine', makePeer('me'));
    for (let i = 0; i < 200; i++) {
      server.push({ type: 'party_update', party: partyDict(`other${i}`, peers(3)) });
      server.push({ type: 'peer_joined', party_id: `other${i}`, peer: peerDict('y') });
    }
    server.push({ type: 'peer_joined', party_id: 'p1', peer: peerDict('friend') });
    await waitFor(() => p.parties.get('p1')?.peers.size === 2, 3000);
    await p.flush();
    expect([...p.parties.keys()]).toEqual(['p1']);
    expect([...(await p.discoverParties()).keys()]).toEqual(['p1']);
    const saved = JSON.parse(readFileSync(p.stateFile, 'utf8')) as { parties: object };
    expect(Object.keys(saved.parties)).toEqual(['p1']);
    expect(statSync(p.stateFile).size).toBeLessThan(4096);
  });

  it('refuses a join answer for a different party, and one that leaves us out', async () => {
    const p = await start();
    server.answer = (r: Request) =>
      r.type === 'join_party'
        ? [
            {
              type: 'party_update',
              party: partyDict('p3', [r.peer as never]),
              request_id: r.request_id,
            },
          ]
        : honestAnswer(r);
    await expect(p.joinParty('p2', makePeer('me'))).rejects.toMatchObject({
      code: 'bad_answer',
      message: expect.stringContaining('party p3 when asked about p2') as string,
    });
    server.answer = (r: Request) =>
      r.type === 'join_party'
        ? [{ type: 'party_update', party: partyDict('p2', peers(2)), request_id: r.request_id }]
        : honestAnswer(r);
    await expect(p.joinParty('p2', makePeer('me'))).rejects.toMatchObject({ code: 'bad_answer' });
    expect(p.parties.size).toBe(0);
    expect(p.myPartyId).toBeNull();
    server.answer = honestAnswer;
    await expect(p.joinParty('p2', makePeer('me'))).resolves.toMatchObject({ partyId: 'p2' });
  });

  it('bounds a join_pending expiry years ahead to the approval time: the wait still ends', async () => {
    const clock = new ManualClock(Date.now());
    const p = await start({ clock });
    server.answer = (r: Request) =>
      r.type === 'join_party'
        ? [
            {
              type: 'join_pending',
              party_id: 'p2',
              expires_at: '2100-01-01T00:00:00.000Z',
              request_id: r.request_id,
            },
          ]
        : honestAnswer(r);
    const told: number[] = [];
    p.subscribe((c) => c.kind === 'join_pending' && told.push(c.expiresAt));
    const outcome = p.joinParty('p2', makePeer('me')).then(
      () => null,
      (error: unknown) => error,
    );
    await waitFor(() => told.length === 1, 3000);
    expect(told[0]).toBe(clock.now() + APPROVAL_TIMEOUT_MS);
    await clock.advance(APPROVAL_TIMEOUT_MS + 10_000);
    expect(await outcome).toMatchObject({ code: 'join_expired' });
    expect(p.myPartyId).toBeNull();
  });

  it('refuses parties over the member cap, in answers and in pushes', async () => {
    const p = await start();
    const huge = (id: string, me?: string) =>
      partyDict(id, [...(me ? [peerDict(me)] : []), ...peers(MAX_PEERS_PER_PARTY)]);
    server.answer = (r: Request) =>
      r.type === 'join_party'
        ? [{ type: 'party_update', party: huge('p2', 'me'), request_id: r.request_id }]
        : honestAnswer(r);
    await expect(p.joinParty('p2', makePeer('me'))).rejects.toMatchObject({
      message: expect.stringContaining('at most 256 peers') as string,
    });
    server.answer = honestAnswer;
    await p.registerParty('p1', 'Mine', makePeer('me'));
    server.push({ type: 'party_update', party: huge('p1', 'me') });
    const full = partyDict('p1', [peerDict('me'), ...peers(MAX_PEERS_PER_PARTY - 1)]);
    server.push({ type: 'party_update', party: full });
    await waitFor(() => p.parties.get('p1')?.peers.size === MAX_PEERS_PER_PARTY, 3000);
    server.push({ type: 'peer_joined', party_id: 'p1', peer: peerDict('one_too_many') });
    server.push({ type: 'peer_left', party_id: 'p1', peer_id: 'x0' });
    await waitFor(() => !p.parties.get('p1')?.peers.has('x0'), 3000);
    expect(p.parties.get('p1')?.peers.has('one_too_many')).toBe(false);
  });

  it.each([
    [1e-6, 1e-6, 100, 1000],
    [1e10, 1e10, 300_000, 86_400_000],
  ])('clamps heartbeat_interval %s and peer_timeout %s', async (hb, timeout, hbMs, timeoutMs) => {
    server.answer = (r: Request) =>
      r.type === 'hello' ? [welcome(r, hb, timeout)] : honestAnswer(r);
    const p = await start();
    expect(p.status().heartbeatIntervalMs).toBe(hbMs);
    expect(p.serverIntervals).toEqual({ heartbeatIntervalMs: hbMs, peerTimeoutMs: timeoutMs });
    // The window counts members down to the server's timeout, not this app's setting.
    expect(p.status().peerTimeoutMs).toBe(timeoutMs);
    const finished = finishedBeats(p);
    await p.registerParty('p1', 'Mine', makePeer('me'));
    // The two beats that tell our ping as we enter are not the timer's.
    await waitFor(() => finished() >= 2, 3000);
    const before = server.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    const beats = server.requests.slice(before).filter((r) => r.type === 'heartbeat').length;
    expect(beats).toBeLessThanOrEqual(6);
    const warnings = (p as unknown as { logger: MemoryLogger }).logger.messages('warn');
    expect(warnings.some((w) => w.includes('announced heartbeat_interval'))).toBe(true);
  });

  it('gives up on a hello never answered within a few seconds, then reconnects', async () => {
    let silent = true;
    server.answer = (r: Request) => (silent && r.type === 'hello' ? [] : honestAnswer(r));
    const started = Date.now();
    const p = await start({ reconnectDelayMs: 100 });
    expect(Date.now() - started).toBeLessThan(7000);
    expect(p.connected).toBe(false);
    silent = false;
    await waitFor(() => p.connected, 3000);
    expect(p.status().state).toBe('connected');
  }, 15_000);

  it('a damaged session file is kept aside and the user told; the app connects anew', async () => {
    const reports: string[] = [];
    const file = sessionFilePath(join(home, 'instances', 'me'));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, '{"server_url": 1');
    const p = await start({ report: (m) => reports.push(m) });
    expect(p.connected).toBe(true);
    expect(reports).toEqual([
      expect.stringMatching(
        /^Your saved session with the party's server .* could not be read: it is damaged \(not valid JSON\)\. LANrage kept it as .*corrupt-[^ ]* and starts a new session\./,
      ),
    ]);
    expect(
      readdirSync(dirname(file)).some((f) => f.startsWith('control_session.json.corrupt-')),
    ).toBe(true);
    await waitFor(() => existsSync(file), 2000);
  });
});
