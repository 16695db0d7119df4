/**
 * Screen sharing for the party on screen (rtc/use-party-machine.ts): no longer sharing or
 * watching when the party goes away or the panel unmounts.
 */
import { useCallback, useMemo, useState } from 'react';
import type { LanrageApi } from '../../../shared/ipc/contract';
import type { StateEvent } from '../../../shared/ipc/app-state';
import {
  usePartyMachine,
  useRestartWhenHidden,
  useRetryWhenRelayReady,
} from '../rtc/use-party-machine';
import { useMemberBack } from '../rtc/use-member-back';
import { useRelinked } from '../rtc/use-relinked';
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

const screenSignalIn = (event: StateEvent) => (event.type === 'screen_signal' ? event : null);

/** `createDeps` must be stable (a module-level function): a new one makes a new machine. */
export function useScreenShare<C extends ScreenCapture, S>(
  createDeps: (api: LanrageApi) => ScreenDeps<C, S>,
): ScreenControls<S> {
  const [published, setPublished] = useState<Published<S>>(NOTHING);
  const make = useCallback(
    (api: LanrageApi, myId: string) =>
      new ScreenShare(myId, createDeps(api), (view, stream) => setPublished({ view, stream })),
    [createDeps],
  );
  const share = usePartyMachine(screenSignalIn, make);
  useRestartWhenHidden(share);
  useRetryWhenRelayReady(share);
  useRelinked(useMemo(() => (share ? () => share.relinked() : null), [share]));
  useMemberBack(share);
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
