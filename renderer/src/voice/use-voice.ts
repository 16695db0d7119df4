/**
 * Voice chat for the party on screen (rtc/use-party-machine.ts): out of voice when the party
 * goes away or the panel unmounts.
 */
import { useCallback, useMemo, useState } from 'react';
import type { LanrageApi } from '../../../shared/ipc/contract';
import type { StateEvent } from '../../../shared/ipc/app-state';
import { usePartyMachine } from '../rtc/use-party-machine';
import { VoiceMesh } from './voice-mesh';
import { EMPTY_VOICE_VIEW, type MicStream, type VoiceDeps, type VoiceView } from './voice-types';

export interface VoiceControls {
  view: VoiceView;
  join: () => void;
  leave: () => void;
  setMuted: (muted: boolean) => void;
}

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
  return useMemo(
    () => ({
      view: mesh ? view : EMPTY_VOICE_VIEW,
      join: () => void mesh?.join(),
      leave: () => mesh?.leave(),
      setMuted: (muted: boolean) => mesh?.setMuted(muted),
    }),
    [mesh, view],
  );
}
