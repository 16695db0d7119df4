/**
 * The seed's 1.0 messages still work against a 1.2 server, for a client that knows nothing
 * of identity keys and ignores the message types it does not know (the `challenge`).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { peerDict, TestRig } from '../test-util/support';

const rig = new TestRig();
afterEach(() => rig.cleanup());

/** A 1.0 client: sends, and waits for the next answer of a type it knows. */
async function client(url: string) {
  const ws = new WebSocket(url);
  const frames: Record<string, unknown>[] = [];
  ws.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString()) as never));
  await new Promise((resolve) => ws.once('open', resolve));
  const known = new Set(['welcome', 'party_update', 'error', 'ack', 'heartbeat_ack']);
  const answer = async (message: object) => {
    const before = frames.length;
    ws.send(JSON.stringify(message));
    for (let i = 0; i < 500; i++) {
      const got = frames.slice(before).find((f) => known.has(String(f.type)));
      if (got) return got;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no answer to ${JSON.stringify(message)}`);
  };
  return { ws, frames, answer };
}

describe('a 1.0 client (the seed’s messages)', () => {
  it('says hello, registers, is joined, beats, reads the party and leaves', async () => {
    await rig.start();
    const host = await client(rig.server!.url);
    const guest = await client(rig.server!.url);
    try {
      expect(await host.answer({ type: 'hello', version: '1.0', client: 'lanrage' })).toMatchObject(
        {
          type: 'welcome',
        },
      );
      await guest.answer({ type: 'hello', version: '1.0', client: 'lanrage' });
      const registered = await host.answer({
        type: 'register_party',
        party_id: 'party_abc123',
        name: 'Gaming Night',
        host_peer: peerDict('peer123'),
      });
      expect(registered).toMatchObject({ type: 'party_update' });
      const joined = await guest.answer({
        type: 'join_party',
        party_id: 'party_abc123',
        peer: peerDict('peer456'),
      });
      expect(Object.keys((joined.party as { peers: object }).peers).sort()).toEqual([
        'peer123',
        'peer456',
      ]);
      const beat = await guest.answer({
        type: 'heartbeat',
        party_id: 'party_abc123',
        peer_id: 'peer456',
      });
      expect(beat).not.toMatchObject({ type: 'error' });
      const party = await guest.answer({ type: 'get_party', party_id: 'party_abc123' });
      expect(party).toMatchObject({ type: 'party_update' });
      expect(
        await guest.answer({ type: 'leave_party', party_id: 'party_abc123', peer_id: 'peer456' }),
      ).toMatchObject({ type: 'ack' });
      expect(host.frames.some((f) => f.type === 'challenge')).toBe(true);
    } finally {
      host.ws.close();
      guest.ws.close();
    }
  });
});
