import { describe, expect, it } from 'vitest';
import { MAX_SCREEN_VIEWERS, type ScreenSignal } from '../../../shared/screen';
import { FakeScreenNet, tick } from '../test-util/screen-fakes';
import { SCREEN_CANCELLED, SCREEN_ERROR } from './screen-types';

async function share(net: FakeScreenNet, peerId: string): Promise<void> {
  await net.machine(peerId).start();
  await net.settle();
}

async function watch(net: FakeScreenNet, viewer: string, sharer: string): Promise<void> {
  net.machine(viewer).watch(sharer);
  await net.settle();
}

const candidate = (text: string): ScreenSignal => ({
  kind: 'candidate',
  candidate: text,
  sdp_mid: '0',
  sdp_m_line_index: 0,
});

const candidatesOf = (calls: string[]) => calls.filter((c) => c.startsWith('candidate'));

describe('ScreenShare: sharing', () => {
  it('start picks the screen, then says sharing to every other member, who list me', async () => {
    const net = new FakeScreenNet(['alice', 'bob', 'carol']);
    await share(net, 'alice');
    expect(net.view('alice')).toMatchObject({ sharing: true, starting: false, viewers: 0 });
    expect(net.pairs('sharing')).toEqual(['alice->bob', 'alice->carol']);
    expect(net.view('bob').sharers).toEqual(['alice']);
    expect(net.view('carol').sharers).toEqual(['alice']);
    expect(net.view('alice').sharers).toEqual([]);
    expect(net.links).toEqual([]);
  });

  it('while the screen is picked the view says starting; no screen is an error', async () => {
    const net = new FakeScreenNet(['alice', 'bob']);
    let open = () => undefined as void;
    net.screenGate = new Promise((resolve) => (open = resolve));
    net.noScreen.add('alice');
    const started = net.machine('alice').start();
    expect(net.view('alice')).toMatchObject({ sharing: false, starting: true, error: null });
    open();
    await started;
    expect(net.view('alice')).toMatchObject({ sharing: false, starting: false });
    expect(net.view('alice').error).toBe(SCREEN_ERROR);
    expect(net.sent).toEqual([]);
  });

  it('a user who closes the picker is told gently, and nothing is said to the others', async () => {
    const net = new FakeScreenNet(['alice', 'bob']);
    net.cancel.add('alice');
    await share(net, 'alice');
    expect(net.view('alice')).toMatchObject({ sharing: false, error: SCREEN_CANCELLED });
    expect(net.sent).toEqual([]);
    net.cancel.delete('alice');
    await share(net, 'alice');
    expect(net.view('alice')).toMatchObject({ sharing: true, error: null });
  });

  it('stopping while the screen is picked gives the screen back at once', async () => {
    const net = new FakeScreenNet(['alice', 'bob']);
    let open = () => undefined as void;
    net.screenGate = new Promise((resolve) => (open = resolve));
    const started = net.machine('alice').start();
    net.machine('alice').stop();
    open();
    await started;
    await net.settle();
    expect(net.screens.get('alice')?.stopped).toBe(true);
    expect(net.view('alice')).toMatchObject({ sharing: false, starting: false });
    expect(net.pairs('sharing')).toEqual([]);
  });

  it('stop tells everyone, closes every viewer link and the screen; viewers drop me', async () => {
    const net = new FakeScreenNet(['alice', 'bob', 'carol', 'dave']);
    await share(net, 'alice');
    await watch(net, 'bob', 'alice');
    await watch(net, 'carol', 'alice');
    expect(net.view('alice').viewers).toBe(2);
    net.machine('alice').stop();
    await net.settle();
    expect(net.pairs('stopped')).toEqual(['alice->bob', 'alice->carol', 'alice->dave']);
    expect(net.link('alice', 'bob').closed).toBe(true);
    expect(net.link('alice', 'carol').closed).toBe(true);
    expect(net.screens.get('alice')?.stopped).toBe(true);
    expect(net.view('alice')).toMatchObject({ sharing: false, viewers: 0 });
    for (const viewer of ['bob', 'carol']) {
      expect(net.link(viewer, 'alice').closed).toBe(true);
      expect(net.view(viewer)).toMatchObject({ sharers: [], watching: null });
      expect(net.streams.get(viewer)).toBeNull();
    }
    expect(net.view('dave').sharers).toEqual([]);
  });

  it('the screen ending by itself (the OS "Stop sharing") stops sharing the same way', async () => {
    const net = new FakeScreenNet(['alice', 'bob']);
    await share(net, 'alice');
    await watch(net, 'bob', 'alice');
    net.screens.get('alice')?.end();
    await net.settle();
    expect(net.view('alice')).toMatchObject({ sharing: false, viewers: 0 });
    expect(net.pairs('stopped')).toEqual(['alice->bob']);
    expect(net.link('alice', 'bob').closed).toBe(true);
    expect(net.view('bob')).toMatchObject({ sharers: [], watching: null });
  });
});

describe('ScreenShare: ask', () => {
  it('a member new to the party asks each member once; each answers whether it shares', async () => {
    const net = new FakeScreenNet(['alice', 'bob', 'carol']);
    await share(net, 'alice');
    net.sent.length = 0;
    net.join('erin');
    await net.settle();
    expect(net.pairs('ask').sort()).toEqual([
      'alice->erin',
      'bob->erin',
      'carol->erin',
      'erin->alice',
      'erin->bob',
      'erin->carol',
    ]);
    expect(net.pairs('sharing')).toEqual(['alice->erin']);
    expect(net.pairs('stopped').sort()).toEqual([
      'bob->erin',
      'carol->erin',
      'erin->alice',
      'erin->bob',
      'erin->carol',
    ]);
    expect(net.view('erin').sharers).toEqual(['alice']);
    // The same members again: nobody is asked twice.
    for (const machine of net.machines.values()) {
      machine.membersChanged(['alice', 'bob', 'carol', 'erin']);
    }
    await net.settle();
    expect(net.pairs('ask')).toHaveLength(6);
  });

  it('an app that opens while two members share lists both; one that stopped is not listed', async () => {
    const net = new FakeScreenNet(['alice', 'bob', 'carol']);
    await share(net, 'alice');
    await share(net, 'bob');
    await share(net, 'carol');
    net.machine('carol').stop();
    await net.settle();
    net.join('erin');
    await net.settle();
    expect(net.view('erin').sharers.sort()).toEqual(['alice', 'bob']);
  });
});

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

describe('ScreenShare: members leaving', () => {
  it('a sharer who leaves the party is dropped, and my link to them ends', async () => {
    const net = new FakeScreenNet(['alice', 'bob', 'carol']);
    await share(net, 'alice');
    await watch(net, 'bob', 'alice');
    net.vanish('alice');
    expect(net.view('bob')).toMatchObject({ sharers: [], watching: null });
    expect(net.view('carol').sharers).toEqual([]);
    expect(net.link('bob', 'alice').closed).toBe(true);
  });

  it('a viewer who leaves the party no longer counts, and my link to them ends', async () => {
    const net = new FakeScreenNet(['alice', 'bob', 'carol']);
    await share(net, 'alice');
    await watch(net, 'bob', 'alice');
    await watch(net, 'carol', 'alice');
    net.vanish('bob');
    expect(net.view('alice').viewers).toBe(1);
    expect(net.link('alice', 'bob').closed).toBe(true);
    expect(net.link('alice', 'carol').closed).toBe(false);
  });
});

describe("ScreenShare: a member's app restarting", () => {
  it('a sharer whose app restarted asks everyone; those listing it ask back and drop it', async () => {
    const net = new FakeScreenNet(['alice', 'bob', 'carol']);
    await share(net, 'alice');
    expect(net.view('carol').sharers).toEqual(['alice']);
    net.sent.length = 0;
    // Alice's app restarts: a new machine that shares nothing, and asks the others.
    net.restart('alice');
    await net.settle();
    expect(net.pairs('ask').sort()).toEqual([
      'alice->bob',
      'alice->carol',
      'bob->alice',
      'carol->alice',
    ]);
    expect(net.view('bob').sharers).toEqual([]);
    expect(net.view('carol').sharers).toEqual([]);
  });

  it('a sharer whose app restarted answers a watch with stopped: viewers stop listing it', async () => {
    const net = new FakeScreenNet(['alice', 'bob', 'carol']);
    await share(net, 'alice');
    net.restart('alice');
    await net.settle();
    // Carol lists her still (an older app does not ask back).
    net.machine('carol').receive('alice', { kind: 'sharing' });
    net.sent.length = 0;
    await watch(net, 'carol', 'alice');
    expect(net.pairs('stopped')).toEqual(['alice->carol']);
    expect(net.view('carol')).toMatchObject({ sharers: [], watching: null });
    expect(net.linksOf('alice', 'carol')).toEqual([]);
  });

  it('a viewer whose app restarted asks again: its dead link is dropped, no longer counted', async () => {
    const net = new FakeScreenNet(['alice', 'bob']);
    await share(net, 'alice');
    await watch(net, 'bob', 'alice');
    expect(net.view('alice').viewers).toBe(1);
    net.machine('alice').receive('bob', { kind: 'ask' });
    await net.settle();
    expect(net.view('alice').viewers).toBe(0);
    expect(net.link('alice', 'bob').closed).toBe(true);
    expect(net.pairs('sharing').at(-1)).toBe('alice->bob');
  });
});

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

describe('ScreenShare: the relay', () => {
  it('the screen I watch says whether it comes through a relay, as its link reads its path', async () => {
    const net = new FakeScreenNet(['alice', 'bob']);
    await share(net, 'alice');
    await watch(net, 'bob', 'alice');
    const link = net.link('bob', 'alice');
    link.report('connected');
    link.handlers.onRoute(true);
    expect(net.view('bob').watching).toEqual({
      peerId: 'alice',
      state: 'connected',
      relayed: true,
    });
    link.handlers.onRoute(false);
    expect(net.view('bob').watching?.relayed).toBe(false);
  });

  it('"Hide my address" ticked: links not known to be relayed start over, relayed ones stay', async () => {
    const net = new FakeScreenNet(['alice', 'bob', 'carol', 'dave']);
    await share(net, 'alice');
    await share(net, 'bob');
    await watch(net, 'alice', 'bob');
    await watch(net, 'carol', 'alice');
    await watch(net, 'dave', 'alice');
    for (const link of net.links) link.report('connected');
    net.link('alice', 'dave').handlers.onRoute(true);
    const before = [...net.links];
    net.machine('alice').restartStraight();
    await net.settle();
    // Watching bob: asked again. Carol watching me: a fresh offer. Dave's link is relayed.
    expect(net.pairs('watch')).toEqual(['alice->bob', 'carol->alice', 'dave->alice', 'alice->bob']);
    expect(net.linksOf('bob', 'alice')).toHaveLength(2);
    expect(net.link('alice', 'bob').calls[0]).toBe('remote offer: offer bob->alice');
    expect(net.linksOf('alice', 'carol')).toHaveLength(2);
    expect(net.link('carol', 'alice').calls[0]).toBe('remote offer: offer alice->carol');
    expect(net.linksOf('alice', 'dave')).toHaveLength(1);
    const closed = before.filter((l) => l.closed).map((l) => `${l.owner}->${l.peerId}`);
    expect(closed.sort()).toEqual(['alice->bob', 'alice->carol', 'bob->alice', 'carol->alice']);
    expect(net.view('alice')).toMatchObject({ viewers: 2 });
    expect(net.view('alice').watching).toEqual({
      peerId: 'bob',
      state: 'connecting',
      relayed: false,
    });
    expect(net.view('carol').watching?.state).toBe('connecting');
  });

  it('the relay ready: a screen not connected (made without it) is asked for again', async () => {
    const net = new FakeScreenNet(['alice', 'bob']);
    await share(net, 'alice');
    await watch(net, 'bob', 'alice');
    net.machine('bob').retryUnconnected();
    await net.settle();
    expect(net.pairs('watch')).toEqual(['bob->alice', 'bob->alice']);
    expect(net.linksOf('bob', 'alice')).toHaveLength(2);
    net.link('bob', 'alice').report('failed');
    net.timers.advance(2_000);
    net.machine('bob').retryUnconnected();
    await net.settle();
    expect(net.linksOf('bob', 'alice')).toHaveLength(3);
    expect(net.view('bob').watching?.state).toBe('connecting');
    // Connected: left alone.
    net.link('bob', 'alice').report('connected');
    net.machine('bob').retryUnconnected();
    await net.settle();
    expect(net.pairs('watch')).toHaveLength(3);
  });

  it('the relay ready at the sharer: viewers not connected get a fresh offer', async () => {
    const net = new FakeScreenNet(['alice', 'bob', 'carol']);
    await share(net, 'alice');
    await watch(net, 'bob', 'alice');
    await watch(net, 'carol', 'alice');
    net.link('alice', 'carol').report('connected');
    net.machine('alice').retryUnconnected();
    await net.settle();
    expect(net.pairs('offer')).toEqual(['alice->bob', 'alice->carol', 'alice->bob']);
    expect(net.link('bob', 'alice').calls[0]).toBe('remote offer: offer alice->bob');
    expect(net.linksOf('bob', 'alice')).toHaveLength(2);
    expect(net.view('alice').viewers).toBe(2);
  });
});
