// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  EMPTY_SCREEN_VIEW,
  SCREEN_CANCELLED,
  SCREEN_ERROR,
  type ScreenView,
} from '../../screen/screen-types';
import { fakeApi, makeParty, makeState } from '../../test-util/fixtures';
import { actAsync, renderWithStore } from '../../test-util/render';
import { PartyView } from './PartyView';
import { ScreenPanelView } from './ScreenPanel';

afterEach(cleanup);

const party = makeParty('bob', ['alice', 'carol', 'dave']);

function renderPanel(view: Partial<ScreenView>) {
  const actions = { onStart: vi.fn(), onStop: vi.fn(), onWatch: vi.fn(), onUnwatch: vi.fn() };
  render(
    <ScreenPanelView
      view={{ ...EMPTY_SCREEN_VIEW, ...view }}
      stream={null}
      peers={party.peers}
      {...actions}
    />,
  );
  return actions;
}

/** An API whose app has no list of screens: the browser (headless mode) asks itself. */
const browserAsks = () => fakeApi({ listScreenSources: () => ({ ok: true, value: null }) }).api;

const sharer = (id: string) =>
  document.querySelector(`[data-testid="screen-sharer"][data-peer-id="${id}"]`);

const within = (element: Element | null, testId: string) =>
  element?.querySelector(`[data-testid="${testId}"]`) ?? null;

/** The panel with actions that do nothing, for rerendering as the view changes. */
const panel = (view: Partial<ScreenView>) => (
  <ScreenPanelView
    view={{ ...EMPTY_SCREEN_VIEW, ...view }}
    stream={null}
    peers={party.peers}
    onStart={vi.fn()}
    onStop={vi.fn()}
    onWatch={vi.fn()}
    onUnwatch={vi.fn()}
  />
);

describe('ScreenPanel', () => {
  it('nobody sharing: Share your screen, and that it goes straight between PCs', () => {
    const { onStart } = renderPanel({});
    const button = screen.getByTestId('screen-share');
    expect(button.textContent).toBe('Share your screen');
    expect(screen.getByTestId('screen-panel').textContent).toMatch(/straight to their PCs/);
    expect(screen.getByTestId('screen-panel').textContent).toContain(
      'You choose the screen or window to show.',
    );
    expect(screen.queryByTestId('screen-stop')).toBeNull();
    expect(screen.queryByTestId('screen-viewers')).toBeNull();
    expect(screen.queryByTestId('screen-sharer')).toBeNull();
    expect(screen.queryByTestId('screen-video')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.click(button);
    expect(onStart).toHaveBeenCalledTimes(1);
  });

  it('while the screen is picked, Share waits: a second press does nothing', () => {
    const { onStart } = renderPanel({ starting: true });
    const button = screen.getByTestId<HTMLButtonElement>('screen-share');
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect(button.textContent).toBe('Starting…');
    fireEvent.click(button);
    expect(onStart).not.toHaveBeenCalled();
  });

  it('keyboard: Share hands focus to Stop sharing once sharing, Stop hands it back', async () => {
    const { rerender } = render(panel({}));
    screen.getByTestId('screen-share').focus();
    rerender(panel({ starting: true }));
    expect(document.activeElement).toBe(screen.getByTestId('screen-share'));
    await actAsync(() => rerender(panel({ sharing: true })));
    expect(document.activeElement).toBe(screen.getByTestId('screen-stop'));
    await actAsync(() => rerender(panel({})));
    expect(document.activeElement).toBe(screen.getByTestId('screen-share'));
  });

  it('keyboard: a sharer leaving takes their row, and focus goes to my Share button', async () => {
    const watching = { peerId: 'alice', state: 'connected' as const, relayed: false };
    const { rerender } = render(panel({ sharers: ['alice'], watching }));
    screen.getByTestId('screen-unwatch').focus();
    await actAsync(() => rerender(panel({ sharers: [], watching: null })));
    expect(document.activeElement).toBe(screen.getByTestId('screen-share'));
  });

  it('sharing: Stop sharing and how many watch', () => {
    const { onStop } = renderPanel({ sharing: true, viewers: 3 });
    expect(screen.getByTestId('screen-viewers').textContent).toBe('3 watching');
    expect(screen.getByTestId('screen-panel').textContent).toContain('can watch your screen now');
    expect(screen.queryByTestId('screen-share')).toBeNull();
    fireEvent.click(screen.getByTestId('screen-stop'));
    expect(onStop).toHaveBeenCalledTimes(1);
  });

  it('others sharing: one row each by name, with Watch, or Stop watching on the one I watch', () => {
    const { onWatch, onUnwatch } = renderPanel({
      sharers: ['dave', 'carol'],
      watching: { peerId: 'dave', state: 'connected', relayed: false },
    });
    const rows = screen.getAllByTestId('screen-sharer');
    expect(rows.map((row) => row.getAttribute('data-peer-id'))).toEqual(['carol', 'dave']);
    expect(sharer('carol')?.textContent).toContain('Carol');
    expect(within(sharer('carol'), 'screen-unwatch')).toBeNull();
    expect(within(sharer('dave'), 'screen-watch')).toBeNull();
    fireEvent.click(within(sharer('carol'), 'screen-watch')!);
    expect(onWatch).toHaveBeenCalledWith('carol');
    fireEvent.click(within(sharer('dave'), 'screen-unwatch')!);
    expect(onUnwatch).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['connecting', "Connecting to Dave's screen…", true],
    ['connected', "Watching Dave's screen", true],
    ['failed', 'could not connect', false],
    ['full', "Dave's screen has as many viewers as it can take", false],
  ] as const)(
    'watching, %s: the state in words, and the video while it may play',
    (state, words, video) => {
      renderPanel({ sharers: ['dave'], watching: { peerId: 'dave', state, relayed: false } });
      const line = screen.getByTestId('screen-state');
      expect(line.getAttribute('data-state')).toBe(state);
      expect(line.textContent).toContain(words);
      const element = screen.queryByTestId<HTMLVideoElement>('screen-video');
      expect(element !== null).toBe(video);
      if (element) {
        expect(element.getAttribute('aria-label')).toBe("Dave's screen");
        expect(element.autoplay).toBe(true);
        expect(element.muted).toBe(true);
        expect(element.hasAttribute('playsinline')).toBe(true);
      }
    },
  );

  it.each(['failed', 'full'] as const)(
    'watching, %s: Try again watches the same sharer anew; none while it may still come',
    (state) => {
      const { onWatch } = renderPanel({
        sharers: ['dave'],
        watching: { peerId: 'dave', state, relayed: false },
      });
      fireEvent.click(screen.getByTestId('screen-retry'));
      expect(onWatch).toHaveBeenCalledWith('dave');
      cleanup();
      renderPanel({
        sharers: ['dave'],
        watching: { peerId: 'dave', state: 'connecting', relayed: false },
      });
      expect(screen.queryByTestId('screen-retry')).toBeNull();
    },
  );

  it('watching, connected through the relay: the line says so, as voice rows do', () => {
    const watching = { peerId: 'dave', state: 'connected' as const, relayed: true };
    renderPanel({ sharers: ['dave'], watching });
    const line = screen.getByTestId('screen-state');
    expect(line.textContent).toBe("Watching Dave's screen · via relay");
    expect(line.getAttribute('data-relayed')).toBe('true');
    cleanup();
    renderPanel({ sharers: ['dave'], watching: { ...watching, state: 'connecting' } });
    expect(screen.getByTestId('screen-state').textContent).toBe("Connecting to Dave's screen…");
    cleanup();
    renderPanel({ sharers: ['dave'], watching: { ...watching, relayed: false } });
    expect(screen.getByTestId('screen-state').textContent).toBe("Watching Dave's screen");
  });

  it('connected: Full screen puts the video in full screen; not before', () => {
    renderPanel({
      sharers: ['dave'],
      watching: { peerId: 'dave', state: 'connecting', relayed: false },
    });
    expect(screen.queryByTestId('screen-fullscreen')).toBeNull();
    cleanup();
    renderPanel({
      sharers: ['dave'],
      watching: { peerId: 'dave', state: 'connected', relayed: false },
    });
    const video = screen.getByTestId<HTMLVideoElement>('screen-video');
    const asked = vi.fn(() => Promise.resolve());
    video.requestFullscreen = asked;
    fireEvent.click(screen.getByTestId('screen-fullscreen'));
    expect(asked).toHaveBeenCalledTimes(1);
  });

  it('a screen that could not be had, or a cancelled pick, shows as an alert', () => {
    renderPanel({ error: SCREEN_ERROR });
    expect(screen.getByRole('alert').textContent).toBe(SCREEN_ERROR);
    expect(screen.getByTestId('screen-error').textContent).toMatch(/^Could not share your screen/);
    cleanup();
    renderPanel({ error: SCREEN_CANCELLED });
    expect(screen.getByTestId('screen-error').textContent).toBe(SCREEN_CANCELLED);
  });

  it('in the party view, after voice; a screen LANrage may not record is said', async () => {
    const getDisplayMedia = vi.fn(() =>
      Promise.reject(new DOMException('Permission denied by system', 'NotAllowedError')),
    );
    Object.defineProperty(navigator, 'mediaDevices', {
      value: { getDisplayMedia },
      configurable: true,
    });
    try {
      renderWithStore(<PartyView />, makeState({ party }), browserAsks());
      const voice = screen.getByTestId('voice-panel');
      expect(voice.nextElementSibling).toBe(screen.getByTestId('screen-panel'));
      await actAsync(() => fireEvent.click(screen.getByTestId('screen-share')));
      await actAsync(() => undefined);
      expect(getDisplayMedia).toHaveBeenCalledWith({ video: true, audio: false });
      expect(screen.getByTestId('screen-error').textContent).toBe(SCREEN_ERROR);
      expect(screen.getByTestId('screen-share').textContent).toBe('Share your screen');
    } finally {
      Reflect.deleteProperty(navigator, 'mediaDevices');
    }
  });

  it('in the party view, a user closing the picker is told gently', async () => {
    const getDisplayMedia = vi.fn(() =>
      Promise.reject(new DOMException('Permission denied', 'NotAllowedError')),
    );
    Object.defineProperty(navigator, 'mediaDevices', {
      value: { getDisplayMedia },
      configurable: true,
    });
    try {
      renderWithStore(<PartyView />, makeState({ party }), browserAsks());
      await actAsync(() => fireEvent.click(screen.getByTestId('screen-share')));
      await actAsync(() => undefined);
      expect(screen.getByTestId('screen-error').textContent).toBe(SCREEN_CANCELLED);
    } finally {
      Reflect.deleteProperty(navigator, 'mediaDevices');
    }
  });
});
