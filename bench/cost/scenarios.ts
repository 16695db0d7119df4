/**
 * CPU per message, ours against the raw-ws baseline's own handler (bench/raw-fanout/server.ts),
 * both driving the same frames into sockets that only count what they are given. Runs alternate and
 * each side's median is kept, so a burst of other work on the machine hits both.
 */
import type { WebSocket } from 'ws';
import { peerDict } from '../../server/test-util/support';
import { RawFanout } from '../raw-fanout/server';
import type { Evictor } from './evict';
import { frame, NullSocket, settle, startRig, type Member } from './rig';

export interface CostRow {
  scenario: 'heartbeat' | 'leave_join';
  party_size: number;
  members: number;
  /** CPU µs per heartbeat, or per leave + join cycle. */
  ours_us: number;
  raw_us: number;
  /** ours / raw: how many times the baseline's CPU our code spends. */
  ratio: number;
  /** ours − raw: the µs our handling adds to the baseline's. */
  extra_us: number;
  frames_per_message: number;
}

interface Side {
  run(): Promise<number>;
  frames(): number;
}

function cpuUs(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

async function timed(messages: number, body: () => Promise<void> | void): Promise<number> {
  const start = cpuUs();
  await body();
  return (cpuUs() - start) / messages;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function compare(
  scenario: CostRow['scenario'],
  size: number,
  members: number,
  reps: number,
  ours: Side,
  raw: Side,
  messagesPerRun: number,
): Promise<CostRow> {
  const o: number[] = [];
  const r: number[] = [];
  for (let i = 0; i < reps; i++) {
    o.push(await ours.run());
    r.push(await raw.run());
  }
  const oursFrames = ours.frames() / (reps * messagesPerRun);
  const rawFrames = raw.frames() / (reps * messagesPerRun);
  if (Math.abs(oursFrames - rawFrames) > 1e-9) {
    throw new Error(
      `${scenario} R=${size}: ours sent ${oursFrames} frames a message, raw ${rawFrames}`,
    );
  }
  const ours_us = Math.round(median(o) * 100) / 100;
  const raw_us = Math.round(median(r) * 100) / 100;
  const ratio = Math.round((ours_us / raw_us) * 100) / 100;
  return {
    scenario,
    party_size: size,
    members,
    ours_us,
    raw_us,
    ratio,
    extra_us: Math.round((ours_us - raw_us) * 100) / 100,
    frames_per_message: oursFrames,
  };
}

/** The baseline with the same parties, each member on its own counting socket. */
function rawRig(
  parties: Member[][],
  evictor: Evictor | null,
): { fanout: RawFanout; sockets: Map<Member, NullSocket> } {
  const fanout = new RawFanout();
  const sockets = new Map<Member, NullSocket>();
  for (const members of parties) {
    members.forEach((m, i) => {
      const socket = new NullSocket(evictor);
      sockets.set(m, socket);
      const ws = socket as unknown as WebSocket;
      fanout.handleFrame(ws, frame({ type: 'hello', version: '1.0' }));
      const peer = peerDict(m.peerId);
      fanout.handleFrame(
        ws,
        i === 0
          ? frame({ type: 'register_party', party_id: m.partyId, name: 'Cost', host_peer: peer })
          : frame({ type: 'join_party', party_id: m.partyId, peer }),
      );
    });
  }
  return { fanout, sockets };
}

const framesOf = (sockets: Iterable<NullSocket>) => [...sockets].reduce((n, s) => n + s.frames, 0);

/** A Side whose frames() counts only what its runs sent. */
function side(sockets: () => Iterable<NullSocket>, run: () => Promise<number>): Side {
  let sent = 0;
  return {
    run: async () => {
      const before = framesOf(sockets());
      const us = await run();
      sent += framesOf(sockets()) - before;
      return us;
    },
    frames: () => sent,
  };
}

/** Every member heartbeats `beats` times (steady round trip: no presence change to tell). */
export async function heartbeatCost(
  { parties, size, beats, reps }: { parties: number; size: number; beats: number; reps: number },
  evictor: Evictor | null = null,
): Promise<CostRow> {
  const rig = await startRig(parties, size, evictor);
  try {
    const members = rig.parties.flat();
    const beatOf = (m: Member) =>
      frame({ type: 'heartbeat', party_id: m.partyId, peer_id: m.peerId, rtt_ms: 20 });
    const frames = members.map(beatOf);
    // The first beat reports the round trip (one peer_status to the party): not measured.
    members.forEach((m, i) => m.conn.handleFrame(frames[i]!));
    await settle();
    const { fanout, sockets } = rawRig(rig.parties, evictor);
    const rawSockets = members.map((m) => sockets.get(m)! as unknown as WebSocket);
    const n = members.length * beats;
    const ours = side(
      () => members.map((m) => m.socket),
      () =>
        timed(n, () => {
          for (let b = 0; b < beats; b++) {
            for (let i = 0; i < members.length; i++) members[i]!.conn.handleFrame(frames[i]!);
          }
        }),
    );
    const raw = side(
      () => sockets.values(),
      () =>
        timed(n, () => {
          for (let b = 0; b < beats; b++) {
            for (let i = 0; i < members.length; i++) fanout.handleFrame(rawSockets[i]!, frames[i]!);
          }
        }),
    );
    return await compare('heartbeat', size, members.length, reps, ours, raw, n);
  } finally {
    await rig.stop();
  }
}

type Send = (m: Member, f: Buffer) => void;

/** `rounds` times, guest k of every party leaves, then joins again, for each k in turn. */
async function leaveAndJoin(parties: Member[][], size: number, rounds: number, send: Send) {
  const leave = (m: Member) =>
    frame({ type: 'leave_party', party_id: m.partyId, peer_id: m.peerId });
  const join = (m: Member) =>
    frame({ type: 'join_party', party_id: m.partyId, peer: peerDict(m.peerId) });
  for (let round = 0; round < rounds; round++) {
    for (let k = 1; k < size; k++) {
      for (const members of parties) send(members[k]!, leave(members[k]!));
      await settle();
      for (const members of parties) send(members[k]!, join(members[k]!));
      await settle();
    }
  }
}

/**
 * In every party, each guest in turn leaves and joins again (one cycle), `rounds` times a
 * run: enough CPU per run (tens of ms for the baseline) that the clock's granularity is noise.
 */
export async function leaveJoinCost(
  { parties, size, reps, rounds }: { parties: number; size: number; reps: number; rounds: number },
  evictor: Evictor | null = null,
): Promise<CostRow> {
  const rig = await startRig(parties, size, evictor);
  try {
    const { fanout, sockets } = rawRig(rig.parties, evictor);
    const cycles = parties * (size - 1) * rounds;
    const churn = (send: Send) => () => leaveAndJoin(rig.parties, size, rounds, send);
    const ours = side(
      () => rig.parties.flat().map((m) => m.socket),
      () =>
        timed(
          cycles,
          churn((m, f) => m.conn.handleFrame(f)),
        ),
    );
    const raw = side(
      () => sockets.values(),
      () =>
        timed(
          cycles,
          churn((m, f) => fanout.handleFrame(sockets.get(m)! as unknown as WebSocket, f)),
        ),
    );
    return await compare('leave_join', size, parties * size, reps, ours, raw, cycles);
  } finally {
    await rig.stop();
  }
}
