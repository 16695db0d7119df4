/**
 * Voice chat's signals between the renderer and the party's control server. The renderer's
 * go out through the server's `signal` relay, only to another member of my party; another
 * app's come in read with shared/voice.ts (its words are untrusted) and reach the renderer
 * only when they are voice signals from a member of my party. Outgoing ones are spaced out
 * (signal-pacer.ts). The call itself is WebRTC in the renderer (renderer/src/voice).
 */
import type { Clock } from '../../../shared/clock';
import { ControlPlaneError } from '../../../shared/errors';
import type { StateEvent } from '../../../shared/ipc/app-state';
import { readVoiceSignal, wrapVoiceSignal, type VoiceSignal } from '../../../shared/voice';
import type { ControlPlaneApi, ControlPlaneChange } from '../types';
import type { IpcLogger } from './ipc-registry';
import { SignalPacer } from './signal-pacer';

export interface VoiceRelayParts {
  /** The control plane now (it is replaced when the server setting changes). */
  control(): ControlPlaneApi;
  emit(event: StateEvent): void;
  log: IpcLogger;
  clock: Clock;
}

export class VoiceRelay {
  private readonly pacer: SignalPacer;

  constructor(private readonly parts: VoiceRelayParts) {
    this.pacer = new SignalPacer(parts.clock);
  }

  /** Sends my renderer's signal to `to`. @throws not_found when `to` is not in my party */
  async send(to: string, signal: VoiceSignal): Promise<null> {
    const control = this.parts.control();
    const partyId = control.myPartyId;
    const me = control.myPeerId;
    if (!partyId || !me) {
      throw new ControlPlaneError('Join a party before joining voice.', { code: 'not_found' });
    }
    if (to === me || !control.parties.get(partyId)?.peers.has(to)) {
      throw new ControlPlaneError('That member is not in your party.', { code: 'not_found' });
    }
    await this.pacer.turn();
    await control.sendSignal(partyId, to, wrapVoiceSignal(signal));
    return null;
  }

  /** Takes a relayed signal (true: it was one, passed on or dropped); false for anything else. */
  onChange(change: ControlPlaneChange): boolean {
    if (change.kind !== 'signal') return false;
    const control = this.parts.control();
    const member =
      change.partyId === control.myPartyId &&
      change.fromPeerId !== control.myPeerId &&
      control.parties.get(change.partyId)?.peers.has(change.fromPeerId) === true;
    const signal = member ? readVoiceSignal(change.signalData) : null;
    if (!signal) {
      this.parts.log('Dropped a signal that is not voice chat from a member of my party', {
        partyId: change.partyId,
        from: change.fromPeerId,
      });
      return true;
    }
    this.parts.emit({ type: 'voice_signal', from: change.fromPeerId, signal });
    return true;
  }
}
