// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, makeParty, makeState } from '../../test-util/fixtures';
import { actAsync, renderWithStore } from '../../test-util/render';
import { MIC_ERROR } from '../../voice/voice-mesh';
import { EMPTY_VOICE_VIEW, type VoiceView } from '../../voice/voice-types';
import { PartyView } from './PartyView';
import { VoicePanelView } from './VoicePanel';

afterEach(cleanup);

const party = makeParty('bob', ['alice', 'carol', 'dave']);

function renderPanel(
  view: Partial<VoiceView>,
  volumes: Record<string, number> = {},
  muteShortcut: string | null = null,
) {
  const actions = {
    onJoin: vi.fn(),
    onLeave: vi.fn(),
    onMute: vi.fn(),
    onDeafen: vi.fn(),
    onPreviewVolume: vi.fn(),
    onSaveVolume: vi.fn(),
    onRetry: vi.fn(),
  };
  render(
    <VoicePanelView
      view={{ ...EMPTY_VOICE_VIEW, ...view }}
      peers={party.peers}
      volumes={volumes}
      muteShortcut={muteShortcut}
      {...actions}
    />,
  );
  return actions;
}

const slider = (id: string) =>
  voicePeer(id)?.querySelector<HTMLInputElement>('[data-testid="voice-volume"]') ?? null;

const voicePeer = (id: string) =>
  document.querySelector(`[data-testid="voice-peer"][data-peer-id="${id}"]`);

describe('VoicePanel', () => {
  it('out of voice: Join voice, and that voice goes straight between PCs', () => {
    const { onJoin } = renderPanel({});
    const join = screen.getByTestId('voice-join');
    expect(join.textContent).toBe('Join voice');
    expect(screen.getByTestId('voice-panel').textContent).toMatch(/straight to their PCs/);
    expect(screen.queryByTestId('voice-mute')).toBeNull();
    expect(screen.queryByTestId('voice-leave')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.click(join);
    expect(onJoin).toHaveBeenCalledTimes(1);
  });

  it('out of voice: who is in voice now, by name; nothing when no one is known to be', () => {
    renderPanel({ present: ['dave', 'carol', 'gone'] });
    const carol = party.peers.carol!.name;
    const dave = party.peers.dave!.name;
    const line = screen.getByTestId('voice-present').textContent;
    expect(line).toBe(`In voice now: ${[carol, dave].sort().join(', ')}`);
    cleanup();
    renderPanel({ present: [] });
    expect(screen.queryByTestId('voice-present')).toBeNull();
  });

  it('out of voice: a member the party shows offline or asleep is not listed as in voice', () => {
    const at = '2026-01-01T00:00:00Z';
    render(
      <VoicePanelView
        view={{ ...EMPTY_VOICE_VIEW, present: ['dave', 'carol', 'erin'] }}
        peers={{ ...party.peers, erin: { ...party.peers.dave!, peer_id: 'erin', name: 'Erin' } }}
        presence={{
          carol: { status: 'offline', last_seen: at, rtt_ms: null },
          erin: { status: 'asleep', last_seen: at, rtt_ms: null },
          dave: { status: 'online', last_seen: at, rtt_ms: null },
        }}
        volumes={{}}
        onJoin={vi.fn()}
        onLeave={vi.fn()}
        onMute={vi.fn()}
        onDeafen={vi.fn()}
        onPreviewVolume={vi.fn()}
        onSaveVolume={vi.fn()}
      />,
    );
    const line = screen.getByTestId('voice-present').textContent;
    expect(line).toBe(`In voice now: ${party.peers.dave!.name}`);
  });

  it('while the microphone opens, Join waits: a second press does nothing', () => {
    const { onJoin } = renderPanel({ joining: true });
    const join = screen.getByTestId<HTMLButtonElement>('voice-join');
    expect(join.getAttribute('aria-disabled')).toBe('true');
    expect(join.textContent).toBe('Joining…');
    fireEvent.click(join);
    expect(onJoin).not.toHaveBeenCalled();
  });

  it('keyboard: Join hands focus to Mute once in voice, Leave hands it back to Join', async () => {
    const panel = (view: Partial<VoiceView>) => (
      <VoicePanelView
        view={{ ...EMPTY_VOICE_VIEW, ...view }}
        peers={party.peers}
        volumes={{}}
        onJoin={vi.fn()}
        onLeave={vi.fn()}
        onMute={vi.fn()}
        onDeafen={vi.fn()}
        onPreviewVolume={vi.fn()}
        onSaveVolume={vi.fn()}
      />
    );
    const { rerender } = render(panel({}));
    screen.getByTestId('voice-join').focus();
    rerender(panel({ joining: true }));
    expect(document.activeElement).toBe(screen.getByTestId('voice-join'));
    await actAsync(() => rerender(panel({ joined: true })));
    expect(document.activeElement).toBe(screen.getByTestId('voice-mute'));
    screen.getByTestId('voice-leave').focus();
    await actAsync(() => rerender(panel({})));
    expect(document.activeElement).toBe(screen.getByTestId('voice-join'));
  });

  it('in voice: the others by name, how each call is going, muted and speaking', () => {
    const { onMute, onLeave } = renderPanel({
      joined: true,
      peers: {
        bob: { state: 'connected', muted: true, speaking: false, relayed: false },
        carol: { state: 'connecting', muted: false, speaking: false, relayed: false },
        dave: { state: 'connected', muted: false, speaking: true, relayed: true },
      },
    });
    const peers = screen.getAllByTestId('voice-peer');
    expect(peers.map((p) => p.getAttribute('data-peer-id'))).toEqual(['bob', 'carol', 'dave']);
    expect(voicePeer('bob')?.textContent).toBe('○BobconnectedmutedVolume of Bob100 %');
    expect(voicePeer('carol')?.textContent).toBe('○Carolconnecting…Volume of Carol100 %');
    expect(voicePeer('carol')?.getAttribute('data-state')).toBe('connecting');
    expect(voicePeer('dave')?.textContent).toBe(
      '●Davespeakingconnected · via relayVolume of Dave100 %',
    );
    expect(voicePeer('dave')?.getAttribute('data-relayed')).toBe('true');
    expect(voicePeer('bob')?.getAttribute('data-relayed')).toBe('false');
    expect(voicePeer('dave')?.getAttribute('data-speaking')).toBe('true');
    expect(voicePeer('bob')?.getAttribute('data-speaking')).toBe('false');
    const mute = screen.getByTestId('voice-mute');
    expect(mute.textContent).toBe('Mute');
    // The word says it; aria-pressed as well made "Unmute, pressed" read either way (M2).
    expect(mute.hasAttribute('aria-pressed')).toBe(false);
    fireEvent.click(mute);
    expect(onMute).toHaveBeenCalledWith(true);
    fireEvent.click(screen.getByTestId('voice-leave'));
    expect(onLeave).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId('voice-join')).toBeNull();
  });

  it('names the mute shortcut set in Settings: in the hint out of voice, on Mute in voice', () => {
    renderPanel({}, {}, 'Control+Alt+M');
    expect(screen.getByTestId('voice-panel').textContent).toContain(
      'Ctrl+Alt+M mutes and unmutes you.',
    );
    cleanup();
    renderPanel({ joined: true }, {}, 'Shift+Super+F9');
    const mute = screen.getByTestId('voice-mute');
    expect(mute.getAttribute('title')).toBe('Mute shortcut: Shift+Super+F9');
    expect(mute.getAttribute('aria-keyshortcuts')).toBe('Shift+Meta+F9');
    cleanup();
    renderPanel({ joined: true });
    expect(screen.getByTestId('voice-mute').hasAttribute('title')).toBe(false);
  });

  it('in voice: Deafen, then Undeafen; out of voice there is none', () => {
    const { onDeafen } = renderPanel({ joined: true });
    const deafen = screen.getByTestId('voice-deafen');
    expect([deafen.textContent, deafen.hasAttribute('aria-pressed')]).toEqual(['Deafen', false]);
    fireEvent.click(deafen);
    expect(onDeafen).toHaveBeenCalledWith(true);
    cleanup();
    const again = renderPanel({ joined: true, deafened: true, muted: true });
    const undeafen = screen.getByTestId('voice-deafen');
    expect([undeafen.textContent, undeafen.hasAttribute('aria-pressed')]).toEqual([
      'Undeafen',
      false,
    ]);
    fireEvent.click(undeafen);
    expect(again.onDeafen).toHaveBeenCalledWith(false);
    cleanup();
    renderPanel({});
    expect(screen.queryByTestId('voice-deafen')).toBeNull();
  });

  it('muted: Unmute; a call that failed says it could not connect', () => {
    const { onMute } = renderPanel({
      joined: true,
      muted: true,
      peers: { carol: { state: 'failed', muted: false, speaking: false, relayed: false } },
    });
    const mute = screen.getByTestId('voice-mute');
    expect(mute.textContent).toBe('Unmute');
    expect(mute.hasAttribute('aria-pressed')).toBe(false);
    fireEvent.click(mute);
    expect(onMute).toHaveBeenCalledWith(false);
    expect(voicePeer('carol')?.getAttribute('data-state')).toBe('failed');
    expect(voicePeer('carol')?.textContent).toContain('could not connect');
  });

  it('a call that could not connect has Try again, which starts the calls over; others none', () => {
    const { onRetry } = renderPanel({
      joined: true,
      peers: {
        bob: { state: 'connected', muted: false, speaking: false, relayed: false },
        carol: { state: 'failed', muted: false, speaking: false, relayed: false },
        dave: { state: 'connecting', muted: false, speaking: false, relayed: false },
      },
    });
    expect(screen.getAllByTestId('voice-retry')).toHaveLength(1);
    const retry = voicePeer('carol')!.querySelector('[data-testid="voice-retry"]')!;
    expect(retry.getAttribute('aria-label')).toBe('Try the call with Carol again');
    fireEvent.click(retry);
    expect(onRetry).toHaveBeenCalledTimes(1);
  });

  it('each member has a volume as saved; moving it is heard at once, letting go saves it', () => {
    const actions = renderPanel(
      {
        joined: true,
        peers: {
          bob: { state: 'connected', muted: false, speaking: false, relayed: false },
          carol: { state: 'connected', muted: false, speaking: false, relayed: false },
        },
      },
      { bob: 30 },
    );
    const bob = slider('bob')!;
    expect([bob.value, slider('carol')?.value]).toEqual(['30', '100']);
    expect(bob.getAttribute('aria-valuetext')).toBe('30 %');
    fireEvent.keyUp(bob);
    expect(actions.onSaveVolume).not.toHaveBeenCalled();
    fireEvent.change(bob, { target: { value: '55' } });
    expect(actions.onPreviewVolume).toHaveBeenCalledWith('bob', 55);
    expect(voicePeer('bob')?.textContent).toContain('55 %');
    expect(actions.onSaveVolume).not.toHaveBeenCalled();
    fireEvent.pointerUp(bob);
    expect(actions.onSaveVolume).toHaveBeenCalledWith('bob', 55);
    expect(actions.onPreviewVolume).not.toHaveBeenCalledWith('carol', expect.anything());
  });

  it('alone in voice, it says so; an error shows as an alert', () => {
    renderPanel({ joined: true, error: 'Something went wrong.' });
    expect(screen.getByTestId('voice-panel').textContent).toContain('No one else is in voice yet');
    expect(screen.queryAllByTestId('voice-peer')).toEqual([]);
    expect(screen.getByRole('alert').textContent).toBe('Something went wrong.');
  });

  it('in the party view, a microphone LANrage may not use is said, and I stay out', async () => {
    const getUserMedia = vi.fn(() => Promise.reject(new Error('NotAllowedError')));
    Object.defineProperty(navigator, 'mediaDevices', {
      value: { getUserMedia },
      configurable: true,
    });
    try {
      renderWithStore(<PartyView />, makeState({ party }));
      await actAsync(() => fireEvent.click(screen.getByTestId('voice-join')));
      await actAsync(() => undefined);
      expect(getUserMedia).toHaveBeenCalledTimes(1);
      expect(screen.getByTestId('voice-error').textContent).toBe(MIC_ERROR);
      expect(screen.getByTestId('voice-join').textContent).toBe('Join voice');
    } finally {
      Reflect.deleteProperty(navigator, 'mediaDevices');
    }
  });

  it("tells a hidden address on a server without a relay that calls can't connect", async () => {
    const noRelay = fakeApi({
      getRelay: () => ({ ok: true, value: { ice_servers: [], ttl: 3600 } }),
    });
    const base = makeState({ party });
    const settings = { ...base.settings, relay_only: true };
    renderWithStore(<PartyView />, { ...base, settings }, noRelay.api);
    await actAsync(() => undefined);
    expect(noRelay.calls.map((c) => c.channel)).toContain('getRelay');
    expect(screen.getByTestId('voice-relay-problem').textContent).toMatch(
      /^"Hide my address" is on, but this server has no relay, so calls can't connect/,
    );
    expect(screen.getByTestId('screen-relay-problem').textContent).toMatch(/so screens can't/);
  });

  it('says a server with a relay carries voice where PCs cannot reach each other', async () => {
    const relay = { urls: ['turn:relay.example.org'], username: '1:alice', credential: 'eA==' };
    const withRelay = fakeApi({
      getRelay: () => ({ ok: true, value: { ice_servers: [relay], ttl: 3600 } }),
    });
    renderWithStore(<PartyView />, makeState({ party }), withRelay.api);
    await actAsync(() => undefined);
    expect(screen.getByTestId('voice-panel').textContent).toMatch(
      /or through your server's relay where they can't reach each other/,
    );
    expect(screen.queryByTestId('voice-relay-problem')).toBeNull();
  });
});
