// @vitest-environment happy-dom
import { act, cleanup, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScreenSignal } from '../../../shared/media/screen';
import { createAppStore } from '../store/app-store';
import { StoreProvider } from '../store/context';
import { fakeApi, iso, makeParty, makePeer, makeState, T0 } from '../test-util/fixtures';
import { relink } from '../test-util/relink';
import { fakeScreenDevices, tick } from '../test-util/screen-fakes';
import { useScreenShare } from './use-screen-share';

afterEach(cleanup);

/** Me (alice) in Bob's party with Carol, the hook over a fake API and a fake screen. */
function setup() {
  const fake = fakeApi({ sendScreenSignal: () => ({ ok: true, value: null }) });
  const store = createAppStore(fake.api);
  const party = makeParty('bob', ['alice', 'carol']);
  store.getState().applyEvent({ type: 'snapshot', state: makeState({ party }) });
  const devices = fakeScreenDevices();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <StoreProvider store={store} api={fake.api}>
      {children}
    </StoreProvider>
  );
  const hook = renderHook(() => useScreenShare(devices.createDeps), { wrapper });
  const receive = (from: string, signal: ScreenSignal) =>
    act(() => fake.emit({ type: 'screen_signal', from, signal }));
  const sent = () =>
    fake.calls
      .filter((c) => c.channel === 'sendScreenSignal')
      .map((c) => c.request as { to: string; signal: ScreenSignal })
      .map(({ to, signal }) => `${signal.kind}->${to}`);
  return { store, devices, hook, receive, sent };
}

type Setup = ReturnType<typeof setup>;

async function sharing(s: Setup) {
  await act(async () => {
    s.hook.result.current.start();
    await tick();
  });
}

/** Bob shares, I watch him, and his offer came. */
async function watchingBob(s: Setup) {
  s.receive('bob', { kind: 'sharing' });
  act(() => s.hook.result.current.watch('bob'));
  s.receive('bob', { kind: 'offer', sdp: 'offer-sdp' });
  await act(async () => {
    await tick();
    await tick();
  });
}

describe('useScreenShare', () => {
  it('asks each other member once when it sees the party, and each newcomer', () => {
    const s = setup();
    expect(s.sent().sort()).toEqual(['ask->bob', 'ask->carol']);
    // A member's heartbeat (the same members) asks nobody again; a new member is asked.
    const peer = (id: string) => ({ ...makePeer(id), last_seen: iso(T0 + 1000) });
    const update = (id: string) =>
      s.store.getState().applyEvent({ type: 'peer', party_id: 'party_abc123', peer: peer(id) });
    act(() => update('carol'));
    expect(s.sent()).toHaveLength(2);
    act(() => update('dave'));
    expect(s.sent()).toEqual(['ask->bob', 'ask->carol', 'ask->dave']);
  });

  it('shares through the API, and answers an ask while sharing', async () => {
    const s = setup();
    await sharing(s);
    expect(s.hook.result.current.view.sharing).toBe(true);
    expect(s.sent().filter((line) => line.startsWith('sharing'))).toEqual([
      'sharing->bob',
      'sharing->carol',
    ]);
    s.receive('carol', { kind: 'ask' });
    await act(tick);
    expect(s.sent().at(-1)).toBe('sharing->carol');
  });

  it('watches a member who shares: watch sent, their offer answered, their screen given', async () => {
    const s = setup();
    await watchingBob(s);
    expect(s.sent()).toContain('watch->bob');
    expect(s.sent()).toContain('answer->bob');
    expect(s.hook.result.current.view.watching).toEqual({
      peerId: 'bob',
      state: 'connecting',
      relayed: false,
    });
    act(() => s.devices.links[0]?.deliver());
    expect(s.hook.result.current.stream).toEqual({ from: 'bob' });
  });

  it('a sharer who leaves the party is dropped and my link to them closed', async () => {
    const s = setup();
    await watchingBob(s);
    act(() =>
      s.store
        .getState()
        .applyEvent({ type: 'peer_removed', party_id: 'party_abc123', peer_id: 'bob' }),
    );
    expect(s.hook.result.current.view).toMatchObject({ sharers: [], watching: null });
    expect(s.devices.links[0]?.closed).toBe(true);
  });

  it('the party going away stops sharing and watching', async () => {
    const s = setup();
    await sharing(s);
    await watchingBob(s);
    act(() => s.store.getState().applyEvent({ type: 'party', party: null }));
    await act(tick);
    expect(s.hook.result.current.view).toMatchObject({ sharing: false, watching: null });
    expect(s.sent()).toEqual(expect.arrayContaining(['stopped->bob', 'unwatch->bob']));
    expect(s.devices.links[0]?.closed).toBe(true);
    expect(s.devices.screens[0]?.stopped).toBe(true);
  });

  it('unmounting stops sharing and watching', async () => {
    const s = setup();
    await sharing(s);
    await watchingBob(s);
    s.hook.unmount();
    await tick();
    expect(s.sent()).toEqual(expect.arrayContaining(['stopped->carol', 'unwatch->bob']));
    expect(s.devices.links[0]?.closed).toBe(true);
    expect(s.devices.screens[0]?.stopped).toBe(true);
  });

  it('ticking "Hide my address" asks again for a screen not known to come through a relay', async () => {
    const s = setup();
    await watchingBob(s);
    const watches = () => s.sent().filter((line) => line === 'watch->bob').length;
    const settings = (relayOnly: boolean) => {
      const now = s.store.getState().settings!;
      act(() =>
        s.store
          .getState()
          .applyEvent({ type: 'settings', settings: { ...now, relay_only: relayOnly } }),
      );
    };
    settings(false);
    expect(watches()).toBe(1);
    settings(true);
    await act(tick);
    expect(watches()).toBe(2);
    expect(s.devices.links[0]?.closed).toBe(true);
    // Already hidden: another save of the settings starts nothing over.
    settings(true);
    await act(tick);
    expect(watches()).toBe(2);
  });

  it('linked to the server again, asks again every member but the sharer it watches', async () => {
    const s = setup();
    await watchingBob(s);
    const before = s.sent().length;
    relink(s.store);
    await act(tick);
    expect(s.sent().slice(before)).toEqual(['ask->carol']);
    expect(s.hook.result.current.view.watching).toMatchObject({ peerId: 'bob' });
  });

  it('asks a member again when it is back online after being offline, not one that was online', async () => {
    const s = setup();
    const presence = (peerId: string, status: 'online' | 'offline') =>
      act(() =>
        s.store.getState().applyEvent({
          type: 'presence',
          party_id: 'party_abc123',
          peer_id: peerId,
          presence: { status, last_seen: iso(T0), rtt_ms: null },
        }),
      );
    presence('carol', 'online');
    presence('bob', 'online');
    const before = s.sent().length;
    presence('carol', 'offline');
    presence('bob', 'online');
    await act(tick);
    expect(s.sent().slice(before)).toEqual([]);
    presence('carol', 'online');
    await act(tick);
    expect(s.sent().slice(before)).toEqual(['ask->carol']);
  });
});
