import { afterEach, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../shared/protocol/json-depth';
import { TestRig, clockAt, hostParty, peerDict } from '../test-util/support';
import { MAX_FRAME_MARKS } from './frames';

const rig = new TestRig();
afterEach(() => rig.cleanup());

const nested = (depth: number, open: string, close: string, leaf = '1'): string =>
  open.repeat(depth) + leaf + close.repeat(depth);

describe('frames the schema never sees', () => {
  it('refuses a signal nesting 1 300 arrays deep (it used to kill the process), answering its request_id', async () => {
    await rig.start();
    const c = await rig.connect();
    await hostParty(c, 'party_p1_x', 'h');
    const frame = `{"type":"signal","party_id":"p1","from_peer_id":"h","to_peer_id":"h","request_id":"deep","signal_data":${nested(1300, '[', ']')}}`;
    c.sendRaw(frame);
    const answer = await c.next((f) => f.request_id === 'deep');
    expect(answer).toMatchObject({ type: 'error', code: 'bad_request' });
    expect(answer.message).toContain(`${MAX_JSON_DEPTH} levels`);
    expect((await c.request({ type: 'get_party', party_id: 'party_p1_x' })).type).toBe(
      'party_update',
    );
  });

  it('refuses 1 200 nested objects before hello, and the connection goes on', async () => {
    await rig.start();
    const c = await rig.connect();
    const deep = nested(1200, '{"a":', '}');
    c.sendRaw(
      `{"type":"signal","party_id":"p","from_peer_id":"a","to_peer_id":"b","signal_data":${deep}}`,
    );
    expect(await c.nextOfType('error')).toMatchObject({ code: 'bad_request' });
    expect((await c.request({ type: 'hello' })).type).toBe('welcome');
  });

  it('lets a signal at the depth limit through and refuses one level more', async () => {
    await rig.start({ rateLimit: null });
    const c = await rig.connect();
    await hostParty(c, 'party_p1_x', 'h');
    // The frame object is level 1, so signal_data may nest MAX_JSON_DEPTH - 1 levels.
    const send = (depth: number) =>
      c.request({
        type: 'signal',
        party_id: 'party_p1_x',
        from_peer_id: 'h',
        to_peer_id: 'h',
        signal_data: JSON.parse(nested(depth, '[', ']')) as unknown,
      });
    expect(await send(MAX_JSON_DEPTH - 1)).toMatchObject({ type: 'ack' });
    expect(await send(MAX_JSON_DEPTH)).toMatchObject({ type: 'error', code: 'bad_request' });
  });

  it('lets a shallow frame through however many brackets its strings hold', async () => {
    await rig.start({ rateLimit: null });
    const c = await rig.connect();
    await hostParty(c, 'party_p1_x', 'h');
    const answer = await c.request({
      type: 'signal',
      party_id: 'party_p1_x',
      from_peer_id: 'h',
      to_peer_id: 'h',
      signal_data: { sdp: '[{'.repeat(MAX_JSON_DEPTH * 2) },
    });
    expect(answer).toMatchObject({ type: 'ack' });
  });

  it('refuses a frame holding more than MAX_FRAME_MARKS brackets and commas before parsing it', async () => {
    await rig.start({ rateLimit: null });
    const c = await rig.connect();
    await hostParty(c, 'party_p1_x', 'h');
    // Besides signal_data's items and the commas between them: one `{`, one `[`, five commas.
    const signal = (items: number, id: string) =>
      `{"type":"signal","party_id":"party_p1_x","from_peer_id":"h","to_peer_id":"h","request_id":"${id}","signal_data":[${Array(items).fill('0').join(',')}]}`;
    const atBound = MAX_FRAME_MARKS - 6;
    c.sendRaw(signal(atBound + 1, 'many'));
    const refused = await c.next((f) => f.request_id === 'many');
    expect(refused).toMatchObject({ type: 'error', code: 'bad_request' });
    expect(refused.message).toBe(
      `Message holds too many values (over ${MAX_FRAME_MARKS} brackets and commas)`,
    );
    c.sendRaw(signal(atBound, 'fewer'));
    expect(await c.next((f) => f.request_id === 'fewer')).toMatchObject({ type: 'ack' });
  });

  it('answers a binary frame with bad_request and still serves the connection', async () => {
    await rig.start();
    const c = await rig.connect();
    c.ws.send(Buffer.from(JSON.stringify({ type: 'hello', request_id: 'bin' })), { binary: true });
    const answer = await c.nextOfType('error');
    expect(answer).toMatchObject({ code: 'bad_request' });
    expect(answer.message).toMatch(/Binary frames/);
    expect((await c.request({ type: 'hello' })).type).toBe('welcome');
  });

  it.each(['null', '[]', '42', '"hello"'])(
    'answers %s (JSON, not a message) with bad_request',
    async (text) => {
      await rig.start();
      const c = await rig.connect();
      c.sendRaw(text);
      expect(await c.nextOfType('error')).toMatchObject({ code: 'bad_request' });
      expect((await c.request({ type: 'hello' })).type).toBe('welcome');
    },
  );

  it('echoes the request_id on rate_limited, so the client need not wait for its timeout', async () => {
    await rig.start({
      clock: clockAt(() => 0),
      rateLimit: { burst: 2, perSecond: 1, maxStrikes: 50 },
    });
    const c = await rig.connect();
    c.send({ type: 'hello', request_id: 'a' });
    c.send({ type: 'hello', request_id: 'b' });
    c.send({ type: 'join_party', party_id: 'party_p1_x', peer: peerDict('x'), request_id: 'c' });
    expect(await c.next((f) => f.request_id === 'c')).toMatchObject({
      type: 'error',
      code: 'rate_limited',
    });
  });
});
