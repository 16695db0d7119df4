// @vitest-environment happy-dom
import { act, cleanup } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { iso, T0 } from '../test-util/fixtures';
import { relink } from '../test-util/relink';
import { tick } from '../test-util/voice-fakes';
import { inVoiceWithBob, setupVoiceHook as setup } from '../test-util/voice-hook-rig';

afterEach(cleanup);

describe('useVoice', () => {
  it('joins through the API and answers the voice signals the API pushes', async () => {
    const s = setup();
    expect(s.hook.result.current.view.joined).toBe(false);
    await inVoiceWithBob(s);
    expect(s.hook.result.current.view.joined).toBe(true);
    expect(
      s
        .sent()
        .filter((line) => line.startsWith('join'))
        .sort(),
    ).toEqual(['join->bob', 'join->carol']);
    expect(s.hook.result.current.view.peers).toEqual({
      bob: { state: 'connecting', muted: true, speaking: false, relayed: false },
    });
    // Alice's id is the smaller: she offers.
    expect(s.sent()).toContain('offer->bob');
    act(() => s.hook.result.current.setMuted(true));
    await act(tick);
    expect(s.hook.result.current.view.muted).toBe(true);
    expect(s.sent()).toContain('mute->bob');
  });

  it('plays each call at the saved volume, follows a new one, and saves what the slider set', async () => {
    const s = setup();
    const settings = (voice_volumes: Record<string, number>) =>
      act(() =>
        s.store.getState().applyEvent({
          type: 'settings',
          settings: {
            peer_name: 'Alice',
            control_server: null,
            voice_volumes,
            relay_only: false,
            mute_shortcut: null,
          },
        }),
      );
    settings({ bob: 20 });
    await inVoiceWithBob(s);
    expect(s.devices.links[0]?.volume).toBe(0.2);
    expect(s.hook.result.current.volumes).toEqual({ bob: 20 });
    act(() => s.hook.result.current.previewVolume('bob', 65));
    expect(s.devices.links[0]?.volume).toBe(0.65);
    act(() => s.hook.result.current.saveVolume('bob', 65));
    expect(s.calls('setVoiceVolume')).toEqual([{ peer_id: 'bob', volume: 65 }]);
    settings({});
    expect(s.devices.links[0]?.volume).toBe(1);
  });

  it('a member who leaves the party loses their link', async () => {
    const s = setup();
    await inVoiceWithBob(s);
    act(() =>
      s.store
        .getState()
        .applyEvent({ type: 'peer_removed', party_id: 'party_abc123', peer_id: 'bob' }),
    );
    expect(s.hook.result.current.view.peers).toEqual({});
    expect(s.devices.links[0]?.closed).toBe(true);
    expect(s.hook.result.current.view.joined).toBe(true);
  });

  it('the party going away leaves voice: leave sent, links closed, mic given back', async () => {
    const s = setup();
    await inVoiceWithBob(s);
    act(() => s.store.getState().applyEvent({ type: 'party', party: null }));
    await act(tick);
    expect(s.hook.result.current.view).toMatchObject({ joined: false, peers: {} });
    expect(s.sent()).toContain('leave->bob');
    expect(s.devices.links[0]?.closed).toBe(true);
    expect(s.devices.mics[0]?.stopped).toBe(true);
  });

  it('unmounting leaves voice', async () => {
    const s = setup();
    await inVoiceWithBob(s);
    s.hook.unmount();
    await tick();
    expect(s.sent()).toContain('leave->bob');
    expect(s.devices.mics[0]?.stopped).toBe(true);
  });

  it('linked to the server again, says join to the member it has no call with, mute to the other', async () => {
    const s = setup();
    await inVoiceWithBob(s);
    const before = s.sent().length;
    relink(s.store);
    await act(tick);
    // Carol's answer may have been lost; Bob's call is up, and he hears whether I am muted.
    expect(s.sent().slice(before)).toEqual(['mute->bob', 'join->carol']);
  });

  it('a member back online after being offline: the call not connected starts over', async () => {
    const s = setup();
    await inVoiceWithBob(s);
    const presence = (status: 'online' | 'offline') =>
      act(() =>
        s.store.getState().applyEvent({
          type: 'presence',
          party_id: 'party_abc123',
          peer_id: 'bob',
          presence: { status, last_seen: iso(T0), rtt_ms: null },
        }),
      );
    presence('online');
    const [made, before] = [s.devices.links.length, s.sent().length];
    presence('offline');
    await act(tick);
    expect(s.devices.links).toHaveLength(made);
    presence('online');
    await act(tick);
    expect(s.devices.links).toHaveLength(made + 1);
    expect(s.sent().slice(before)).toEqual(['offer->bob']);
  });

  it('retry starts a call that could not connect over, with a new link', async () => {
    const s = setup();
    await inVoiceWithBob(s);
    const first = s.devices.links.at(-1)!;
    act(() => first.report('failed'));
    expect(s.hook.result.current.view.peers.bob?.state).toBe('failed');
    const made = s.devices.links.length;
    await act(async () => {
      s.hook.result.current.retry();
      await tick();
    });
    expect(first.closed).toBe(true);
    expect(s.devices.links).toHaveLength(made + 1);
    expect(s.hook.result.current.view.peers.bob?.state).toBe('connecting');
  });
});
