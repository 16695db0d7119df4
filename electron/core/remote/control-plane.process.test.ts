import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from '../../../server/test-util/process';
import { RawClient } from '../../../server/test-util/support';
import type { RemoteControlPlane } from '../control';
import { waitFor } from '../test-util/child-process';
import { makePeer } from '../test-util/fixtures';
import { makeTempDir } from '../test-util/temp-dir';
import { testRemotePlane } from '../test-util/remote-plane';
import type { Liveness } from '../client/link/link-liveness';

let home: string;
let cleanup: () => void;
let proc: ServerProcess | null = null;
const planes: RemoteControlPlane[] = [];

beforeEach(() => {
  ({ dir: home, cleanup } = makeTempDir('lanrage-remote-proc-'));
});
afterEach(async () => {
  for (const p of planes.splice(0)) await p.close();
  await proc?.kill();
  proc = null;
  cleanup();
});

function start(port = 0, extra: string[] = []): Promise<ServerProcess> {
  return spawnServer(['--port', String(port), '--data-dir', `${home}/server`, ...extra]);
}

async function plane(
  name: string,
  url: string,
  reconnectDelayMs = 200,
  liveness?: Liveness,
): Promise<RemoteControlPlane> {
  const p = testRemotePlane(home, name, url, {
    reconnectDelayMs,
    connectTimeoutMs: 2000,
    requestTimeoutMs: 3000,
    ...(liveness ? { liveness } : {}),
  });
  planes.push(p);
  await p.initialize();
  return p;
}

/** Each status the plane reports from now on: its state, and `quiet` while not answered. */
function statuses(p: RemoteControlPlane): string[] {
  const seen: string[] = [];
  p.subscribe((change) => {
    if (change.kind !== 'status') return;
    const line = `${change.status.state}${change.status.serverQuiet === true ? ' quiet' : ''}`;
    if (seen.at(-1) !== line) seen.push(line);
  });
  return seen;
}

const hasAll = (p: RemoteControlPlane, partyId: string, ids: string[]): boolean =>
  p.connected && ids.every((id) => p.parties.get(partyId)?.peers.has(id));

describe('RemoteControlPlane against a server process', () => {
  it('every client is back in its party with every peer within 15 s of a SIGKILL and restart', async () => {
    proc = await start();
    const port = proc.port;
    const [a, b, c] = [
      await plane('a', proc.url),
      await plane('b', proc.url),
      await plane('c', proc.url),
    ];
    await a.registerParty('party_abc123', 'Gaming Night', makePeer('pa'));
    await b.joinParty('party_abc123', makePeer('pb'));
    await c.joinParty('party_abc123', makePeer('pc'));
    await proc.kill('SIGKILL');
    await waitFor(() => [a, b, c].every((p) => !p.connected), 5000);

    const restartedAt = Date.now();
    proc = await start(port);
    await waitFor(
      () => [a, b, c].every((p) => hasAll(p, 'party_abc123', ['pa', 'pb', 'pc'])),
      15_000,
    );
    expect(Date.now() - restartedAt).toBeLessThan(15_000);
    // Each resumed its own peer id: acting as it is allowed, and changes flow again.
    await c.updatePeer('party_abc123', makePeer('pc').with({ publicPort: 41000 }));
    await waitFor(() => a.parties.get('party_abc123')?.peers.get('pc')?.publicPort === 41000, 5000);
    await b.heartbeat('party_abc123', 'pb');
  });

  it('a server that stops answering without closing is left, and rejoined once it answers', async () => {
    proc = await start();
    const quick = { quietMs: 100, deadMs: 400 };
    const [a, b] = [await plane('a', proc.url, 200, quick), await plane('b', proc.url, 200, quick)];
    await a.registerParty('party_frozen', 'Frozen', makePeer('pa'));
    await b.joinParty('party_frozen', makePeer('pb'));
    const seen = statuses(a);
    // Its machine frozen: sockets stay open, nothing is answered (no FIN, no RST).
    process.kill(proc.child.pid!, 'SIGSTOP');
    try {
      await waitFor(() => !a.connected && !b.connected, 3000);
    } finally {
      process.kill(proc.child.pid!, 'SIGCONT');
    }
    // Said not to answer while still linked, before the link was given up.
    const quiet = seen.indexOf('connected quiet');
    expect(quiet).toBeGreaterThanOrEqual(0);
    // Then the loss, quiet no more, and no "Connected" between the two.
    expect(seen.slice(quiet, quiet + 2)).toEqual(['connected quiet', 'reconnecting']);
    await waitFor(
      () => hasAll(a, 'party_frozen', ['pa', 'pb']) && hasAll(b, 'party_frozen', ['pa', 'pb']),
      15_000,
    );
    expect(a.status().serverQuiet).not.toBe(true);
  });

  it('a server that stops answering for a moment is said to, then kept once it answers', async () => {
    proc = await start();
    const a = await plane('a', proc.url, 200, { quietMs: 200, deadMs: 3000 });
    await a.registerParty('party_paused', 'Paused', makePeer('pa'));
    const seen = statuses(a);
    process.kill(proc.child.pid!, 'SIGSTOP');
    try {
      await waitFor(() => a.status().serverQuiet === true, 2000);
    } finally {
      process.kill(proc.child.pid!, 'SIGCONT');
    }
    await waitFor(() => a.status().serverQuiet === false, 2000);
    expect(seen.slice(seen.indexOf('connected quiet'))).toEqual(['connected quiet', 'connected']);
    expect(a.connected).toBe(true);
  });

  it('falls back to local mode after 5 failed attempts, then returns to the server', async () => {
    proc = await start();
    const port = proc.port;
    const a = await plane('a', proc.url, 50);
    await a.registerParty('party_p1', 'Before', makePeer('pa'));
    const states: string[] = [];
    a.subscribe(
      (ch) =>
        ch.kind === 'status' && states.push(`${ch.status.state}:${ch.status.reconnectAttempt}`),
    );
    await proc.kill('SIGKILL');
    proc = null;
    await waitFor(() => a.status().state === 'offline', 10_000);
    expect(states).toEqual(
      expect.arrayContaining(['reconnecting:1', 'reconnecting:5', 'offline:5']),
    );
    // Local mode: operations work without the server.
    await a.leaveParty('party_p1', 'pa');
    const offlineParty = await a.registerParty('party_p2', 'Made offline', makePeer('pa'));
    expect(offlineParty.peers.has('pa')).toBe(true);

    proc = await start(port);
    await waitFor(() => a.status().state === 'connected', 10_000);
    // The party made while offline now exists on the server too.
    const raw = await RawClient.connect(proc.url);
    try {
      await raw.hello();
      // A stranger sees the summary (issue 10): enough to know it is there, hosted by us.
      const answer = await raw.request({ type: 'get_party', party_id: 'party_p2' });
      expect(answer).toMatchObject({ type: 'party_summary', name: 'Made offline', peer_count: 1 });
    } finally {
      await raw.close();
    }
  });

  it('a host hosting its party locally while the server is away still lists its members', async () => {
    proc = await start();
    const port = proc.port;
    const a = await plane('a', proc.url, 50);
    const b = await plane('b', proc.url, 50);
    await a.registerParty('party_p1', 'Kept', makePeer('pa'));
    await b.joinParty('party_p1', makePeer('pb'));
    await waitFor(() => a.parties.get('party_p1')?.peers.has('pb') === true, 5000);
    await proc.kill('SIGKILL');
    proc = null;
    await waitFor(() => a.status().state === 'offline' && a.linkUp, 10_000);
    // Re-hosted here, with its host's friends still in it (their status unknown meanwhile).
    expect([...a.parties.get('party_p1')!.peers.keys()].sort()).toEqual(['pa', 'pb']);
    proc = await start(port);
    await waitFor(
      () => hasAll(a, 'party_p1', ['pa', 'pb']) && hasAll(b, 'party_p1', ['pa', 'pb']),
      15_000,
    );
  });

  it('re-hosted locally, a member online until the server went is not shown offline since it joined', async () => {
    // Beats every 0.5 s: the server's last answer to a is just before it dies. (At 0.2 s a
    // busy machine's pause of 0.4 s had b called offline now and then, so not online at the
    // kill: the case this is not about.)
    proc = await start(0, ['--heartbeat-interval', '0.5']);
    const a = await plane('a', proc.url, 50);
    const b = await plane('b', proc.url, 50);
    await a.registerParty('party_p1', 'Kept', makePeer('pa'));
    await b.joinParty('party_p1', makePeer('pb'));
    await waitFor(() => a.presenceOf('party_p1').get('pb')?.status === 'online', 5000);
    // Online all along, well after joining (its last status change, its peer's last_seen).
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect(a.presenceOf('party_p1').get('pb')?.status).toBe('online');
    const killedAt = Date.now();
    await proc.kill('SIGKILL');
    proc = null;
    await waitFor(() => a.status().state === 'offline' && a.linkUp, 10_000);
    // Seen when the server last answered a, not 4 s earlier: the embedded server counts its
    // offline time (and its removal) from there, or it swept a friend of minutes out at once.
    // Waited for: the link to it may be up a moment before its presence comes.
    const seen = () => Date.parse(a.presenceOf('party_p1').get('pb')?.last_seen ?? '') || 0;
    await waitFor(() => seen() > killedAt - 2000, 5000);
  });

  it('a silent client is swept by the server and the others see it go', async () => {
    proc = await start(0, [
      '--peer-timeout',
      '1',
      '--sweep-interval',
      '0.2',
      '--heartbeat-interval',
      '0.2',
    ]);
    const a = await plane('a', proc.url);
    const b = await plane('b', proc.url);
    await a.registerParty('party_p1', 'P', makePeer('pa'));
    await b.joinParty('party_p1', makePeer('pb'));
    await waitFor(() => a.parties.get('party_p1')?.peers.size === 2, 5000);
    // b vanishes without leaving; a keeps heartbeating.
    await b.close();
    await waitFor(() => a.parties.get('party_p1')?.peers.size === 1, 8000);
    expect(a.parties.get('party_p1')?.peers.has('pa')).toBe(true);
  });
});
