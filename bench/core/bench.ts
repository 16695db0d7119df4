/**
 * The core bench: the party engine as local mode runs it (the embedded server's core over
 * its file store, engine.ts) with persistence on (real timers, real disk), each figure next
 * to a baseline measured in the same run.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../shared/time/clock';
import { FilePartyStore } from '../../electron/core/hosting/embedded/file-party-store';
import { silentLogger } from '../../shared/logger';
import { machineInfo } from '../lib/results';
import { BenchEngine, PEER_TIMEOUT_MS, ShiftedClock } from './engine';
import type { CoreBenchOptions, CoreBenchResults, OpFigure } from './types';
import { ratio, round } from '../lib/stats';
import { buildState, mapOnlyOps, medianMs, rawWriteMs, writeStateFile, benchPeer } from './support';

async function timedOps(cp: BenchEngine, count: number, op: (i: number) => void) {
  const writesBefore = cp.saveCount;
  const started = performance.now();
  // Each op in its own turn of the loop, as messages arrive; group commit batches them.
  for (let i = 0; i < count; i++) {
    op(i);
    await Promise.resolve();
  }
  await cp.flush();
  const ms = performance.now() - started;
  return { ops: count, ms, writes: cp.saveCount - writesBefore };
}

function figure(
  run: { ops: number; ms: number; writes: number },
  baselineOpsPerS: number,
): OpFigure {
  const opsPerS = round((run.ops / run.ms) * 1000, 0);
  return {
    ops: run.ops,
    ops_per_s: opsPerS,
    baseline_ops_per_s: baselineOpsPerS,
    ratio: ratio(opsPerS, baselineOpsPerS),
    disk_writes: run.writes,
  };
}

async function measureOps(cp: BenchEngine, o: CoreBenchOptions): Promise<CoreBenchResults['ops']> {
  const ids = Array.from({ length: o.parties }, (_, p) => `party_${p}`);
  for (const id of ids) cp.registerParty(id, `Party ${id}`, benchPeer(`${id}_m0`));
  const members = ids.flatMap((id) =>
    Array.from({ length: o.peersPerParty - 1 }, (_, k) => [id, `${id}_m${k + 1}`] as const),
  );
  const base = mapOnlyOps(o.parties, o.peersPerParty);
  const join = await timedOps(cp, members.length, (i) =>
    cp.joinParty(members[i]![0], benchPeer(members[i]![1])),
  );
  const beat = await timedOps(cp, members.length, (i) =>
    cp.heartbeat(members[i]![0], members[i]![1]),
  );
  const update = await timedOps(cp, members.length, (i) =>
    cp.updatePeer(members[i]![0], benchPeer(members[i]![1], `Renamed ${i}`)),
  );
  const leave = await timedOps(cp, members.length, (i) =>
    cp.leaveParty(members[i]![0], members[i]![1]),
  );
  // Put everyone back for the later phases.
  for (const [id, peer] of members) cp.joinParty(id, benchPeer(peer));
  await cp.flush();
  return {
    join: figure(join, base.join),
    heartbeat: figure(beat, base.heartbeat),
    update: figure(update, base.update),
    leave: figure(leave, base.leave),
  };
}

/** A profile change (a rename): a party change the store must write, unlike a beat. */
function rename(cp: BenchEngine, members: ReadonlyArray<readonly [string, string]>, i: number) {
  const [partyId, peerId] = members[i % members.length]!;
  cp.updatePeer(partyId, benchPeer(peerId, `Burst ${i}`));
}

async function measureBursts(cp: BenchEngine, o: CoreBenchOptions) {
  const members = [...cp.parties.values()].flatMap((p) =>
    [...p.peers.keys()].map((peer) => [p.partyId, peer] as const),
  );
  const changes = 10_000;
  const before = cp.saveCount;
  for (let i = 0; i < changes; i++) rename(cp, members, i);
  await cp.flush();
  const burst = { changes, writes: cp.saveCount - before, target_writes: 1 };
  // The same number of changes in batches over time: one write per batch at most.
  const slices = o.sweepRuns > 5 ? 100 : 10;
  const sustainedBefore = cp.saveCount;
  const started = performance.now();
  for (let s = 0; s < slices; s++) {
    for (let i = 0; i < changes / slices; i++) rename(cp, members, s * 100 + i);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await cp.flush();
  const duration = performance.now() - started;
  const sustained = {
    changes,
    duration_ms: round(duration, 1),
    batches: slices,
    writes: cp.saveCount - sustainedBefore,
  };
  return { burst, sustained };
}

/** Each of `runs` sweeps' duration, in ms. */
function timeSweeps(cp: BenchEngine, runs: number): number[] {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    cp.sweepNow();
    times.push(performance.now() - started);
  }
  return times;
}

async function measureSweep(
  cp: BenchEngine,
  clock: ShiftedClock,
  o: CoreBenchOptions,
  dir: string,
) {
  const peers = [...cp.parties.values()].reduce((n, p) => n + p.peers.size, 0);
  const times = timeSweeps(cp, o.sweepRuns);
  const lastSeen = [...cp.parties.values()].flatMap((p) =>
    [...p.peers.values()].map((peer) => peer.lastSeen.getTime()),
  );
  const baseline = medianMs(o.sweepRuns, () => {
    const cutoff = Date.now() - PEER_TIMEOUT_MS;
    let stale = 0;
    for (const t of lastSeen) if (t < cutoff) stale++;
    return stale;
  });
  const save = await measureSave(cp, dir);
  // Everyone silent for longer than the timeout: the sweep that actually removes.
  clock.offset += 301_000;
  const staleStarted = performance.now();
  cp.sweepNow();
  const staleMs = performance.now() - staleStarted;
  const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  return {
    sweep: {
      peers,
      parties: o.parties,
      median_ms: round(median, 3),
      max_ms: round(Math.max(...times), 3),
      stale_sweep_ms: round(staleMs, 3),
      baseline_ms: round(baseline, 3),
      ratio: ratio(median, baseline),
    },
    save,
  };
}

async function measureSave(cp: BenchEngine, dir: string) {
  const before = cp.saveCount;
  const [partyId, peerId] = firstMember(cp);
  const started = performance.now();
  cp.updatePeer(partyId, benchPeer(peerId, 'Saved'));
  await cp.flush();
  const ms = performance.now() - started;
  const text = readFileSync(cp.stateFile, 'utf8');
  const baselineMs = rawWriteMs(JSON.parse(text) as unknown, join(dir, 'baseline.json'));
  return {
    ms: round(ms, 2),
    baseline_ms: round(baselineMs, 2),
    ratio: ratio(ms, baselineMs),
    bytes: text.length,
    writes: cp.saveCount - before,
  };
}

function firstMember(cp: BenchEngine): [string, string] {
  const party = cp.parties.values().next().value!;
  return [party.partyId, party.hostId];
}

async function measureLoad(o: CoreBenchOptions, dir: string) {
  const home = join(dir, 'load');
  const path = writeStateFile(
    join(home, 'local_server.json'),
    buildState(o.parties, o.peersPerParty, Date.now()),
  );
  // What the server core's start reads: the store's load (read, parse, validate).
  const parse = medianMs(5, () => new FilePartyStore(path, { logger: silentLogger }).load());
  const baseline = medianMs(5, () => JSON.parse(readFileSync(path, 'utf8')) as unknown);
  const started = performance.now();
  const cp = await BenchEngine.start(home, systemClock);
  const initializeMs = performance.now() - started;
  const loaded = cp.parties.size;
  await cp.close();
  return {
    parties: loaded,
    initialize_ms: round(initializeMs, 2),
    parse_ms: round(parse, 2),
    baseline_ms: round(baseline, 2),
    ratio: ratio(parse, baseline),
  };
}

function coreTargets(
  burst: CoreBenchResults['burst'],
  sustained: CoreBenchResults['sustained'],
  sweep: CoreBenchResults['sweep'],
): CoreBenchResults['targets'] {
  return {
    burst_writes: {
      target: '1 write for 10 000 changes in one tick',
      value: burst.writes,
      met: burst.writes <= 1,
    },
    sustained_writes: {
      target: '<= 1 write per batch of changes',
      value: sustained.writes,
      met: sustained.writes <= sustained.batches + 1,
    },
    sweep_ms: {
      target: `<= 5 ms over ${sweep.peers} peers`,
      value: sweep.median_ms,
      met: sweep.median_ms <= 5,
    },
  };
}

export async function runCoreBench(o: CoreBenchOptions, smoke: boolean): Promise<CoreBenchResults> {
  const dir = mkdtempSync(join(tmpdir(), 'lanrage-core-bench-'));
  const clock = new ShiftedClock();
  const cp = await BenchEngine.start(join(dir, 'home'), clock);
  try {
    const ops = await measureOps(cp, o);
    const { burst, sustained } = await measureBursts(cp, o);
    const { sweep, save } = await measureSweep(cp, clock, o, dir);
    await cp.close();
    const load = await measureLoad(o, dir);
    const targets = coreTargets(burst, sustained, sweep);
    const { writes: _writes, ...saveFigures } = save;
    return {
      bench: 'core',
      machine: machineInfo(),
      smoke,
      scale: { parties: o.parties, peers: o.parties * o.peersPerParty },
      ops,
      burst,
      sustained,
      save: saveFigures,
      sweep,
      load,
      targets,
    };
  } finally {
    await cp.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
