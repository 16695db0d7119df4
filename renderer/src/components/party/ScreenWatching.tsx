/**
 * The screen I watch: how it is going in words, the video, and what to do when it did not
 * come (Try again, which watches the same sharer anew).
 */
import { useEffect, useRef, type RefObject } from 'react';
import type { WatchingView, WatchState } from '../../screen/screen-types';
import { rescueFocusTo } from '../common/focus-rescue';

export const SHARE_ID = 'screen-share-button';
export const STOP_ID = 'screen-stop-button';
// A sharer who stops or leaves takes their row and the screen I watch with them.
export const toOwnButton = rescueFocusTo(SHARE_ID, STOP_ID);

const STATE_TEXT: Record<WatchState, (name: string) => string> = {
  connecting: (name) => `Connecting to ${name}'s screen…`,
  connected: (name) => `Watching ${name}'s screen`,
  failed: (name) => `${name}'s screen could not connect.`,
  full: (name) => `${name}'s screen has as many viewers as it can take. Try again later.`,
};

/** How watching is going, in words, and whether it comes through the relay (as voice says). */
function StateLine({
  watching: { state, relayed },
  name,
}: {
  watching: WatchingView;
  name: string;
}) {
  return (
    <p
      className={`screen-state screen-${state}`}
      data-testid="screen-state"
      data-state={state}
      data-relayed={String(relayed)}
      role="status"
    >
      {STATE_TEXT[state](name)}
      {state === 'connected' && relayed && ' · via relay'}
    </p>
  );
}

/** The watched screen as big as the display (Esc, or the system's way, comes back). */
function FullScreenButton({ video }: { video: RefObject<HTMLVideoElement | null> }) {
  return (
    <button
      type="button"
      className="button button-small"
      data-testid="screen-fullscreen"
      onClick={() => void video.current?.requestFullscreen().catch(() => undefined)}
    >
      Full screen
    </button>
  );
}

/** A screen that did not come, asked for anew (with a fresh streak of tries). */
function TryAgainButton({ onClick }: { onClick: () => void }) {
  return (
    <button
      type="button"
      className="button button-small"
      data-testid="screen-retry"
      onClick={onClick}
    >
      Try again
    </button>
  );
}

/** The screen I watch: how it is going, and the video once there is one to show. */
export function Watching({
  watching,
  name,
  stream,
  onWatch,
}: {
  watching: WatchingView;
  name: string;
  stream: MediaStream | null;
  /** Watching the same sharer again starts over a link that failed or was full. */
  onWatch: (peerId: string) => void;
}) {
  const video = useRef<HTMLVideoElement>(null);
  const showVideo = watching.state === 'connecting' || watching.state === 'connected';
  useEffect(() => {
    const element = video.current;
    if (element === null) return;
    element.srcObject = stream;
  }, [stream, showVideo]);
  return (
    <div ref={toOwnButton} className="screen-watching">
      <StateLine watching={watching} name={name} />
      {watching.state === 'connected' && <FullScreenButton video={video} />}
      {(watching.state === 'failed' || watching.state === 'full') && (
        <TryAgainButton onClick={() => onWatch(watching.peerId)} />
      )}
      {showVideo && (
        <video
          ref={video}
          className="screen-video"
          data-testid="screen-video"
          aria-label={`${name}'s screen`}
          autoPlay
          muted
          playsInline
        />
      )}
    </div>
  );
}
