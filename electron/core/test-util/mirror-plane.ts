/**
 * A test double of the app's mirror (control-plane.ts) with no server behind it: the test
 * plays the server, handing it what a server would have answered (`told`). Every request
 * to a server is refused, except heartbeats, which are only counted (`beats`).
 */
import { ControlPlaneError } from '../../../shared/protocol/errors';
import type { PartyInfo } from '../../../shared/model';
import type { Transition } from '../../../shared/party/events';
import { NO_RELAY, type RelayGrant } from '../../../shared/protocol/relay';
import { ControlPlane } from '../control-plane';
import type { CommitOptions } from '../plane-state';

const noServer = (): Promise<never> =>
  Promise.reject(new ControlPlaneError('No server in this test', { code: 'unavailable' }));

export class MirrorPlane extends ControlPlane {
  /** Every heartbeat asked for, in order, as [partyId, peerId]. */
  readonly beats: Array<[string, string]> = [];

  /** Takes a server's answer or event as the plane's own commit does. */
  told(partyId: string, t: Transition, options?: CommitOptions): void {
    this.commit(partyId, t, options);
  }

  /** Runs what the heartbeat timer runs. */
  beatNow(): Promise<void> {
    return this.automaticHeartbeat();
  }

  get access(): null {
    return null;
  }

  registerParty(): Promise<PartyInfo> {
    return noServer();
  }

  joinParty(): Promise<PartyInfo> {
    return noServer();
  }

  leaveParty(): Promise<void> {
    return noServer();
  }

  transferHost(): Promise<void> {
    return noServer();
  }

  closeParty(): Promise<void> {
    return noServer();
  }

  sendSignal(): Promise<void> {
    return noServer();
  }

  getRelay(): Promise<RelayGrant> {
    return Promise.resolve(NO_RELAY);
  }

  stopWaiting(): void {}

  updatePeer(): Promise<void> {
    return noServer();
  }

  heartbeat(partyId: string, peerId: string): Promise<void> {
    this.beats.push([partyId, peerId]);
    return Promise.resolve();
  }
}
