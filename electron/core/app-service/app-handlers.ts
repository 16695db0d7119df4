/**
 * The app's IPC channels other than access control (access-handlers.ts): which part of the
 * service answers each, and which run in its queue (everything that changes state).
 */
import type { AppState, Settings, SettingsView, StateEvent } from '../../../shared/ipc/app-state';
import type { ServerCheck } from '../../../shared/ipc/contract';
import type { ConfigChanges } from '../config/config';
import type { NoticeBoard } from '../notices';
import type { PartyNews } from '../notifications/party-news';
import { newPartySettings, type AccessChannel } from './access-handlers';
import type { ScreensChannel } from '../../../shared/ipc/screens';
import type { DiscoveryFeed } from './discovery-feed';
import type { InvitePrompt } from './invite-prompt';
import type { IpcHandlers } from './ipc-registry';
import type { PartyActions } from './party-actions';
import type { SignalRelay } from './signal-relay';
import { wrapScreenSignal } from '../../../shared/media/screen';
import { wrapVoiceSignal } from '../../../shared/media/voice';
import { withVolume } from '../../../shared/media/voice-volume';

/** What the channels reach of the app service. */
export interface HandlerParts {
  actions: PartyActions;
  news: PartyNews;
  discovery: DiscoveryFeed;
  notices: NoticeBoard;
  invite: InvitePrompt;
  signals: SignalRelay;
  snapshot(): AppState;
  settings(): SettingsView;
  saveSettings(settings: Settings, also?: ConfigChanges): Promise<SettingsView>;
  probeServer(url: string): Promise<ServerCheck>;
  emit(event: StateEvent): void;
  /** Runs state-changing operations one at a time, in call order. */
  exclusive<T>(operation: () => Promise<T>): Promise<T>;
}

export function appHandlers(p: HandlerParts): Omit<IpcHandlers, AccessChannel | ScreensChannel> {
  return {
    getState: () => Promise.resolve(p.snapshot()),
    // Outside the queue: it asks whether the app's loop runs, not whether a join is done.
    ping: () => Promise.resolve(null),
    createParty: ({ name, host_migration, settings }) =>
      p.exclusive(() =>
        p.actions.create(name, newPartySettings(host_migration ?? false, settings)),
      ),
    joinParty: ({ invite, password, switch_server }) =>
      p.exclusive(() => p.actions.join(invite, password, switch_server === true)),
    leaveParty: (how) => p.exclusive(() => p.actions.leave(how)),
    transferHost: ({ peer_id }) => p.exclusive(() => p.actions.transferHost(peer_id)),
    dismissEnded: () => Promise.resolve(p.news.setEnded(null)),
    discoverParties: () => p.discovery.refresh(),
    getSettings: () => Promise.resolve(p.settings()),
    saveSettings: (settings) => p.exclusive(() => p.saveSettings(settings)),
    dismissNotice: ({ id }) => {
      p.notices.dismiss(id);
      return Promise.resolve(null);
    },
    dismissInvite: () => {
      p.invite.clear();
      return Promise.resolve(null);
    },
    testServer: ({ url }) => p.probeServer(url),
    ...mediaHandlers(p),
    finishWelcome: ({ settings }) =>
      p.exclusive(async () => {
        const saved = await p.saveSettings(settings ?? p.settings(), { welcomeDone: true });
        p.emit({ type: 'first_run', first_run: false });
        return saved;
      }),
  };
}

/** Voice chat's and screen sharing's channels. */
function mediaHandlers(
  p: HandlerParts,
): Pick<IpcHandlers, 'sendVoiceSignal' | 'sendScreenSignal' | 'getRelay' | 'setVoiceVolume'> {
  return {
    // Outside the queue: a call's set-up must not wait behind a join or a settings save.
    sendVoiceSignal: ({ to, signal }) => p.signals.send(to, wrapVoiceSignal(signal)),
    sendScreenSignal: ({ to, signal }) => p.signals.send(to, wrapScreenSignal(signal)),
    getRelay: () => p.signals.relay(),
    // In it: saved like the settings (config.json), never two writes at once.
    setVoiceVolume: ({ peer_id, volume }) =>
      p.exclusive(async () => {
        const settings = p.settings();
        const voiceVolumes = withVolume(settings.voice_volumes, peer_id, volume);
        await p.saveSettings(settings, { voiceVolumes });
        return null;
      }),
  };
}
