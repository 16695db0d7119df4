// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ActivityEntry } from '../../../../shared/ipc/app-state';
import { makeParty, makeState } from '../../test-util/fixtures';
import { hostView } from '../../test-util/host-view';
import { renderWithStore } from '../../test-util/render';
import { App } from '../App';
import { EMPTY_SCREEN_VIEW } from '../../screen/screen-types';
import { EMPTY_VOICE_VIEW, type VoicePeerView, type VoiceView } from '../../voice/voice-types';
import { ANNOUNCE_EVERY_MS, AnnouncerProvider, announcement } from './Announcer';
import { ScreenPanelView } from './ScreenPanel';
import { VoicePanelView } from './VoicePanel';

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const line = (text: string, at: string, kind: ActivityEntry['kind'] = 'joined'): ActivityEntry => ({
  at,
  kind,
  peer_id: text.split(' ')[0]!.toLowerCase(),
  subject: text.split(' ')[0]!,
  text,
});

const news = () => screen.getByTestId('party-news');
const after = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));

describe('announcement', () => {
  it('says a few lines whole, and counts the rest', () => {
    expect(announcement(['Cid joined'])).toBe('Cid joined');
    expect(announcement(['A joined', 'B left', 'C joined', 'D left'])).toBe(
      'A joined. B left. C joined. And 1 more change, in Activity.',
    );
  });
});

describe("the party's news, said politely", () => {
  it('says new activity in the list’s words, not what was there when the view opened', async () => {
    const old = line('Bob joined', '2025-01-01T10:00:00.000Z');
    const party = makeParty('alice', ['bob', 'cid']);
    const { store } = renderWithStore(<App />, makeState({ party, activity: [old] }));
    await after(ANNOUNCE_EVERY_MS);
    expect(news().getAttribute('aria-live')).toBe('polite');
    expect(news().textContent).toBe('');
    const bobItem = screen.getAllByTestId('activity-entry')[0];
    const cid = line('Cid went offline', '2025-01-01T10:01:00.000Z', 'offline');
    act(() => store.getState().applyEvent({ type: 'activity', activity: [cid, old] }));
    await after(100);
    expect(news().textContent).toBe('Cid went offline');
    // M7: the older entry's item is the same node, not rebuilt under a reader's cursor.
    expect(screen.getAllByTestId('activity-entry')[1]).toBe(bobItem);
  });

  it('a busy party is summed up, at most once every 2 s', async () => {
    const { store } = hostView();
    const names = ['Dan', 'Eve', 'Fay', 'Gus', 'Hal'];
    let activity: ActivityEntry[] = [];
    for (const [i, name] of names.entries()) {
      activity = [line(`${name} joined`, `2025-01-01T10:0${i}:00.000Z`), ...activity];
      act(() => store.getState().applyEvent({ type: 'activity', activity }));
      if (i === 0) await after(100);
    }
    expect(news().textContent).toBe('Dan joined');
    await after(ANNOUNCE_EVERY_MS - 200);
    expect(news().textContent).toBe('Dan joined');
    await after(200);
    expect(news().textContent).toBe(
      'Eve joined. Fay joined. Gus joined. And 1 more change, in Activity.',
    );
  });

  it('says who asks to join, as the request shows it', async () => {
    const { store } = hostView();
    const request = {
      party_id: 'party_abc123',
      peer_id: 'dan',
      name: 'Dan',
      key_fingerprint: null,
      expires_at: new Date(Date.now() + 120_000).toISOString(),
    };
    act(() => store.getState().applyEvent({ type: 'join_requests', join_requests: [request] }));
    await after(100);
    expect(news().textContent).toBe('Dan wants to join');
    expect(screen.getByTestId('join-request').textContent).toContain('Dan wants to join');
  });
});

describe('calls and screens, said in the panels’ words', () => {
  const party = makeParty('bob', ['alice', 'carol']);
  const voice = (peers: VoiceView['peers'], sharers: string[] = []) => (
    <AnnouncerProvider>
      <VoicePanelView
        view={{ ...EMPTY_VOICE_VIEW, joined: true, peers }}
        peers={party.peers}
        volumes={{}}
        onJoin={vi.fn()}
        onLeave={vi.fn()}
        onMute={vi.fn()}
        onDeafen={vi.fn()}
        onPreviewVolume={vi.fn()}
        onSaveVolume={vi.fn()}
      />
      <ScreenPanelView
        view={{ ...EMPTY_SCREEN_VIEW, sharers }}
        stream={null}
        peers={party.peers}
        onStart={vi.fn()}
        onStop={vi.fn()}
        onWatch={vi.fn()}
        onUnwatch={vi.fn()}
      />
    </AnnouncerProvider>
  );
  const call = (state: VoicePeerView['state'], muted = false): VoicePeerView => ({
    state,
    muted,
    speaking: false,
    relayed: false,
  });

  it('a call that connects or fails, a member who mutes, one who starts sharing', async () => {
    const { rerender } = render(voice({ alice: call('connecting') }));
    rerender(voice({ alice: call('connecting'), carol: call('connecting') }));
    await after(ANNOUNCE_EVERY_MS);
    // "connecting…" is how every call starts: not news.
    expect(news().textContent).toBe('');
    rerender(voice({ alice: call('connected'), carol: call('failed') }, ['carol']));
    await after(ANNOUNCE_EVERY_MS);
    expect(news().textContent).toBe(
      'Alice: connected. Carol: could not connect. Carol is sharing their screen',
    );
    rerender(voice({ alice: call('connected', true), carol: call('failed') }, ['carol']));
    await after(ANNOUNCE_EVERY_MS);
    expect(news().textContent).toBe('Alice: muted');
  });
});
