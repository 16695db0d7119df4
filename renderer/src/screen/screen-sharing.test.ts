/** Starting and stopping a share: the picker, its errors, and what the others are told. */
import { describe, expect, it } from 'vitest';
import { FakeScreenNet } from '../test-util/screen-fakes';
import { share, watch } from '../test-util/screen-share-support';
import { SCREEN_CANCELLED, SCREEN_ERROR } from './screen-types';

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
