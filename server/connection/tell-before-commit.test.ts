/**
 * On a store of its own the server tells members of a change at once and answers whoever
 * asked once the change is durable (GroupCommitter.whenTellable); each connection still gets
 * its frames in the order they were produced (ordered-sends.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { NO_QUOTAS } from '../admission/quotas';
import type { ServerOptions } from '../server';
import { SlowStore } from '../store/test-util/slow-store';
import { delay, hostParty, peerDict, type RawClient, TestRig } from '../test-util/support';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Every frame `client` gets from now on, as `type` or `type:request_id`, in arrival order. */
function arrivals(client: RawClient): string[] {
  const seen: string[] = [];
  client.ws.on('message', (data: Buffer) => {
    const frame = JSON.parse(data.toString('utf8')) as { type: string; request_id?: string };
    seen.push(frame.request_id ? `${frame.type}:${frame.request_id}` : frame.type);
  });
  return seen;
}

const mentions = (peerId: string) => (f: Record<string, unknown>) =>
  JSON.stringify(f).includes(`"${peerId}"`);

describe('telling members before the commit', () => {
  const rig = new TestRig();
  let disk: SlowStore | null = null;
  afterEach(async () => {
    // Shutting down writes what is pending: the disk must finish it.
    if (disk) disk.quick = true;
    await rig.cleanup();
    disk = null;
  });

  /** `joiners`: that many more clients, past hello before the disk turns slow. */
  async function partyOnSlowDisk(options: Partial<ServerOptions> = {}, joiners = 0) {
    const store = (disk = new SlowStore());
    store.quick = true;
    await rig.start({ ...options, store });
    const host = await rig.connect();
    await hostParty(host, 'party_tell', 'h');
    const guest = await rig.connect();
    await guest.hello();
    const other = await rig.connect();
    await other.hello();
    const more: RawClient[] = [];
    for (let i = 0; i < joiners; i++) {
      more.push(await rig.connect());
      await more[i]!.hello();
    }
    store.quick = false;
    return { store, host, guest, other, joiners: more };
  }

  it('tells the host of a join while the joiner still waits for its commit', async () => {
    const { store, host, guest } = await partyOnSlowDisk();
    const answer = guest.request({
      type: 'join_party',
      party_id: 'party_tell',
      peer: peerDict('g'),
    });
    await host.next(mentions('g'));
    expect(store.inFlight).toBe(1);
    const answered = await Promise.race([answer.then(() => true), tick().then(() => false)]);
    expect(answered).toBe(false);
    store.finishOne();
    expect((await answer).type).toBe('party_update');
  });

  it('sends a joiner its answer before the events that follow its join', async () => {
    const { store, host, guest, other } = await partyOnSlowDisk();
    const order = arrivals(guest);
    const first = guest.request({
      type: 'join_party',
      party_id: 'party_tell',
      peer: peerDict('g'),
    });
    await host.next(mentions('g'));
    const next = other.request({
      type: 'join_party',
      party_id: 'party_tell',
      peer: peerDict('k'),
    });
    // The host hears of k while g's answer is still held: g must not hear of k before it.
    await host.next(mentions('k'));
    expect(order).toEqual([]);
    for (let i = 0; i < 50 && store.inFlight > 0; i++) {
      store.finishOne();
      await tick();
    }
    await Promise.all([first, next]);
    await guest.next(mentions('k'));
    expect(order[0]).toBe('party_update:req-2');
    expect(order).toEqual(['party_update:req-2', 'peer_joined']);
  });

  it('cuts a client whose held answer has more than the unread limit waiting behind it', async () => {
    const limits = { maxBufferedBytes: 4096, rateLimit: null, quotas: NO_QUOTAS };
    const { store, host, guest, joiners } = await partyOnSlowDisk(limits, 30);
    guest.send({ type: 'join_party', party_id: 'party_tell', peer: peerDict('g') });
    await host.next(mentions('g'));
    // Each join tells g at once (a peer_joined of ~300 bytes) and queues behind g's answer.
    for (const [i, c] of joiners.entries()) {
      c.send({ type: 'join_party', party_id: 'party_tell', peer: peerDict(`j${i}`) });
    }
    await host.next(mentions('j29'));
    const cut = await Promise.race([guest.closed.then(() => true), delay(2000).then(() => false)]);
    expect(cut).toBe(true);
    // Cut while its answer still waited for the disk, not when the frames went out.
    expect(store.inFlight).toBe(1);
    expect(guest.received.filter((f) => f.type === 'peer_joined')).toEqual([]);
  });
});
