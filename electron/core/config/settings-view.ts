/**
 * The settings as the page sees and sends them (shared/ipc/app-state.ts), mapped to and from
 * the Config: one place for which form keys are which settings.
 */
import type { Settings, SettingsView } from '../../../shared/ipc/app-state';
import type { Config, ConfigChanges } from './config';

export function settingsView(config: Config): SettingsView {
  return {
    peer_name: config.peerName,
    control_server: config.controlServer,
    voice_volumes: config.voiceVolumes,
    relay_only: config.relayOnly,
    mute_shortcut: config.muteShortcut,
  };
}

/** The changes a saved form makes; a key the form left out keeps its setting. */
export function settingsChanges(settings: Settings, config: Config): ConfigChanges {
  return {
    peerName: settings.peer_name,
    controlServer: settings.control_server === '' ? null : settings.control_server,
    relayOnly: settings.relay_only ?? config.relayOnly,
    muteShortcut:
      settings.mute_shortcut === undefined ? config.muteShortcut : settings.mute_shortcut,
  };
}
