/**
 * Fuzzing the app's frame handling: a scripted server on 127.0.0.1 pushes junk (any JSON,
 * deep nesting, the protocol's own message shapes with broken fields, binary frames, sizes
 * at the limit) to a real RemoteControlPlane (WsClient + the push handlers). Nothing may
 * throw out of a handler (vitest fails on any uncaught error), the connection stays up,
 * and after every batch a heartbeat still gets its answer.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../../shared/protocol/json-depth';
import type { RemoteControlPlane } from './control-plane';
import { waitFor } from '../test-util/child-process';
import { makePeer } from '../test-util/fixtures';
import { testRemotePlane } from '../test-util/remote-plane';
import { partyDict, peerDict, ScriptedServer } from '../test-util/scripted-server';
import { makeTempDir } from '../test-util/temp-dir';

let server: ScriptedServer;
let plane: RemoteControlPlane;
let cleanup: () => void;

beforeAll(async () => {
  let home: string;
  ({ dir: home, cleanup } = makeTempDir('lanrage-fuzz-'));
  server = await ScriptedServer.start();
  plane = testRemotePlane(home, 'me', server.url, { reconnectDelayMs: 50 });
  await plane.initialize();
  await plane.registerParty('p1', 'Fuzzed', makePeer('me'));
});
afterAll(async () => {
  await plane.close();
  await server.close();
  cleanup();
});

type Frame = string | Buffer;

/** Pushes the frames, then proves the client still reads and answers on the same link. */
async function survives(frames: Frame[]): Promise<void> {
  server.push(...frames);
  await plane.heartbeat('p1', 'me');
  expect(plane.connected).toBe(true);
  expect(server.connections).toBe(1);
}

const run = (arb: fc.Arbitrary<Frame[]>, numRuns = 150) =>
  fc.assert(fc.asyncProperty(arb, survives), { numRuns });

/** Well-formed messages of every server type, about our own party. */
const templates: Record<string, unknown>[] = [
  {
    type: 'welcome',
    session_token: 't'.repeat(32),
    version: '1.0',
    heartbeat_interval: 30,
    peer_timeout: 300,
  },
  { type: 'party_update', party: partyDict('p1', [peerDict('me'), peerDict('friend')]) },
  { type: 'peer_joined', party_id: 'p1', peer: peerDict('friend') },
  { type: 'peer_left', party_id: 'p1', peer_id: 'friend' },
  { type: 'party_closed', party_id: 'zz', reason: 'host_left' },
  { type: 'heartbeat_ack', server_time: '2026-01-29T12:00:00Z' },
  { type: 'ack', request_id: 'r999999' },
  {
    type: 'signal',
    party_id: 'p1',
    from_peer_id: 'friend',
    to_peer_id: 'me',
    signal_data: { sdp: 'x' },
  },
  { type: 'error', message: 'nope', code: 'bad_request' },
];

/** One template with one field replaced by any JSON value, or removed. */
const brokenMessage = fc
  .tuple(
    fc.constantFrom(...templates),
    fc.nat(),
    fc.option(fc.jsonValue({ maxDepth: 4 }), { nil: undefined }),
    fc.option(fc.constantFrom('r1', 'r2', 'r1000000'), { nil: undefined }),
  )
  .map(([template, pick, value, requestId]) => {
    const message: Record<string, unknown> = structuredClone(template);
    const keys = Object.keys(message);
    const key = keys[pick % keys.length]!;
    if (value === undefined) delete message[key];
    else message[key] = value;
    if (requestId) message.request_id = requestId;
    return JSON.stringify(message);
  });

/** `[[[…]]]` or `{"a":{"a":…}}` from just past the limit to well past a stack overflow. */
const deep = fc
  .tuple(fc.integer({ min: MAX_JSON_DEPTH + 1, max: 5000 }), fc.boolean())
  .map(([depth, arrays]) =>
    arrays
      ? '['.repeat(depth) + ']'.repeat(depth)
      : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth),
  );

const deepInside = fc
  .tuple(deep, fc.constantFrom('signal_data', 'peer', 'party'))
  .map(([nested, field]) => {
    const base = {
      type: field === 'signal_data' ? 'signal' : field === 'peer' ? 'peer_joined' : 'party_update',
    };
    return `{"type":"${base.type}","party_id":"p1","from_peer_id":"a","to_peer_id":"me","${field}":${nested}}`;
  });

describe('client frame handling under fuzz (0 crashes, still served)', () => {
  it('any JSON value', () =>
    run(
      fc.array(
        fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'),
        { maxLength: 5 },
      ),
    ));

  it('any text and any bytes, as text and as binary frames', () =>
    run(
      fc.array(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
          fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
        ),
        { maxLength: 5 },
      ),
    ));

  it('the protocol’s own message shapes with broken fields', () =>
    run(fc.array(brokenMessage, { minLength: 1, maxLength: 8 }), 300));

  it('deep nesting, bare and inside message fields', () =>
    run(fc.array(fc.oneof(deep, deepInside), { minLength: 1, maxLength: 3 }), 60));

  it('a frame just under the size limit is read and dropped; one over it closes, then reconnects', async () => {
    const padding = 'x'.repeat(4 * 1024 * 1024 - 200);
    await survives([JSON.stringify({ type: 'error', message: padding })]);
    server.push(JSON.stringify({ type: 'error', message: `${padding}${'x'.repeat(400)}` }));
    await waitFor(() => !plane.connected, 3000);
    await waitFor(() => plane.connected, 5000);
    await plane.heartbeat('p1', 'me');
    expect(plane.parties.has('p1')).toBe(true);
  });
});
