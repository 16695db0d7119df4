/**
 * A LANrage instance in its own OS process, for the multi-process tests. Reads one JSON
 * command per stdin line, answers one JSON line per command on stdout, and reports every
 * change to its parties as `{"event": ...}` lines. Environment: LANRAGE_HOME etc.
 */
import { createInterface } from 'node:readline';
import { Config } from '../config/config';
import { LocalControlPlane } from '../local/control-plane';
import { silentLogger } from '../../../shared/logger';
import { consoleLogger } from '../logger';
import { makePeer } from './fixtures';
import type { JoinPolicy } from '../../../shared/party/settings';

type Command =
  | { id: number; op: 'register'; partyId: string; peerId: string; joinPolicy?: JoinPolicy }
  | { id: number; op: 'join'; partyId: string; peerId: string }
  | { id: number; op: 'leave'; partyId: string; peerId: string }
  | { id: number; op: 'writeBurst'; peerId: string }
  /** This PC is going to sleep (the shell's powerMonitor `suspend`): the party is told. */
  | { id: number; op: 'sleep' }
  | { id: number; op: 'close' };

function send(message: unknown): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

async function run(plane: LocalControlPlane, cmd: Command): Promise<unknown> {
  switch (cmd.op) {
    case 'register':
      return [
        ...(
          await plane.registerParty(cmd.partyId, 'Party', makePeer(cmd.peerId), {
            joinPolicy: cmd.joinPolicy,
          })
        ).peers.keys(),
      ];
    case 'join':
      return [...(await plane.joinParty(cmd.partyId, makePeer(cmd.peerId))).peers.keys()];
    case 'leave':
      return plane.leaveParty(cmd.partyId, cmd.peerId);
    case 'writeBurst':
      // Never answers: renames itself (so the state file is rewritten) until killed.
      await plane.registerParty('party_burst', 'Burst', makePeer(cmd.peerId));
      for (let i = 0; ; i++) {
        await plane.updatePeer('party_burst', makePeer(cmd.peerId, `Writer ${i}`));
        await plane.flush();
        if (i === 0) send({ id: cmd.id, ok: true, result: 'writing' });
      }
    case 'sleep':
      return plane.goingToSleep();
    case 'close':
      await plane.close();
      return null;
  }
}

async function main(): Promise<void> {
  const config = Config.load({ env: process.env });
  const options = {
    logger: process.env.CHILD_DEBUG ? consoleLogger : silentLogger,
    saveDelayMs: 0,
    discoveryPollMs: 100,
    // A silent link found in half a second, for tests that freeze a process; a frozen host's
    // socket accepts connections the kernel queues, so a try at it waits a second, not ten.
    ...(process.argv.includes('--quick-liveness')
      ? { liveness: { quietMs: 100, deadMs: 500 }, connectTimeoutMs: 1000, helloTimeoutMs: 1000 }
      : {}),
  };
  const plane = new LocalControlPlane(config, options);
  plane.subscribe((change) => {
    // A join the host must answer: the instance now waits for that answer.
    if (change.kind === 'join_pending') send({ event: 'join_pending', partyId: change.partyId });
    if (change.kind === 'status') send({ event: 'status', hostAway: change.status.hostAway });
    if (change.kind !== 'party') return;
    const peers = change.party ? [...change.party.peers.keys()] : null;
    const asleep = [...plane.presenceOf(change.partyId)]
      .filter(([, p]) => p.status === 'asleep')
      .map(([id]) => id);
    const closed = change.events.find((e) => e.type === 'party_closed');
    const reason = closed?.type === 'party_closed' ? closed.reason : undefined;
    const said = { event: 'party', partyId: change.partyId, peers, asleep };
    send({ ...said, ...(reason ? { reason } : {}) });
  });
  await plane.initialize();
  send({ ready: true });
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    const cmd = JSON.parse(line) as Command;
    run(plane, cmd).then(
      (result) => send({ id: cmd.id, ok: true, result: result ?? null }),
      (error: unknown) => send({ id: cmd.id, ok: false, error: String(error) }),
    );
    if (cmd.op === 'close') break;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
