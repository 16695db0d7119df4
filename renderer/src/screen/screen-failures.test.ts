/** Signals that are not mine to take, sends that fail, and links that fail or are refused. */
import { describe, expect, it } from 'vitest';
import { FakeScreenNet, tick } from '../test-util/screen-fakes';
import { candidate, share, watch } from '../test-util/screen-share-support';

describe('ScreenShare: signals in the wrong role', () => {
  it('are ignored: no link, no answer but to the ask, nothing thrown, the view unchanged', async () => {
    const net = new FakeScreenNet(['alice', 'bob', 'carol']);
    const bob = net.machine('bob');
    // Bob shares nothing and watches no one.
    bob.receive('alice', { kind: 'offer', sdp: 'offer-sdp' });
    bob.receive('alice', { kind: 'answer', sdp: 'answer-sdp' });
    bob.receive('alice', candidate('c1'));
    bob.receive('alice', { kind: 'unwatch' });
    bob.receive('alice', { kind: 'full' });
    bob.receive('alice', { kind: 'stopped' });
    bob.receive('alice', { kind: 'ask' });
    // A signal that claims to come from me.
    bob.receive('bob', { kind: 'sharing' });
    await net.settle();
    expect(net.sent).toEqual([{ from: 'bob', to: 'alice', signal: { kind: 'stopped' } }]);
    expect(net.links).toEqual([]);
    expect(net.view('bob')).toMatchObject({ sharing: false, sharers: [], watching: null });
  });

  it('an offer from someone I do not watch, and an answer from someone not watching me', async () => {
    const net = new FakeScreenNet(['alice', 'bob', 'carol']);
    await share(net, 'alice');
    await share(net, 'carol');
    await watch(net, 'bob', 'alice');
    net.sent.length = 0;
    const linksBefore = net.links.length;
    // Carol shares but Bob did not ask to watch her; Carol watches nobody, so answers nothing.
    net.machine('bob').receive('carol', { kind: 'offer', sdp: 'offer-sdp' });
    net.machine('bob').receive('carol', { kind: 'full' });
    net.machine('alice').receive('carol', { kind: 'answer', sdp: 'answer-sdp' });
    net.machine('carol').receive('bob', { kind: 'answer', sdp: 'answer-sdp' });
    net.machine('carol').receive('bob', { kind: 'offer', sdp: 'offer-sdp' });
    // Alice's link to Bob has its answer already: a second one is not taken.
    net.machine('alice').receive('bob', { kind: 'answer', sdp: 'again' });
    await net.settle();
    expect(net.sent).toEqual([]);
    expect(net.links.length).toBe(linksBefore);
    expect(net.link('alice', 'bob').calls).not.toContain('remote answer: again');
    expect(net.view('bob').watching).toEqual({
      peerId: 'alice',
      state: 'connecting',
      relayed: false,
    });
  });
});

describe('ScreenShare: failures', () => {
  it('a watch that does not reach the sharer shows failed; watching again retries', async () => {
    const net = new FakeScreenNet(['alice', 'bob']);
    await share(net, 'alice');
    net.unreachable.add('alice');
    await watch(net, 'bob', 'alice');
    expect(net.view('bob').watching).toEqual({ peerId: 'alice', state: 'failed', relayed: false });
    net.unreachable.delete('alice');
    await watch(net, 'bob', 'alice');
    expect(net.pairs('watch')).toEqual(['bob->alice', 'bob->alice']);
    expect(net.view('bob').watching).toEqual({
      peerId: 'alice',
      state: 'connecting',
      relayed: false,
    });
    expect(net.pairs('answer')).toEqual(['bob->alice']);
  });

  it('an answer the relay cannot take (a bridge that throws) fails the viewer’s link', async () => {
    const net = new FakeScreenNet(['alice', 'bob']);
    await share(net, 'alice');
    const bob = net.machine('bob');
    bob.watch('alice');
    // Alice's side is played by the test; from now on the bridge throws.
    net.inbox.length = 0;
    net.throwing.add('alice');
    bob.receive('alice', { kind: 'offer', sdp: 'offer-sdp' });
    await net.settle();
    expect(net.pairs('answer')).toEqual(['bob->alice']);
    expect(net.view('bob').watching).toEqual({ peerId: 'alice', state: 'failed', relayed: false });
  });

  it('an offer the relay cannot take drops that viewer at the sharer', async () => {
    const net = new FakeScreenNet(['alice', 'bob', 'carol']);
    await share(net, 'alice');
    await watch(net, 'carol', 'alice');
    net.unreachable.add('bob');
    net.machine('alice').receive('bob', { kind: 'watch' });
    expect(net.view('alice').viewers).toBe(2);
    await net.settle();
    expect(net.link('alice', 'bob').closed).toBe(true);
    expect(net.view('alice').viewers).toBe(1);
  });

  it('a description the link refuses fails it; a link reporting failed says so', async () => {
    const net = new FakeScreenNet(['alice', 'bob', 'carol']);
    await share(net, 'alice');
    const bob = net.machine('bob');
    bob.watch('alice');
    bob.receive('alice', { kind: 'offer', sdp: 'first' });
    net.link('bob', 'alice').refuseRemote = true;
    await tick();
    await tick();
    expect(net.view('bob').watching?.state).toBe('failed');
    await watch(net, 'carol', 'alice');
    net.link('carol', 'alice').report('failed');
    expect(net.view('carol').watching).toEqual({
      peerId: 'alice',
      state: 'failed',
      relayed: false,
    });
    net.link('alice', 'carol').report('failed');
    expect(net.link('alice', 'carol').closed).toBe(true);
  });
});
