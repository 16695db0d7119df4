/**
 * The simulated party members of the UI bench: raw ws clients that stay cheap. A party of
 * 256 turns each update into 255 party_update frames of ~60 kB; on a 2-core machine, parsing
 * them all in the bench process would steal CPU from the app being measured and delay the
 * observer's timestamps. So a member parses a frame only while it waits for an answer, and
 * the observer takes its timestamp when the frame arrives, before parsing.
 */
import WebSocket from 'ws';
import { peerDict, type WireMessage } from '../load/peer-client';
import { runPool } from '../load/pool';

const REQUEST_TIMEOUT_MS = 15_000;

export type FrameListener = (text: string, at: number) => void;

export class SimPeer {
  private ws: WebSocket | null = null;
  private pending: { id: string; resolve(m: WireMessage): void; reject(e: Error): void } | null =
    null;
  private counter = 0;

  constructor(
    readonly peerId: string,
    private readonly onFrame: FrameListener | null = null,
  ) {}

  connect(url: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: 10_000 });
      this.ws = ws;
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.on('message', (data: Buffer) => this.onMessage(data));
      ws.on('close', () => this.pending?.reject(new Error(`${this.peerId}: socket closed`)));
    });
  }

  /** One request at a time: the answer is the frame carrying its request_id. */
  request(message: Record<string, unknown>): Promise<WireMessage> {
    const id = `${this.peerId}:${++this.counter}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => fail(new Error(`${this.peerId}: no answer to ${String(message.type)}`)),
        REQUEST_TIMEOUT_MS,
      );
      const done = () => (clearTimeout(timer), (this.pending = null));
      const fail = (e: Error) => (done(), reject(e));
      this.pending = { id, resolve: (m) => (done(), resolve(m)), reject: fail };
      this.ws!.send(JSON.stringify({ ...message, request_id: id }));
    });
  }

  close(): void {
    this.ws?.terminate();
  }

  private onMessage(data: Buffer): void {
    const at = Date.now();
    if (!this.pending && !this.onFrame) return;
    const text = data.toString();
    this.onFrame?.(text, at);
    const pending = this.pending;
    if (!pending || !text.includes(pending.id)) return;
    const message = JSON.parse(text) as WireMessage;
    if (message.request_id !== pending.id) return;
    if (message.type === 'error') pending.reject(new Error(`server: ${String(message.message)}`));
    else pending.resolve(message);
  }
}

/**
 * `count` members join over raw ws. The first is the observer (gets `onFrame`); it joins
 * alone, then `next` runs (the baseline page joins there), then the rest. The server's
 * fan-out order is join order, so the observer, the app (host) and the baseline page get
 * each update before the crowd.
 */
export async function joinSims(
  url: string,
  partyId: string,
  count: number,
  onFrame: FrameListener,
  next: () => Promise<void>,
): Promise<SimPeer[]> {
  const sims = Array.from(
    { length: count },
    (_, i) => new SimPeer(`bench_sim_${i}`, i === 0 ? onFrame : null),
  );
  await joinOne(sims[0]!, url, partyId, 0);
  await next();
  const outcome = await runPool(sims.slice(1), 16, (sim) =>
    joinOne(sim, url, partyId, sims.indexOf(sim)),
  );
  if (outcome.failed > 0) {
    for (const sim of sims) sim.close();
    throw new Error(`${outcome.failed} simulated peers could not join: ${outcome.firstError}`);
  }
  return sims;
}

async function joinOne(sim: SimPeer, url: string, partyId: string, index: number): Promise<void> {
  await sim.connect(url);
  await sim.request({ type: 'hello', version: '1.0', client: 'lanrage-bench' });
  const peer = peerDict(sim.peerId, index);
  const answer = await sim.request({ type: 'join_party', party_id: partyId, peer });
  if (answer.type !== 'party_update') throw new Error(`join answered with ${answer.type}`);
}
