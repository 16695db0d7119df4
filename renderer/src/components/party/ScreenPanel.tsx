import { useCallback } from 'react';
import type { LanrageApi } from '../../../../shared/ipc/contract';
import { useRelay } from '../../rtc/use-relay';
import { DIRECT_WORDS, relayWords, type RelayWords } from '../../rtc/relay-words';
import type { PeerView } from '../../../../shared/ipc/app-state';
import { rtcScreenDeps } from '../../screen/screen-link';
import type { ScreenView } from '../../screen/screen-types';
import { useScreenShare } from '../../screen/use-screen-share';
import { useStore } from '../../store/context';
import { useScreenPicker } from '../../screen/use-screen-picker';
import { ErrorAlert } from '../common/Feedback';
import { rescueFocusTo } from '../common/focus-rescue';
import { useAnnounceNew } from './Announcer';
import { ScreenPicker } from './ScreenPicker';
import { SHARE_ID, STOP_ID, toOwnButton, Watching } from './ScreenWatching';

export interface ScreenPanelViewProps {
  view: ScreenView;
  /** The screen I watch, once it arrived. */
  stream: MediaStream | null;
  /** The party's members by peer id, for their names. */
  peers: Record<string, PeerView>;
  onStart: () => void;
  onStop: () => void;
  onWatch: (peerId: string) => void;
  onUnwatch: () => void;
  /** The path screens take (rtc/relay-words.ts); straight when absent. */
  relay?: RelayWords;
}

const nameOf = (peers: Record<string, PeerView>, peerId: string) =>
  peers[peerId]?.name ?? 'Someone';

// Share and Stop make way for each other: a keyboard user lands on what replaced the one they
// pressed, not on <body> (where the next Tab starts at the top of the page).
const toStop = rescueFocusTo(STOP_ID, SHARE_ID);
const toShare = rescueFocusTo(SHARE_ID);

/** My own screen: Share, or Stop and how many watch it. */
function ShareButtons({ view, onStart, onStop }: ScreenPanelViewProps) {
  if (!view.sharing) {
    return (
      <button
        ref={toStop}
        id={SHARE_ID}
        type="button"
        className="button button-primary button-small"
        data-testid="screen-share"
        // Not `disabled` while choosing (that drops focus); a second press does nothing.
        aria-disabled={view.starting}
        aria-busy={view.starting}
        onClick={() => view.starting || onStart()}
      >
        {view.starting ? 'Starting…' : 'Share your screen'}
      </button>
    );
  }
  return (
    <>
      <span className="screen-viewers" data-testid="screen-viewers" aria-live="polite">
        {view.viewers} watching
      </span>
      <button
        ref={toShare}
        id={STOP_ID}
        type="button"
        className="button button-danger button-small"
        data-testid="screen-stop"
        onClick={onStop}
      >
        Stop sharing
      </button>
    </>
  );
}

interface SharerRowProps {
  peerId: string;
  name: string;
  watched: boolean;
  onWatch: (peerId: string) => void;
  onUnwatch: () => void;
}

/** Said after the name, on the sharer's row and to a screen reader as they start. */
const SHARING = 'is sharing their screen';

/** One member sharing: name, and Watch (or Stop watching when it is the screen I watch). */
function SharerRow({ peerId, name, watched, onWatch, onUnwatch }: SharerRowProps) {
  return (
    <li
      ref={toOwnButton}
      className="screen-sharer"
      data-testid="screen-sharer"
      data-peer-id={peerId}
    >
      <span className="peer-name" title={name}>
        {name}
      </span>
      <span className="screen-sharer-note">{SHARING}</span>
      {watched ? (
        <button
          type="button"
          className="button button-small"
          data-testid="screen-unwatch"
          onClick={onUnwatch}
        >
          Stop watching
        </button>
      ) : (
        <button
          type="button"
          className="button button-primary button-small"
          data-testid="screen-watch"
          aria-label={`Watch ${name}'s screen`}
          onClick={() => onWatch(peerId)}
        >
          Watch
        </button>
      )}
    </li>
  );
}

/** The others sharing their screen, by name. */
function Sharers({ view, peers, onWatch, onUnwatch }: ScreenPanelViewProps) {
  const sharers = view.sharers
    .map((peerId) => ({ peerId, name: nameOf(peers, peerId) }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.peerId.localeCompare(b.peerId));
  useAnnounceNew(sharers.map(({ peerId, name }) => ({ key: peerId, text: `${name} ${SHARING}` })));
  if (sharers.length === 0) return null;
  return (
    <ul className="screen-sharers" aria-label="Sharing their screen">
      {sharers.map(({ peerId, name }) => (
        <SharerRow
          key={peerId}
          peerId={peerId}
          name={name}
          watched={view.watching?.peerId === peerId}
          onWatch={onWatch}
          onUnwatch={onUnwatch}
        />
      ))}
    </ul>
  );
}

/** While no one else shares: what sharing does, or that mine can be watched now. */
function ShareHint({ sharing, path }: { sharing: boolean; path: string }) {
  if (sharing) {
    return <p className="hint">The others in the party can watch your screen now.</p>;
  }
  return (
    <p className="hint">
      Show the others your game or your desktop. {path} You choose the screen or window to show.
    </p>
  );
}

/** Screen sharing as it is: my screen, the others' screens, and the one I watch. */
export function ScreenPanelView(props: ScreenPanelViewProps) {
  const { view, peers, stream } = props;
  const relay = props.relay ?? DIRECT_WORDS('screen');
  return (
    <section
      className="screen card media-card"
      data-testid="screen-panel"
      aria-labelledby="screen-title"
    >
      <div className="media-head">
        <h2 id="screen-title" className="section-title">
          Screen sharing
        </h2>
        <div className="media-actions">
          <ShareButtons {...props} />
        </div>
      </div>
      <ErrorAlert message={view.error} testId="screen-error" />
      <ErrorAlert message={relay.problem} testId="screen-relay-problem" />
      <Sharers {...props} />
      {view.watching && (
        <Watching
          watching={view.watching}
          name={nameOf(peers, view.watching.peerId)}
          stream={stream}
          onWatch={props.onWatch}
        />
      )}
      {view.sharers.length === 0 && <ShareHint sharing={view.sharing} path={relay.path} />}
    </section>
  );
}

/** Screen sharing in my party, over WebRTC; the desktop app asks what to share first. */
export function ScreenPanel() {
  const { relay, state } = useRelay();
  const relayOnly = useStore((s) => s.settings?.relay_only === true);
  const deps = useCallback((api: LanrageApi) => rtcScreenDeps(api, relay), [relay]);
  const { view, stream, start, stop, watch, unwatch } = useScreenShare(deps);
  const picker = useScreenPicker(start);
  const peers = useStore((s) => s.party?.peers) ?? {};
  const shown = picker.listing ? { ...view, starting: true } : view;
  return (
    <>
      <ScreenPanelView
        view={picker.error === null ? shown : { ...shown, error: picker.error }}
        stream={stream}
        peers={peers}
        onStart={picker.open}
        onStop={stop}
        onWatch={watch}
        onUnwatch={unwatch}
        relay={relayWords('screen', state, relayOnly)}
      />
      {picker.sources && (
        <ScreenPicker sources={picker.sources} onPick={picker.pick} onCancel={picker.cancel} />
      )}
    </>
  );
}
