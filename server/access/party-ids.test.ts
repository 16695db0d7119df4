import { afterEach, describe, expect, it } from 'vitest';
import { MemoryPartyStore } from '../store/test-util/memory-store';
import { clockAt, hostParty, peerDict, TestRig } from '../test-util/support';

const rig = new TestRig();
afterEach(() => rig.cleanup());

describe('party ids (issue 10)', () => {
  it('refuses to register an id shorter than 8 characters, saying why', async () => {
    await rig.start();
    const c = await rig.connect();
    await c.hello();
    const answer = await c.request({
      type: 'register_party',
      party_id: 'party_1',
      name: 'P',
      host_peer: peerDict('h'),
    });
    expect(answer).toMatchObject({ type: 'error', code: 'bad_request' });
    expect(String(answer.message)).toMatch(/at least 8 characters/);
  });

  it('a closed party’s id is never registered again, even after a restart', async () => {
    const store = new MemoryPartyStore();
    await rig.start({ store });
    const host = await rig.connect();
    await hostParty(host, 'party_reused', 'h');
    await host.request({ type: 'close_party', party_id: 'party_reused' });
    const stranger = await rig.connect();
    await stranger.hello();
    const again = () =>
      stranger.request({
        type: 'register_party',
        party_id: 'party_reused',
        name: 'Not yours',
        host_peer: peerDict('s'),
      });
    expect(await again()).toMatchObject({ type: 'error', code: 'conflict' });
    await rig.cleanup();
    await rig.start({ store });
    const later = await rig.connect();
    await later.hello();
    const answer = await later.request({
      type: 'register_party',
      party_id: 'party_reused',
      name: 'Not yours',
      host_peer: peerDict('s'),
    });
    expect(answer).toMatchObject({ type: 'error', code: 'conflict' });
  });
});

describe('list_parties (issue 10)', () => {
  it('lists public parties only, newest first, matching the query, a page at a time', async () => {
    let now = Date.UTC(2026, 0, 29, 12);
    await rig.start({ clock: clockAt(() => now) });
    const host = await rig.connect();
    await host.hello();
    for (let i = 0; i < 7; i++) {
      now += 1000;
      await host.request({
        type: 'register_party',
        party_id: `party_list_${i}`,
        name: i % 2 === 0 ? `Quake night ${i}` : `Chess ${i}`,
        host_peer: peerDict(`h${i}`),
        settings: { visibility: i === 4 ? 'private' : 'public' },
      });
    }
    const browser = await rig.connect();
    const all = await browser.request({ type: 'list_parties' });
    expect((all.parties as { party_id: string }[]).map((p) => p.party_id)).toEqual(
      [6, 5, 3, 2, 1, 0].map((i) => `party_list_${i}`),
    );
    const first = await browser.request({ type: 'list_parties', query: 'QUAKE', limit: 2 });
    expect((first.parties as { name: string }[]).map((p) => p.name)).toEqual([
      'Quake night 6',
      'Quake night 2',
    ]);
    const second = await browser.request({
      type: 'list_parties',
      query: 'quake',
      limit: 2,
      cursor: first.next_cursor,
    });
    expect((second.parties as { name: string }[]).map((p) => p.name)).toEqual(['Quake night 0']);
    expect(second.next_cursor).toBeNull();
    expect(JSON.stringify(all)).not.toContain('203.0.113.42');
  });

  it('refuses a limit above 50', async () => {
    await rig.start();
    const c = await rig.connect();
    expect(await c.request({ type: 'list_parties', limit: 51 })).toMatchObject({
      type: 'error',
      code: 'bad_request',
    });
  });
});
