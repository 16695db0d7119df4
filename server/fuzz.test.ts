/**
 * Fuzzing the real server process (port 0) with what a hostile peer can send: arbitrary
 * JSON, deep nesting, the protocol's own messages with broken fields, binary frames and
 * frames at the 64 KiB limit. After every batch the process must still run, must have
 * answered the batch (a sentinel request sent last comes back), must not have hit an
 * internal error, and a well-behaved client must still be served. Runs are bounded.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FRAME_BYTES } from '../shared/protocol/protocol';
import { RawClient, hostParty, peerDict, type Frame } from './test-util/support';
import { spawnServer, type ServerProcess } from './test-util/process';

let dir: string;
let proc: ServerProcess;
let fuzzer: RawClient;
let sentinel = 0;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lanrage-fuzz-'));
  // The rate limits off, so every frame reaches the parser instead of being refused unread.
  const unlimited = ['--rate-limit', '0', '--rate-limit-per-ip', '0'];
  proc = await spawnServer(['--port', '0', '--data-dir', dir, ...unlimited]);
  fuzzer = await freshFuzzer();
}, 30_000);
afterAll(async () => {
  await fuzzer?.close();
  await proc?.kill();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function freshFuzzer(): Promise<RawClient> {
  const c = await RawClient.connect(proc.url);
  await hostParty(c, `party_fz${++sentinel}_x`, `fzh${sentinel}`);
  return c;
}

/** Sends a batch, then a sentinel; checks the server answered everything and survived. */
async function sendBatch(frames: ReadonlyArray<string | Uint8Array>): Promise<void> {
  if (fuzzer.closeCode !== null) fuzzer = await freshFuzzer();
  fuzzer.received.length = 0;
  for (const frame of frames) {
    fuzzer.ws.send(frame, { binary: typeof frame !== 'string' });
  }
  const answer = await fuzzer.request({ type: 'get_party', party_id: 'no-such-party' }, 5_000);
  expect(fuzzer.closeCode).toBeNull();
  expect(answer).toMatchObject({ type: 'error', code: 'not_found' });
  expect(proc.child.exitCode).toBeNull();
  const internal = fuzzer.received.filter(
    (f: Frame) => f.type === 'error' && f.code === 'internal',
  );
  expect(internal).toEqual([]);
}

/** A client doing what the app does is still served. */
async function wellBehavedClientIsServed(): Promise<void> {
  const id = `party_ok${++sentinel}`;
  const host = await RawClient.connect(proc.url);
  const guest = await RawClient.connect(proc.url);
  try {
    await hostParty(host, id, `${id}h`);
    await guest.hello();
    const joined = await guest.request({
      type: 'join_party',
      party_id: id,
      peer: peerDict(`${id}g`),
    });
    expect(joined.type).toBe('party_update');
    expect((await host.nextOfType('peer_joined')).party_id).toBe(id);
    const beat = await guest.request({ type: 'heartbeat', party_id: id, peer_id: `${id}g` });
    expect(beat.type).toBe('heartbeat_ack');
  } finally {
    await Promise.all([host.close(), guest.close()]);
  }
}

const RUNS = { numRuns: 100 };
const batch = <T>(arb: fc.Arbitrary<T>) => fc.array(arb, { minLength: 1, maxLength: 40 });

/** Nesting of arrays and objects, mixed, `depth` levels, within the frame limit. */
const deepFrame = fc
  // Up to 10 000 levels: an all-object nesting then still fits in a 64 KiB frame.
  .record({ depth: fc.integer({ min: 30, max: 10_000 }), seed: fc.integer() })
  .map(({ depth, seed }) => {
    let open = '';
    let close = '';
    for (let i = 0; i < depth; i += 1) {
      const object = ((seed >>> (i % 31)) & 1) === 1;
      open += object ? '{"k":' : '[';
      close = (object ? '}' : ']') + close;
    }
    const inner = `${open}1${close}`;
    return `{"type":"signal","party_id":"p","from_peer_id":"a","to_peer_id":"b","signal_data":${inner}}`;
  });

const TEMPLATES: Record<string, unknown>[] = [
  { type: 'hello', version: '1.0', client: 'lanrage' },
  { type: 'register_party', party_id: 'party_fp_x', name: 'P', host_peer: peerDict('fh') },
  { type: 'join_party', party_id: 'party_fz1_x', peer: peerDict('fj') },
  { type: 'leave_party', party_id: 'party_fz1_x', peer_id: 'fj' },
  { type: 'heartbeat', party_id: 'party_fz1_x', peer_id: 'fzh1' },
  { type: 'update_peer', party_id: 'party_fz1_x', peer: peerDict('fzh1') },
  {
    type: 'signal',
    party_id: 'party_fz1_x',
    from_peer_id: 'fzh1',
    to_peer_id: 'fzh1',
    signal_data: {},
  },
  { type: 'get_party', party_id: 'party_fz1_x' },
];

/** One of the protocol's messages with one field (top level or in a peer) replaced or removed. */
const brokenMessage = fc
  .record({
    template: fc.constantFrom(...TEMPLATES),
    path: fc.nat(),
    value: fc.option(fc.jsonValue({ maxDepth: 4 }), { nil: undefined }),
    inPeer: fc.boolean(),
  })
  .map(({ template, path: at, value, inPeer }) => {
    const message = structuredClone(template);
    const peerKey = ['peer', 'host_peer'].find((k) => k in message);
    const target = (inPeer && peerKey ? message[peerKey] : message) as Record<string, unknown>;
    const keys = Object.keys(target);
    const key = keys[at % keys.length]!;
    if (value === undefined) delete target[key];
    else target[key] = value;
    return JSON.stringify(message);
  });

describe('fuzzing the server process', () => {
  it('survives arbitrary JSON values', async () => {
    await fc.assert(
      fc.asyncProperty(batch(fc.jsonValue()), (values) =>
        sendBatch(values.map((v) => JSON.stringify(v) ?? 'null')),
      ),
      RUNS,
    );
    await wellBehavedClientIsServed();
  });

  it('survives nesting from 30 to 10 000 levels of arrays and objects', async () => {
    await fc.assert(fc.asyncProperty(batch(deepFrame), sendBatch), { numRuns: 20 });
    await wellBehavedClientIsServed();
  });

  it('survives the protocol messages with broken fields', async () => {
    await fc.assert(fc.asyncProperty(batch(brokenMessage), sendBatch), RUNS);
    await wellBehavedClientIsServed();
  });

  it('survives binary frames and text that is not UTF-8 JSON', async () => {
    const junk = fc.oneof(
      fc.uint8Array({ maxLength: 2048 }),
      fc.string({ unit: 'binary', maxLength: 512 }),
    );
    await fc.assert(fc.asyncProperty(batch(junk), sendBatch), RUNS);
    await wellBehavedClientIsServed();
  });

  it('answers frames up to the 64 KiB limit and closes over it with 1009', async () => {
    /** A hello of exactly `bytes`, its `client` far over that field's bound. */
    const frameOf = (bytes: number, requestId: string): string => {
      const head = JSON.stringify({ type: 'hello', client: '', request_id: requestId });
      return head.replace('""', `"${'x'.repeat(bytes - head.length)}"`);
    };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -64, max: 0 }), async (delta) => {
        const id = `big${++sentinel}`;
        await sendBatch([frameOf(MAX_FRAME_BYTES + delta, id)]);
        // Read and judged, not dropped: the frame's own answer came before the sentinel's.
        expect(fuzzer.received.find((f) => f.request_id === id)).toMatchObject({
          type: 'error',
          code: 'bad_request',
          message: expect.stringContaining('client') as unknown,
        });
      }),
      { numRuns: 10 },
    );
    const over = await RawClient.connect(proc.url);
    over.sendRaw(frameOf(MAX_FRAME_BYTES + 1, 'over'));
    expect(await over.closed).toBe(1009);
    expect(proc.child.exitCode).toBeNull();
    await wellBehavedClientIsServed();
  });
});
