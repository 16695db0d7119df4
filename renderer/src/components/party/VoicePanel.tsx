import { useCallback } from 'react';
import type { PeerView } from '../../../../shared/ipc/app-state';
import { volumeOf, type VoiceVolumes } from '../../../../shared/media/voice-volume';
import { shortcutWords } from '../../../../shared/media/mute-shortcut';
import type { LanrageApi } from '../../../../shared/ipc/contract';
import { useStore } from '../../store/context';
import { useRelay } from '../../rtc/use-relay';
import { DIRECT_WORDS, relayWords, type RelayWords } from '../../rtc/relay-words';
import { rtcVoiceDeps } from '../../voice/rtc-link';
import { useVoice } from '../../voice/use-voice';
import type { VoiceLinkState, VoicePeerView, VoiceView } from '../../voice/voice-types';
import { ErrorAlert } from '../common/Feedback';
import { rescueFocusTo } from '../common/focus-rescue';
import { VolumeSlider } from './VolumeSlider';

const STATE_TEXT: Record<VoiceLinkState, string> = {
  connecting: 'connecting…',
  connected: 'connected',
  failed: 'could not connect',
};

export interface VoicePanelViewProps {
  view: VoiceView;
  /** The party's members by peer id, for their names. */
  peers: Record<string, PeerView>;
  /** How loud each member plays here, as saved. */
  volumes: VoiceVolumes;
  onJoin: () => void;
  onLeave: () => void;
  onMute: (muted: boolean) => void;
  onDeafen: (deafened: boolean) => void;
  /** Calls that could not connect start over (their retries may be spent). */
  onRetry?: () => void;
  onPreviewVolume: (peerId: string, volume: number) => void;
  onSaveVolume: (peerId: string, volume: number) => void;
  /** The path calls take (rtc/relay-words.ts); straight when absent. */
  relay?: RelayWords;
  /** Settings' mute shortcut (shared/media/mute-shortcut.ts), shown on Mute; none when absent. */
  muteShortcut?: string | null;
}

type VolumeProps = Pick<
  VoicePanelViewProps,
  'volumes' | 'onPreviewVolume' | 'onSaveVolume' | 'onRetry'
>;

interface VoicePeerProps extends VolumeProps {
  peerId: string;
  name: string;
  peer: VoicePeerView;
}

/** A call that could not connect, started over by hand (the automatic tries may be spent). */
function RetryButton({ name, onRetry }: { name: string; onRetry: () => void }) {
  return (
    <button
      type="button"
      className="button button-small"
      data-testid="voice-retry"
      aria-label={`Try the call with ${name} again`}
      onClick={onRetry}
    >
      Try again
    </button>
  );
}

/** One other member in voice: name, how the call is going, muted, whether they talk, volume. */
function VoicePeer({ peerId, name, peer, ...volume }: VoicePeerProps) {
  return (
    <li
      className={`voice-peer voice-${peer.state}${peer.speaking ? ' is-speaking' : ''}`}
      data-testid="voice-peer"
      data-peer-id={peerId}
      data-state={peer.state}
      data-speaking={String(peer.speaking)}
      data-relayed={String(peer.relayed)}
    >
      {/* By shape and word as well as colour: a filled mark and "speaking" to screen readers. */}
      <span className="voice-speaking-mark" aria-hidden="true">
        {peer.speaking ? '●' : '○'}
      </span>
      <span className="peer-name" title={name}>
        {name}
      </span>
      {peer.speaking && <span className="visually-hidden">speaking</span>}
      <span className="voice-peer-state">
        {STATE_TEXT[peer.state]}
        {peer.state === 'connected' && peer.relayed && ' · via relay'}
      </span>
      {peer.state === 'failed' && volume.onRetry && (
        <RetryButton name={name} onRetry={volume.onRetry} />
      )}
      {peer.muted && <span className="badge badge-muted">muted</span>}
      <VolumeSlider
        name={name}
        saved={volumeOf(volume.volumes, peerId)}
        onPreview={(v) => volume.onPreviewVolume(peerId, v)}
        onSave={(v) => volume.onSaveVolume(peerId, v)}
      />
    </li>
  );
}

/** The others in voice with me, by name. */
function VoicePeers({
  view,
  peers,
  ...volume
}: Pick<VoicePanelViewProps, 'view' | 'peers'> & VolumeProps) {
  const inVoice = Object.entries(view.peers)
    .map(([peerId, peer]) => ({ peerId, peer, name: peers[peerId]?.name ?? 'Someone' }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.peerId.localeCompare(b.peerId));
  if (inVoice.length === 0) return <p className="hint">No one else is in voice yet.</p>;
  return (
    <ul className="voice-peers" aria-label="In voice">
      {inVoice.map(({ peerId, peer, name }) => (
        <VoicePeer key={peerId} peerId={peerId} name={name} peer={peer} {...volume} />
      ))}
    </ul>
  );
}

/** Out of voice: who I would be talking to (nothing while no one is known to be in voice). */
function InVoiceNow({ present, peers }: { present: string[]; peers: Record<string, PeerView> }) {
  const names = present
    .map((peerId) => peers[peerId]?.name)
    .filter((name): name is string => name !== undefined)
    .sort((a, b) => a.localeCompare(b));
  if (names.length === 0) return null;
  return (
    <p className="voice-present" data-testid="voice-present">
      In voice now: {names.join(', ')}
    </p>
  );
}

type ButtonProps = Pick<
  VoicePanelViewProps,
  'view' | 'onJoin' | 'onLeave' | 'onMute' | 'onDeafen' | 'muteShortcut'
>;

const JOIN_ID = 'voice-join-button';
const MUTE_ID = 'voice-mute-button';
// Join and Leave make way for each other: a keyboard user who pressed one lands on what
// replaced it, not on <body> (where the next Tab starts at the top of the page).
const toMute = rescueFocusTo(MUTE_ID, JOIN_ID);
const toJoin = rescueFocusTo(JOIN_ID);

function JoinButton({ joining, onJoin }: { joining: boolean; onJoin: () => void }) {
  return (
    <button
      ref={toMute}
      id={JOIN_ID}
      type="button"
      className="button button-primary button-small"
      data-testid="voice-join"
      // Not `disabled` while the mic opens (that drops focus); a second press does nothing.
      aria-disabled={joining}
      aria-busy={joining}
      onClick={() => joining || onJoin()}
    >
      {joining ? 'Joining…' : 'Join voice'}
    </button>
  );
}

interface MuteProps {
  muted: boolean;
  onMute: (muted: boolean) => void;
  shortcut: string | null;
}

function MuteButton({ muted, onMute, shortcut }: MuteProps) {
  return (
    <button
      id={MUTE_ID}
      type="button"
      className="button button-small"
      data-testid="voice-mute"
      aria-pressed={muted}
      // ARIA names the Windows key Meta; the setting (an Electron accelerator) Super.
      aria-keyshortcuts={shortcut?.replace('Super', 'Meta') ?? undefined}
      title={shortcut ? `Mute shortcut: ${shortcutWords(shortcut)}` : undefined}
      onClick={() => onMute(!muted)}
    >
      {muted ? 'Unmute' : 'Mute'}
    </button>
  );
}

function DeafenButton({
  deafened,
  onDeafen,
}: {
  deafened: boolean;
  onDeafen: (d: boolean) => void;
}) {
  return (
    <button
      type="button"
      className="button button-small"
      data-testid="voice-deafen"
      aria-pressed={deafened}
      title={deafened ? 'Hear the others again' : 'Hear nobody, and be muted'}
      onClick={() => onDeafen(!deafened)}
    >
      {deafened ? 'Undeafen' : 'Deafen'}
    </button>
  );
}

function VoiceButtons({ view, onJoin, onLeave, onMute, onDeafen, muteShortcut }: ButtonProps) {
  if (!view.joined) return <JoinButton joining={view.joining} onJoin={onJoin} />;
  return (
    <>
      <MuteButton muted={view.muted} onMute={onMute} shortcut={muteShortcut ?? null} />
      <DeafenButton deafened={view.deafened} onDeafen={onDeafen} />
      <button
        ref={toJoin}
        type="button"
        className="button button-danger button-small"
        data-testid="voice-leave"
        onClick={onLeave}
      >
        Leave voice
      </button>
    </>
  );
}

interface OutOfVoiceProps {
  present: string[];
  peers: Record<string, PeerView>;
  /** How calls would go (relay-words.ts). */
  path: string;
  muteShortcut: string | null;
}

/** Before joining: who is in voice now, and what joining means. */
function OutOfVoice({ present, peers, path, muteShortcut }: OutOfVoiceProps) {
  const shortcut = muteShortcut ? ` ${shortcutWords(muteShortcut)} mutes and unmutes you.` : '';
  return (
    <>
      <InVoiceNow present={present} peers={peers} />
      <p className="hint">
        Talk to the others in the party. {path}
        {shortcut}
      </p>
    </>
  );
}

/** Voice chat as it is: the buttons, who is in voice, and what went wrong. */
export function VoicePanelView(props: VoicePanelViewProps) {
  const { view, peers } = props;
  const relay = props.relay ?? DIRECT_WORDS('voice');
  return (
    <section
      className="voice card media-card"
      data-testid="voice-panel"
      aria-labelledby="voice-title"
    >
      <div className="media-head">
        <h2 id="voice-title" className="section-title">
          Voice
        </h2>
        <div className="media-actions">
          <VoiceButtons {...props} />
        </div>
      </div>
      <ErrorAlert message={view.error} testId="voice-error" />
      <ErrorAlert message={relay.problem} testId="voice-relay-problem" />
      {view.joined ? (
        <VoicePeers
          view={view}
          peers={peers}
          volumes={props.volumes}
          onPreviewVolume={props.onPreviewVolume}
          onSaveVolume={props.onSaveVolume}
          {...(props.onRetry ? { onRetry: props.onRetry } : {})}
        />
      ) : (
        <OutOfVoice
          present={view.present}
          peers={peers}
          path={relay.path}
          muteShortcut={props.muteShortcut ?? null}
        />
      )}
    </section>
  );
}

/** Voice chat for my party, over WebRTC. */
export function VoicePanel() {
  const { relay, state } = useRelay();
  const deps = useCallback((api: LanrageApi) => rtcVoiceDeps(api, relay), [relay]);
  const voice = useVoice(deps);
  const relayOnly = useStore((s) => s.settings?.relay_only === true);
  const peers = useStore((s) => s.party?.peers) ?? {};
  const muteShortcut = useStore((s) => s.settings?.mute_shortcut ?? null);
  return (
    <VoicePanelView
      muteShortcut={muteShortcut}
      view={voice.view}
      peers={peers}
      volumes={voice.volumes}
      onJoin={voice.join}
      onLeave={voice.leave}
      onMute={voice.setMuted}
      onDeafen={voice.setDeafened}
      onRetry={voice.retry}
      onPreviewVolume={voice.previewVolume}
      onSaveVolume={voice.saveVolume}
      relay={relayWords('voice', state, relayOnly)}
    />
  );
}
