/**
 * Voice chat for the party on screen: one mesh per API and me, fed the API's voice signals
 * and the party's members; out of voice when the party goes away or the panel unmounts.
 */
import { useEffect, useMemo, useState } from 'react';
import type { LanrageApi } from '../../../shared/ipc/contract';
import { useApi, useStore } from '../store/context';
import { VoiceMesh } from './voice-mesh';
import { EMPTY_VOICE_VIEW, type MicStream, type VoiceDeps, type VoiceView } from './voice-types';

export interface VoiceControls {
  view: VoiceView;
  join: () => void;
  leave: () => void;
  setMuted: (muted: boolean) => void;
}

/** `createDeps` must be stable (a module-level function): a new one makes a new mesh. */
export function useVoice<M extends MicStream>(
  createDeps: (api: LanrageApi) => VoiceDeps<M>,
): VoiceControls {
  const api = useApi();
  const myId = useStore((s) => s.me?.peer_id ?? null);
  const partyId = useStore((s) => s.party?.party_id ?? null);
  // One string, so a heartbeat (a new peers object, the same members) changes nothing here.
  const memberKey = useStore((s) => (s.party ? Object.keys(s.party.peers).sort().join('\n') : ''));
  const [view, setView] = useState<VoiceView>(EMPTY_VOICE_VIEW);
  const mesh = useMemo(
    () => (myId === null ? null : new VoiceMesh(myId, createDeps(api), setView)),
    [api, myId, createDeps],
  );

  useEffect(() => {
    if (!mesh) return;
    const unsubscribe = api.onStateEvent((event) => {
      if (event.type === 'voice_signal') mesh.receive(event.from, event.signal);
    });
    return () => {
      unsubscribe();
      mesh.leave();
    };
  }, [api, mesh]);

  // Leaving the party, or moving to another, ends its voice chat.
  useEffect(() => {
    if (!mesh || partyId === null) return;
    return () => mesh.leave();
  }, [mesh, partyId]);

  useEffect(() => {
    mesh?.membersChanged(memberKey === '' ? [] : memberKey.split('\n'));
  }, [mesh, memberKey]);

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
