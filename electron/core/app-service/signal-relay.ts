/**
 * Voice chat's and screen sharing's signals between the renderer and the party's control
 * server. The renderer's go out through the server's `signal` relay, only to another member
 * of my party, one at a time (signal-pacer.ts: one connection's budget for both); another
 * app's come in read with shared/media/voice.ts and shared/media/screen.ts (its words are
 * untrusted) and reach the renderer only when they are one of those from a member of my
 * party. The calls themselves are WebRTC in the renderer (renderer/src/voice,
 * renderer/src/screen).
 */
import type { Clock } from '../../../shared/time/clock';
import type { Logger } from '../../../shared/logger';
import { ControlPlaneError } from '../../../shared/protocol/errors';
import type { StateEvent } from '../../../shared/ipc/app-state';
import { readScreenSignal, type ScreenSignal } from '../../../shared/media/screen';
import { readVoiceSignal, type VoiceSignal } from '../../../shared/media/voice';
import type { RelayGrant } from '../../../shared/protocol/relay';
import type { ControlPlaneApi, ControlPlaneChange } from '../types';
import { DropLog } from './drop-log';
import { SignalPacer } from './signal-pacer';

/** What the page sends: one signal, under the key saying whose it is. */
export type PageSignal = { voice: VoiceSignal } | { screen: ScreenSignal };

export interface SignalRelayParts {
  /** The control plane now (it is replaced when the server setting changes). */
  control(): ControlPlaneApi;
  emit(event: StateEvent): void;
  logger: Logger;
  clock: Clock;
}

/** Why a relayed signal went no further (each logged at most once a minute per sender). */
export const DROPPED = {
  NOT_MEMBER: 'Dropped a signal that is not from another member of my party',
  UNREADABLE: 'Dropped a signal from a member of my party that is neither voice nor screen',
} as const;

export class SignalRelay {
  private readonly pacer: SignalPacer;
  private readonly drops: DropLog;

  constructor(private readonly parts: SignalRelayParts) {
    this.pacer = new SignalPacer(parts.clock);
    this.drops = new DropLog(parts.logger, () => parts.clock.now());
  }

  /** Sends my renderer's signal to `to`. @throws not_found when `to` is not in my party */
  async send(to: string, signal: PageSignal): Promise<null> {
    const control = this.parts.control();
    const partyId = control.myPartyId;
    const me = control.myPeerId;
    if (!partyId || !me) {
      throw new ControlPlaneError('Join a party first.', { code: 'not_found' });
    }
    if (to === me || !control.parties.get(partyId)?.peers.has(to)) {
      throw new ControlPlaneError('That member is not in your party.', { code: 'not_found' });
    }
    await this.pacer.turn();
    await control.sendSignal(partyId, to, signal);
    return null;
  }

  /** My party server's relays for my calls. @throws not_found outside a party */
  async relay(): Promise<RelayGrant> {
    const control = this.parts.control();
    const partyId = control.myPartyId;
    if (!partyId) throw new ControlPlaneError('Join a party first.', { code: 'not_found' });
    return control.getRelay(partyId);
  }

  /** Takes a relayed signal (true: it was one, passed on or dropped); false for anything else. */
  onChange(change: ControlPlaneChange): boolean {
    if (change.kind !== 'signal') return false;
    const control = this.parts.control();
    const member =
      change.partyId === control.myPartyId &&
      change.fromPeerId !== control.myPeerId &&
      control.parties.get(change.partyId)?.peers.has(change.fromPeerId) === true;
    const event = member ? pageEvent(change.fromPeerId, change.signalData) : null;
    if (!event) {
      const reason = member ? DROPPED.UNREADABLE : DROPPED.NOT_MEMBER;
      this.drops.dropped(reason, { partyId: change.partyId, from: change.fromPeerId });
      return true;
    }
    this.parts.emit(event);
    return true;
  }
}

function pageEvent(from: string, signalData: unknown): StateEvent | null {
  const voice = readVoiceSignal(signalData);
  if (voice) return { type: 'voice_signal', from, signal: voice };
  const screen = readScreenSignal(signalData);
  if (screen) return { type: 'screen_signal', from, signal: screen };
  return null;
}
