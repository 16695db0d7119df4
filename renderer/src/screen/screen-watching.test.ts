/**
 * Watching a screen: the sharer offers and the viewer answers, the viewer cap, candidates that
 * come early, and a member who starts a link over and over.
 */
import { describe, expect, it } from 'vitest';
import { MAX_SCREEN_VIEWERS } from '../../../shared/media/screen';
import { FakeScreenNet, tick } from '../test-util/screen-fakes';
import { candidate, candidatesOf, share, watch } from '../test-util/screen-share-support';

describe('ScreenShare: watching', () => {
  it('the sharer makes the offer, never the viewer; both reach connected and the screen shows', async () => {
    const net = new FakeScreenNet(['alice', 'bob']);
    await share(net, 'alice');
    net.machine('bob').watch('alice');
    expect(net.view('bob').watching).toEqual({
      peerId: 'alice',
      state: 'connecting',
      relayed: false,
    });
    await net.settle();
    expect(net.pairs('watch')).toEqual(['bob->alice']);
    expect(net.pairs('offer')).toEqual(['alice->bob']);
    expect(net.pairs('answer')).toEqual(['bob->alice']);
    expect(net.link('alice', 'bob')).toMatchObject({ role: 'sender' });
    expect(net.link('alice', 'bob').calls).toEqual([
      'create offer',
      'local offer',
      'remote answer: answer bob->alice',
    ]);
    expect(net.link('bob', 'alice')).toMatchObject({ role: 'viewer' });
    expect(net.link('bob', 'alice').calls).toEqual([
      'remote offer: offer alice->bob',
      'create answer',
      'local answer',
    ]);
    expect(net.view('alice').viewers).toBe(1);
    net.link('bob', 'alice').report('connected');
    net.link('bob', 'alice').deliver();
    expect(net.view('bob').watching).toEqual({
      peerId: 'alice',
      state: 'connected',
      relayed: false,
    });
    expect(net.streams.get('bob')).toEqual({ from: 'alice' });
  });

  it(`a sharer takes ${MAX_SCREEN_VIEWERS} viewers; the next is told full and says so`, async () => {
    const viewers = Array.from({ length: MAX_SCREEN_VIEWERS + 1 }, (_, i) => `viewer${i}`);
    const net = new FakeScreenNet(['alice', ...viewers]);
    await share(net, 'alice');
    for (const viewer of viewers) await watch(net, viewer, 'alice');
    const last = viewers.at(-1)!;
    expect(net.pairs('offer')).toHaveLength(MAX_SCREEN_VIEWERS);
    expect(net.pairs('offer')).not.toContain(`alice->${last}`);
    expect(net.pairs('full')).toEqual([`alice->${last}`]);
    expect(net.linksOf('alice', last)).toEqual([]);
    expect(net.linksOf(last, 'alice')).toEqual([]);
    expect(net.view(last).watching).toEqual({ peerId: 'alice', state: 'full', relayed: false });
    expect(net.view(viewers[0]!).watching?.state).toBe('connecting');
    expect(net.view('alice').viewers).toBe(MAX_SCREEN_VIEWERS);
    // One leaves: the one who was told full gets in when it asks again.
    net.machine(viewers[0]!).unwatch();
    await net.settle();
    await watch(net, last, 'alice');
    expect(net.pairs('offer').at(-1)).toBe(`alice->${last}`);
    expect(net.view(last).watching).toEqual({
      peerId: 'alice',
      state: 'connecting',
      relayed: false,
    });
    expect(net.view('alice').viewers).toBe(MAX_SCREEN_VIEWERS);
  });

  it('unwatch closes both ends of that viewer’s link and no other', async () => {
    const net = new FakeScreenNet(['alice', 'bob', 'carol']);
    await share(net, 'alice');
    await watch(net, 'bob', 'alice');
    await watch(net, 'carol', 'alice');
    net.machine('bob').unwatch();
    expect(net.view('bob').watching).toBeNull();
    expect(net.link('bob', 'alice').closed).toBe(true);
    await net.settle();
    expect(net.pairs('unwatch')).toEqual(['bob->alice']);
    expect(net.link('alice', 'bob').closed).toBe(true);
    expect(net.link('alice', 'carol').closed).toBe(false);
    expect(net.view('alice').viewers).toBe(1);
    // Bob still sees Alice share, and may watch again.
    expect(net.view('bob').sharers).toEqual(['alice']);
  });

  it('watching another sharer unwatches the first', async () => {
    const net = new FakeScreenNet(['alice', 'bob', 'carol']);
    await share(net, 'alice');
    await share(net, 'carol');
    await watch(net, 'bob', 'alice');
    await watch(net, 'bob', 'carol');
    expect(net.pairs('unwatch')).toEqual(['bob->alice']);
    expect(net.link('bob', 'alice').closed).toBe(true);
    expect(net.link('alice', 'bob').closed).toBe(true);
    expect(net.view('alice').viewers).toBe(0);
    expect(net.view('carol').viewers).toBe(1);
    expect(net.view('bob').watching).toEqual({
      peerId: 'carol',
      state: 'connecting',
      relayed: false,
    });
    expect(net.link('bob', 'carol').calls[0]).toBe('remote offer: offer carol->bob');
  });

  it('a second watch from the same viewer replaces its link', async () => {
    const net = new FakeScreenNet(['alice', 'bob']);
    await share(net, 'alice');
    await watch(net, 'bob', 'alice');
    const old = net.link('alice', 'bob');
    net.machine('alice').receive('bob', { kind: 'watch' });
    await net.settle();
    expect(old.closed).toBe(true);
    expect(net.linksOf('alice', 'bob')).toHaveLength(2);
    expect(net.view('alice').viewers).toBe(1);
    // Bob takes the new offer on a new link of his own.
    expect(net.linksOf('bob', 'alice')).toHaveLength(2);
    expect(net.linksOf('bob', 'alice')[0]?.closed).toBe(true);
    expect(net.link('alice', 'bob').calls.at(-1)).toBe('remote answer: answer bob->alice');
    // The old link's late report no longer speaks for bob.
    old.report('failed');
    expect(net.view('alice').viewers).toBe(1);
  });

  it('watching someone who does not share, or watching the same screen again, sends nothing', async () => {
    const net = new FakeScreenNet(['alice', 'bob']);
    net.machine('bob').watch('alice');
    expect(net.view('bob').watching).toBeNull();
    await share(net, 'alice');
    await watch(net, 'bob', 'alice');
    await watch(net, 'bob', 'alice');
    expect(net.pairs('watch')).toEqual(['bob->alice']);
  });
});

describe('ScreenShare: candidates', () => {
  it('the viewer queues candidates that come before the offer, then applies them in order', async () => {
    const net = new FakeScreenNet(['alice', 'bob']);
    await share(net, 'alice');
    const bob = net.machine('bob');
    bob.watch('alice');
    // Alice's side is played by the test: her machine never hears the watch.
    net.inbox.length = 0;
    bob.receive('alice', candidate('c1'));
    bob.receive('alice', candidate('c2'));
    await tick();
    expect(net.linksOf('bob', 'alice')).toEqual([]);
    bob.receive('alice', { kind: 'offer', sdp: 'offer-sdp' });
    // While the description is being set: it must still wait.
    bob.receive('alice', candidate('c3'));
    const link = net.link('bob', 'alice');
    expect(link.calls).toEqual([]);
    await net.settle();
    expect(link.calls[0]).toBe('remote offer: offer-sdp');
    expect(candidatesOf(link.calls)).toEqual(['candidate c1', 'candidate c2', 'candidate c3']);
    expect(net.pairs('answer')).toEqual(['bob->alice']);
  });

  it('the sharer queues candidates that come before the answer', async () => {
    const net = new FakeScreenNet(['alice', 'bob']);
    await share(net, 'alice');
    const alice = net.machine('alice');
    alice.receive('bob', { kind: 'watch' });
    alice.receive('bob', candidate('c1'));
    await tick();
    await tick();
    const link = net.link('alice', 'bob');
    expect(link.calls).toEqual(['create offer', 'local offer']);
    alice.receive('bob', { kind: 'answer', sdp: 'answer-sdp' });
    await tick();
    await tick();
    expect(link.calls.slice(2)).toEqual(['remote answer: answer-sdp', 'candidate c1']);
  });

  it('local candidates go both ways as candidate signals', async () => {
    const net = new FakeScreenNet(['alice', 'bob']);
    await share(net, 'alice');
    await watch(net, 'bob', 'alice');
    const c = { candidate: 'candidate:1 1 udp 1 10.0.0.2 5000 typ host', sdp_mid: '0' };
    net.link('alice', 'bob').handlers.onIceCandidate({ ...c, sdp_m_line_index: 0 });
    net.link('bob', 'alice').handlers.onIceCandidate({ ...c, sdp_m_line_index: 1 });
    await net.settle();
    expect(net.pairs('candidate')).toEqual(['alice->bob', 'bob->alice']);
    expect(candidatesOf(net.link('bob', 'alice').calls)).toEqual([`candidate ${c.candidate}`]);
    expect(candidatesOf(net.link('alice', 'bob').calls)).toEqual([`candidate ${c.candidate}`]);
  });
});

describe('ScreenShare: a member restarting a link in a loop', () => {
  it('a viewer’s repeated watch makes at most one new link to it in 2 s', async () => {
    const net = new FakeScreenNet(['alice', 'bob']);
    await share(net, 'alice');
    await watch(net, 'bob', 'alice');
    const links = () => net.linksOf('alice', 'bob');
    expect(links()).toHaveLength(1);
    for (let i = 0; i < 5; i += 1) net.machine('alice').receive('bob', { kind: 'watch' });
    expect(links()).toHaveLength(2);
    net.timers.advance(1_999);
    net.machine('alice').receive('bob', { kind: 'watch' });
    expect(links()).toHaveLength(2);
    net.timers.advance(1);
    net.machine('alice').receive('bob', { kind: 'watch' });
    expect(links()).toHaveLength(3);
  });

  it('a sharer’s repeated offers restart the viewer’s link at most once in 2 s', async () => {
    const net = new FakeScreenNet(['alice', 'bob']);
    await share(net, 'alice');
    await watch(net, 'bob', 'alice');
    const links = () => net.linksOf('bob', 'alice');
    expect(links()).toHaveLength(1);
    for (let i = 0; i < 5; i += 1) {
      net.machine('bob').receive('alice', { kind: 'offer', sdp: `again ${i}` });
    }
    expect(links()).toHaveLength(2);
    net.timers.advance(2_000);
    net.machine('bob').receive('alice', { kind: 'offer', sdp: 'later' });
    expect(links()).toHaveLength(3);
  });
});
