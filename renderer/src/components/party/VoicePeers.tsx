/** The voice panel's lists: the others in voice with me, and, out of voice, who is in it. */
import type { PeerView } from '../../../../shared/ipc/app-state';
import { PresenceStatus, type PresenceMap } from '../../../../shared/presence';
import { volumeOf, type VoiceVolumes } from '../../../../shared/media/voice-volume';
import type { VoiceLinkState, VoicePeerView, VoiceView } from '../../voice/voice-types';
import { useAnnounceNew } from './Announcer';
import { VolumeSlider } from './VolumeSlider';

const MUTED = 'muted';
/** Statuses of a member not listed as in voice: its app is not there to talk. */
const AWAY: ReadonlySet<PresenceStatus | undefined> = new Set([
  PresenceStatus.OFFLINE,
  PresenceStatus.ASLEEP,
]);

const STATE_TEXT: Record<VoiceLinkState, string> = {
  connecting: 'connecting…',
  connected: 'connected',
  failed: 'could not connect',
};

export interface VolumeProps {
  /** How loud each member plays here, as saved. */
  volumes: VoiceVolumes;
  onPreviewVolume: (peerId: string, volume: number) => void;
  onSaveVolume: (peerId: string, volume: number) => void;
  /** Calls that could not connect start over (their retries may be spent). */
  onRetry?: () => void;
}

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
      {peer.muted && <span className="badge badge-muted">{MUTED}</span>}
      <VolumeSlider
        name={name}
        saved={volumeOf(volume.volumes, peerId)}
        onPreview={(v) => volume.onPreviewVolume(peerId, v)}
        onSave={(v) => volume.onSaveVolume(peerId, v)}
      />
    </li>
  );
}

interface VoicePeersProps extends VolumeProps {
  view: VoiceView;
  /** The party's members by peer id, for their names. */
  peers: Record<string, PeerView>;
}

/**
 * What a screen reader is told of the calls, in the rows' words: each call that connects or
 * fails ("Bob: connected"), and each member who mutes. Not "connecting…": every call starts so.
 */
function callNews(inVoice: readonly { peerId: string; peer: VoicePeerView; name: string }[]) {
  return inVoice.flatMap(({ peerId, peer, name }) => [
    ...(peer.state === 'connecting'
      ? []
      : [{ key: `${peerId}:${peer.state}`, text: `${name}: ${STATE_TEXT[peer.state]}` }]),
    ...(peer.muted ? [{ key: `${peerId}:muted`, text: `${name}: ${MUTED}` }] : []),
  ]);
}

/** The others in voice with me, by name. */
export function VoicePeers({ view, peers, ...volume }: VoicePeersProps) {
  const inVoice = Object.entries(view.peers)
    .map(([peerId, peer]) => ({ peerId, peer, name: peers[peerId]?.name ?? 'Someone' }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.peerId.localeCompare(b.peerId));
  useAnnounceNew(callNews(inVoice));
  if (inVoice.length === 0) return <p className="hint">No one else is in voice yet.</p>;
  return (
    <ul className="voice-peers" aria-label="In voice">
      {inVoice.map(({ peerId, peer, name }) => (
        <VoicePeer key={peerId} peerId={peerId} name={name} peer={peer} {...volume} />
      ))}
    </ul>
  );
}

interface InVoiceNowProps {
  present: string[];
  peers: Record<string, PeerView>;
  /** The party's presence: a member it shows offline or asleep is not listed. */
  presence: PresenceMap;
}

/**
 * Out of voice: who I would be talking to (nothing while no one is known to be in voice). Not
 * a member the member list shows offline: one whose app crashed in voice read "In voice now"
 * until the server removed them, 5 minutes later (voice-mesh.ts asks them again when back).
 * Nor one whose PC said it went to sleep (1.12).
 */
export function InVoiceNow({ present, peers, presence }: InVoiceNowProps) {
  const names = present
    .filter((peerId) => !AWAY.has(presence[peerId]?.status))
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
