/**
 * Voice chat for the party on screen (rtc/use-party-machine.ts): out of voice when the party
 * goes away or the panel unmounts.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { LanrageApi } from '../../../shared/ipc/contract';
import type { StateEvent } from '../../../shared/ipc/app-state';
import type { VoiceVolumes } from '../../../shared/media/voice-volume';
import {
  usePartyMachine,
  useRestartWhenHidden,
  useRetryWhenRelayReady,
} from '../rtc/use-party-machine';
import { useMemberBack } from '../rtc/use-member-back';
import { useRelinked } from '../rtc/use-relinked';
import { useMuteShortcut } from './use-mute-shortcut';
import { useApi, useStore } from '../store/context';
import { VoiceMesh } from './voice-mesh';
import { EMPTY_VOICE_VIEW, type MicStream, type VoiceDeps, type VoiceView } from './voice-types';

export interface VoiceControls {
  view: VoiceView;
  /** How loud each member plays, in percent, as saved (shared/media/voice-volume.ts). */
  volumes: VoiceVolumes;
  join: () => void;
  leave: () => void;
  setMuted: (muted: boolean) => void;
  /** Hear nobody and be muted, or hear everyone again and be as muted as before. */
  setDeafened: (deafened: boolean) => void;
  /** Each call not connected starts over now, with a fresh streak of tries. */
  retry: () => void;
  /** Plays a member at this volume now (a slider moving), without saving it. */
  previewVolume: (peerId: string, volume: number) => void;
  /** Saves a member's volume (the slider let go): config.json's, then every call's. */
  saveVolume: (peerId: string, volume: number) => void;
}

const NO_VOLUMES: VoiceVolumes = {};

const voiceSignalIn = (event: StateEvent) => (event.type === 'voice_signal' ? event : null);

/** `createDeps` must be stable (a module-level function): a new one makes a new mesh. */
export function useVoice<M extends MicStream>(
  createDeps: (api: LanrageApi) => VoiceDeps<M>,
): VoiceControls {
  const [view, setView] = useState<VoiceView>(EMPTY_VOICE_VIEW);
  const make = useCallback(
    (api: LanrageApi, myId: string) => new VoiceMesh(myId, createDeps(api), setView),
    [createDeps],
  );
  const mesh = usePartyMachine(voiceSignalIn, make);
  useRestartWhenHidden(mesh);
  useRelinked(useMemo(() => (mesh ? () => mesh.relinked() : null), [mesh]));
  useRetryWhenRelayReady(mesh);
  useMemberBack(mesh);
  useMuteShortcut(mesh);
  const api = useApi();
  const volumes = useStore((s) => s.settings?.voice_volumes) ?? NO_VOLUMES;
  useEffect(() => mesh?.setVolumes(volumes), [mesh, volumes]);
  return useMemo(
    () => ({
      view: mesh ? view : EMPTY_VOICE_VIEW,
      volumes,
      join: () => void mesh?.join(),
      leave: () => mesh?.leave(),
      setMuted: (muted: boolean) => mesh?.setMuted(muted),
      setDeafened: (deafened: boolean) => mesh?.setDeafened(deafened),
      retry: () => mesh?.retryUnconnected(),
      previewVolume: (peerId: string, volume: number) => mesh?.setVolume(peerId, volume),
      // No refusal to show: the slider sends only volumes the schema takes, and a disk that
      // refuses the write is told as a notice (the volume still applies until LANrage closes).
      saveVolume: (peerId: string, volume: number) =>
        void api.setVoiceVolume({ peer_id: peerId, volume }),
    }),
    [api, mesh, view, volumes],
  );
}
