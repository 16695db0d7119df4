/**
 * Screen sharing for the party on screen: one state machine per API and me, fed the API's
 * screen signals and the party's members; no longer sharing or watching when the party goes
 * away or the panel unmounts.
 */
import { useEffect, useMemo, useState } from 'react';
import type { LanrageApi } from '../../../shared/ipc/contract';
import { useApi, useStore } from '../store/context';
import { ScreenShare } from './screen-share';
import {
  EMPTY_SCREEN_VIEW,
  type ScreenCapture,
  type ScreenDeps,
  type ScreenView,
} from './screen-types';

export interface ScreenControls<S> {
  view: ScreenView;
  /** The screen I watch, once it arrived. */
  stream: S | null;
  start: () => void;
  stop: () => void;
  watch: (peerId: string) => void;
  unwatch: () => void;
}

interface Published<S> {
  view: ScreenView;
  stream: S | null;
}

const NOTHING: Published<never> = { view: EMPTY_SCREEN_VIEW, stream: null };

/** `createDeps` must be stable (a module-level function): a new one makes a new machine. */
export function useScreenShare<C extends ScreenCapture, S>(
  createDeps: (api: LanrageApi) => ScreenDeps<C, S>,
): ScreenControls<S> {
  const api = useApi();
  const myId = useStore((s) => s.me?.peer_id ?? null);
  const partyId = useStore((s) => s.party?.party_id ?? null);
  // One string, so a heartbeat (a new peers object, the same members) changes nothing here.
  const memberKey = useStore((s) => (s.party ? Object.keys(s.party.peers).sort().join('\n') : ''));
  const [published, setPublished] = useState<Published<S>>(NOTHING);
  const share = useMemo(
    () =>
      myId === null
        ? null
        : new ScreenShare(myId, createDeps(api), (view, stream) => setPublished({ view, stream })),
    [api, myId, createDeps],
  );

  useEffect(() => {
    if (!share) return;
    const unsubscribe = api.onStateEvent((event) => {
      if (event.type === 'screen_signal') share.receive(event.from, event.signal);
    });
    return () => {
      unsubscribe();
      share.leave();
    };
  }, [api, share]);

  // Leaving the party, or moving to another, ends its sharing and watching.
  useEffect(() => {
    if (!share || partyId === null) return;
    return () => share.leave();
  }, [share, partyId]);

  useEffect(() => {
    share?.membersChanged(memberKey === '' ? [] : memberKey.split('\n'));
  }, [share, memberKey]);

  return useMemo(() => controls(share, share ? published : NOTHING), [share, published]);
}

function controls<S>(share: ScreenShare<ScreenCapture, S> | null, published: Published<S>) {
  return {
    ...published,
    start: () => void share?.start(),
    stop: () => share?.stop(),
    watch: (peerId: string) => share?.watch(peerId),
    unwatch: () => share?.unwatch(),
  };
}
