/** Who shares, as members join, leave, or have their app restart. */
import { describe, expect, it } from 'vitest';
import { FakeScreenNet } from '../test-util/screen-fakes';
import { share, watch } from '../test-util/screen-share-support';

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
