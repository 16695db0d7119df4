/**
 * One LANrage instance on a LAN, for the network-namespace suite: run inside a namespace
 * (`ip netns exec NS node --import tsx lan-instance.ts`). It browses the LAN by mDNS and
 * reports `{"event":"nearby"}` and `{"event":"party"}` lines on stdout; stdin takes one JSON
 * command per line (`host`, `join`, `leave`, `quit`), each answered with `{"id",...}`.
 *
 * Hosting runs the real control server on the namespace's LAN address and advertises the
 * party; joining connects to the address and port discovery found, as a client of that
 * server (the path the app's local mode takes).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { silentLogger } from '../../../shared/logger';
import { startServer, type RunningServer } from '../../../server/server';
import { MemoryPartyStore } from '../../../server/store';
import { LanDiscovery } from '../lan/lan-discovery';
import { lanSummary } from '../lan/lan-summary';
import { openMdnsTransport } from '../lan/mdns-transport';
import type { RemoteControlPlane } from '../remote-control-plane';
import { systemClock } from '../scheduler';
import { makePeer } from './fixtures';
import { testRemotePlane } from './remote-plane';

type Command =
  | { id: number; op: 'host'; partyId: string; name: string; peerId: string }
  | { id: number; op: 'join'; partyId: string; peerId: string }
  | { id: number; op: 'leave' }
  | { id: number; op: 'quit' };

const home = mkdtempSync(join(tmpdir(), 'lanrage-lan-'));
const send = (message: unknown): void => void process.stdout.write(`${JSON.stringify(message)}\n`);

let plane: RemoteControlPlane | null = null;
let server: RunningServer | null = null;
let partyId: string | null = null;
let me: string | null = null;

async function connect(url: string, peerId: string): Promise<RemoteControlPlane> {
  const p = testRemotePlane(home, peerId, url, { connectTimeoutMs: 3000, requestTimeoutMs: 5000 });
  await p.initialize();
  p.subscribe((change) => {
    if (change.kind !== 'party' || change.partyId !== partyId) return;
    send({ event: 'party', peers: change.party ? [...change.party.peers.keys()].sort() : null });
  });
  return p;
}

async function run(lan: LanDiscovery, cmd: Command): Promise<unknown> {
  switch (cmd.op) {
    case 'host': {
      server = await startServer({
        host: '0.0.0.0',
        port: 0,
        dataDir: home,
        store: new MemoryPartyStore(),
        logger: silentLogger,
      });
      [partyId, me] = [cmd.partyId, cmd.peerId];
      plane = await connect(`ws://127.0.0.1:${server.port}`, cmd.peerId);
      const port = server.port;
      const advertise = () => {
        const party = plane?.parties.get(cmd.partyId);
        if (party) lan.advertise(lanSummary(party, port));
      };
      plane.subscribe(advertise);
      await plane.registerParty(cmd.partyId, cmd.name, makePeer(cmd.peerId, cmd.peerId));
      advertise();
      return port;
    }
    case 'join': {
      const found = lan.parties().find((p) => p.summary.party_id === cmd.partyId);
      if (!found) throw new Error(`party ${cmd.partyId} is not nearby`);
      [partyId, me] = [cmd.partyId, cmd.peerId];
      plane = await connect(`ws://${found.address}:${found.port}`, cmd.peerId);
      const party = await plane.joinParty(cmd.partyId, makePeer(cmd.peerId, cmd.peerId));
      return [...party.peers.keys()].sort();
    }
    case 'leave':
      await plane?.leaveParty(partyId!, me!);
      return null;
    case 'quit':
      await lan.close();
      await plane?.close();
      await server?.close();
      return null;
  }
}

async function main(): Promise<void> {
  const transport = await openMdnsTransport();
  const lan = new LanDiscovery({
    transport,
    clock: systemClock,
    hostName: `lanrage-${process.pid}.local`,
  });
  lan.subscribe((parties) => send({ event: 'nearby', parties, at: Date.now() }));
  lan.start();
  send({ ready: true });
  for await (const line of createInterface({ input: process.stdin })) {
    const cmd = JSON.parse(line) as Command;
    await run(lan, cmd).then(
      (result) => send({ id: cmd.id, ok: true, result: result ?? null }),
      (error: unknown) => send({ id: cmd.id, ok: false, error: String(error) }),
    );
    if (cmd.op === 'quit') process.exit(0);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
