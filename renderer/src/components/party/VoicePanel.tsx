import { useCallback } from 'react';
import type { PeerView } from '../../../../shared/ipc/app-state';
import type { VoiceVolumes } from '../../../../shared/media/voice-volume';
import type { PresenceMap } from '../../../../shared/presence';
import { shortcutWords } from '../../../../shared/media/mute-shortcut';
import type { LanrageApi } from '../../../../shared/ipc/contract';
import { useStore } from '../../store/context';
import { useRelay } from '../../rtc/use-relay';
import { DIRECT_WORDS, relayWords, type RelayWords } from '../../rtc/relay-words';
import { rtcVoiceDeps } from '../../voice/rtc-link';
import { useVoice } from '../../voice/use-voice';
import type { VoiceView } from '../../voice/voice-types';
import { ErrorAlert } from '../common/Feedback';
import { rescueFocusTo } from '../common/focus-rescue';
import { InVoiceNow, VoicePeers } from './VoicePeers';

export interface VoicePanelViewProps {
  view: VoiceView;
  /** The party's members by peer id, for their names. */
  peers: Record<string, PeerView>;
  /** The party's presence (out of voice, a member shown offline is not listed in voice). */
  presence?: PresenceMap;
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

type ButtonProps = Pick<
  VoicePanelViewProps,
  'view' | 'onJoin' | 'onLeave' | 'onMute' | 'onDeafen' | 'muteShortcut'
>;

const NO_PRESENCE: PresenceMap = {};

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

/**
 * Mute, Deafen and Lock say what they do ("Unmute" while muted), without aria-pressed: a
 * reader said "Unmute, toggle button, pressed", which could mean either state.
 */
function MuteButton({ muted, onMute, shortcut }: MuteProps) {
  return (
    <button
      id={MUTE_ID}
      type="button"
      className="button button-small"
      data-testid="voice-mute"
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
  presence: PresenceMap;
  peers: Record<string, PeerView>;
  /** How calls would go (relay-words.ts). */
  path: string;
  muteShortcut: string | null;
}

/** Before joining: who is in voice now, and what joining means. */
function OutOfVoice({ present, presence, peers, path, muteShortcut }: OutOfVoiceProps) {
  const shortcut = muteShortcut ? ` ${shortcutWords(muteShortcut)} mutes and unmutes you.` : '';
  return (
    <>
      <InVoiceNow present={present} peers={peers} presence={presence} />
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
          presence={props.presence ?? NO_PRESENCE}
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
  const presence = useStore((s) => s.party?.presence) ?? NO_PRESENCE;
  const muteShortcut = useStore((s) => s.settings?.mute_shortcut ?? null);
  return (
    <VoicePanelView
      muteShortcut={muteShortcut}
      view={voice.view}
      peers={peers}
      presence={presence}
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
