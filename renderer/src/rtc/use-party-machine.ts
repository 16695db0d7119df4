/**
 * What voice chat's and screen sharing's hooks share: one state machine per API and me, fed
 * its feature's signals from the API and the party's members, and told to leave when the party
 * goes away (or moves to another) or the panel unmounts.
 */
import { useEffect, useMemo, useRef } from 'react';
import type { StateEvent } from '../../../shared/ipc/app-state';
import type { LanrageApi } from '../../../shared/ipc/contract';
import { useApi, useStore } from '../store/context';
import { useRelay } from './use-relay';

/** The feature's signal in a state event, or null when the event is not one. */
export type SignalIn<S> = (event: StateEvent) => { from: string; signal: S } | null;

/** A feature's state machine as the party drives it. */
export interface PartyMachine<S> {
  receive(from: string, signal: S): void;
  membersChanged(peerIds: readonly string[]): void;
  /** No longer in the feature: links closed, devices given back. */
  leave(): void;
}

/**
 * The machine for the party on screen, or null before I have an id. `signalIn` and `make` must be
 * stable (a module-level function, or a callback over stable values): a new one makes a new
 * machine.
 */
export function usePartyMachine<S, T extends PartyMachine<S>>(
  signalIn: SignalIn<S>,
  make: (api: LanrageApi, myId: string) => T,
): T | null {
  const api = useApi();
  const myId = useStore((s) => s.me?.peer_id ?? null);
  const partyId = useStore((s) => s.party?.party_id ?? null);
  // One string, so a heartbeat (a new peers object, the same members) changes nothing here.
  const memberKey = useStore((s) => (s.party ? Object.keys(s.party.peers).sort().join('\n') : ''));
  const machine = useMemo(() => (myId === null ? null : make(api, myId)), [api, myId, make]);

  useEffect(() => {
    if (!machine) return;
    const unsubscribe = api.onStateEvent((event) => {
      const signalled = signalIn(event);
      if (signalled) machine.receive(signalled.from, signalled.signal);
    });
    return () => {
      unsubscribe();
      machine.leave();
    };
  }, [api, machine, signalIn]);

  useEffect(() => {
    if (!machine || partyId === null) return;
    return () => machine.leave();
  }, [machine, partyId]);

  useEffect(() => {
    machine?.membersChanged(memberKey === '' ? [] : memberKey.split('\n'));
  }, [machine, memberKey]);

  return machine;
}

/**
 * Ticking "Hide my address" changes only the links made from then on: the machine starts over
 * those up now that go straight, so no call or screen keeps a straight path afterwards.
 */
export function useRestartWhenHidden(machine: { restartStraight(): void } | null): void {
  const relayOnly = useStore((s) => s.settings?.relay_only === true);
  const was = useRef(relayOnly);
  useEffect(() => {
    const before = was.current;
    was.current = relayOnly;
    if (relayOnly && !before) machine?.restartStraight();
  }, [machine, relayOnly]);
}

/**
 * The relay became ready (the server answered with one, maybe after coming back with it):
 * links not connected were made without it (a hidden address's have no path at all), or
 * failed; they start over at once.
 */
export function useRetryWhenRelayReady(machine: { retryUnconnected(): void } | null): void {
  const { state } = useRelay();
  useEffect(() => {
    if (state === 'ready') machine?.retryUnconnected();
  }, [machine, state]);
}
