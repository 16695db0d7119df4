/**
 * Screen signals lost while an app was not linked to its server (ScreenShare.relinked) or a
 * member was offline (memberBack): what an app's word did not reach is said again, and what it
 * missed is asked again; and asks, asked back and answered, end.
 */
import { describe, expect, it } from 'vitest';
import { FakeScreenNet } from '../test-util/screen-fakes';
import { share } from '../test-util/screen-share-support';

describe('ScreenShare: lost signals, said and asked again', () => {
  it('a member whose `stopped` was lost is dropped once the app that missed it asks again', async () => {
    const net = new FakeScreenNet(['alice', 'bob', 'carol']);
    await share(net, 'alice');
    // Carol's app is not linked: Alice's `stopped` does not reach her.
    net.unreachable.add('carol');
    net.machine('alice').stop();
    await net.settle();
    expect(net.view('carol').sharers).toEqual(['alice']);
    net.unreachable.delete('carol');
    net.sent.length = 0;
    net.machine('carol').relinked();
    await net.settle();
    expect(net.pairs('ask').sort()).toEqual(['carol->alice', 'carol->bob']);
    expect(net.view('carol').sharers).toEqual([]);
  });

  it('a share started while the app was not linked is said again once it is', async () => {
    const net = new FakeScreenNet(['alice', 'bob', 'carol']);
    net.unreachable.add('bob');
    net.unreachable.add('carol');
    await share(net, 'alice');
    expect(net.view('bob').sharers).toEqual([]);
    net.unreachable.clear();
    net.sent.length = 0;
    net.machine('alice').relinked();
    await net.settle();
    // Told, then asked (each asks back, and hears it again).
    expect(net.pairs('sharing').slice(0, 2)).toEqual(['alice->bob', 'alice->carol']);
    expect(net.view('bob').sharers).toEqual(['alice']);
    expect(net.view('carol').sharers).toEqual(['alice']);
    // Said once: linked again later, nothing is owed.
    net.sent.length = 0;
    net.machine('alice').relinked();
    await net.settle();
    expect(net.pairs('sharing')).toEqual([]);
  });

  it('the sharer I watch is not asked (that would end our link); the screen stays up', async () => {
    const net = new FakeScreenNet(['alice', 'bob', 'carol']);
    await share(net, 'alice');
    net.machine('bob').watch('alice');
    await net.settle();
    const link = net.link('alice', 'bob');
    net.sent.length = 0;
    net.machine('bob').relinked();
    await net.settle();
    expect(net.pairs('ask')).toEqual(['bob->carol']);
    expect(link.closed).toBe(false);
    expect(net.view('bob').watching).toMatchObject({ peerId: 'alice' });
    expect(net.view('alice').viewers).toBe(1);
  });

  it('a sharer whose app restarted, back online, is asked and leaves the list', async () => {
    const net = new FakeScreenNet(['alice', 'bob', 'carol']);
    await share(net, 'alice');
    expect(net.view('bob').sharers).toEqual(['alice']);
    // Alice's new app shares nothing; its ask does not reach Bob (his network is out).
    net.unreachable.add('bob');
    net.restart('alice');
    await net.settle();
    expect(net.view('bob').sharers).toEqual(['alice']);
    net.unreachable.clear();
    net.sent.length = 0;
    net.machine('bob').memberBack('alice');
    await net.settle();
    expect(net.pairs('ask')).toEqual(['bob->alice']);
    expect(net.pairs('stopped')).toEqual(['alice->bob']);
    expect(net.view('bob').sharers).toEqual([]);
  });

  it('a member back online is told the share its `sharing` missed; the sharer I watch is not asked', async () => {
    const net = new FakeScreenNet(['alice', 'bob', 'carol']);
    net.unreachable.add('carol');
    await share(net, 'alice');
    net.unreachable.clear();
    net.machine('bob').watch('alice');
    await net.settle();
    net.sent.length = 0;
    net.machine('alice').memberBack('carol');
    net.machine('alice').memberBack('bob');
    net.machine('bob').memberBack('alice');
    await net.settle();
    // Carol missed it and hears it now (and again, answering her ask back); Bob is not told.
    expect(net.pairs('sharing')).toEqual(['alice->carol', 'alice->carol']);
    expect(net.view('carol').sharers).toEqual(['alice']);
    // Alice asks both, as she does anyone back; Carol asks her back (she lists her now); Bob,
    // who watches her, asks nothing.
    expect(net.pairs('ask')).toEqual(['alice->carol', 'alice->bob', 'carol->alice']);
    expect(net.view('alice').viewers).toBe(1);
  });

  it('two sharers listing each other ask back once, not in a loop', async () => {
    const net = new FakeScreenNet(['alice', 'bob']);
    await share(net, 'alice');
    await share(net, 'bob');
    net.sent.length = 0;
    net.machine('alice').relinked();
    await net.settle();
    expect(net.pairs('ask')).toEqual(['alice->bob', 'bob->alice', 'alice->bob']);
    expect(net.view('alice').sharers).toEqual(['bob']);
    expect(net.view('bob').sharers).toEqual(['alice']);
  });

  it('a member asking in a loop is answered at once, then once at the end of 2 s', async () => {
    const net = new FakeScreenNet(['alice', 'mallory']);
    await share(net, 'alice');
    net.sent.length = 0;
    for (let i = 0; i < 20; i++) net.machine('alice').receive('mallory', { kind: 'ask' });
    await net.settle();
    expect(net.pairs('sharing')).toEqual(['alice->mallory']);
    // The asks within the gap are one answer at its end, saying what is true then.
    expect(net.timers.waits()).toEqual(['alice 2000']);
    net.machine('alice').stop();
    await net.settle();
    net.sent.length = 0;
    net.timers.fireNext();
    await net.settle();
    expect(net.pairs('stopped')).toEqual(['alice->mallory']);
    expect(net.timers.waits()).toEqual([]);
  });

  it('presence flapping (a hostile server) has a member asked once in 2 s', async () => {
    const net = new FakeScreenNet(['alice', 'bob']);
    for (let i = 0; i < 20; i++) net.machine('alice').memberBack('bob');
    await net.settle();
    expect(net.pairs('ask')).toEqual(['alice->bob']);
    net.timers.advance(2_000);
    net.machine('alice').memberBack('bob');
    await net.settle();
    expect(net.pairs('ask')).toEqual(['alice->bob', 'alice->bob']);
  });

  it('asked on return before the new page was up, a restarted sharer is still asked back', async () => {
    const net = new FakeScreenNet(['alice', 'bob']);
    await share(net, 'alice');
    // Her app is back online, its page not open yet: Bob's ask goes nowhere.
    net.unreachable.add('alice');
    net.machine('bob').memberBack('alice');
    await net.settle();
    net.unreachable.clear();
    // Her page opens within the same 2 s and asks Bob.
    net.restart('alice');
    await net.settle();
    expect(net.view('bob').sharers).toEqual([]);
  });
});
