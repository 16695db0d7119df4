/**
 * Voice chat's signalling (the seed's "Voice chat signaling"): what two apps tell each other
 * through the control server's `signal` relay to set up a WebRTC audio call. The server
 * relays `signal_data` without reading it; both ends read it with these schemas, since a
 * signal comes from another member's app (untrusted) and goes to this app's renderer.
 *
 * A member who joins voice says `join` to every other member; each one already in voice
 * answers `here`, so both know of each other, and the one with the smaller peer id makes the
 * offer (exactly one side does). `mute` tells the others to show me muted; `leave` ends my
 * calls. A member out of voice says `ask` to each member once, and those in voice answer
 * `here`: so the panel shows who is in voice before one joins.
 */
import { z } from 'zod';
import { bareSignal, candidateSignal, descriptionSignal, signalEnvelope } from './webrtc-signals';

export const VoiceSignalKind = {
  JOIN: 'join',
  ASK: 'ask',
  HERE: 'here',
  LEAVE: 'leave',
  MUTE: 'mute',
  OFFER: 'offer',
  ANSWER: 'answer',
  CANDIDATE: 'candidate',
} as const;

export const VoiceSignalSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal(VoiceSignalKind.JOIN), muted: z.boolean() }).strict(),
  bareSignal(VoiceSignalKind.ASK),
  z.object({ kind: z.literal(VoiceSignalKind.HERE), muted: z.boolean() }).strict(),
  bareSignal(VoiceSignalKind.LEAVE),
  z.object({ kind: z.literal(VoiceSignalKind.MUTE), muted: z.boolean() }).strict(),
  descriptionSignal(VoiceSignalKind.OFFER),
  descriptionSignal(VoiceSignalKind.ANSWER),
  candidateSignal(VoiceSignalKind.CANDIDATE),
]);
export type VoiceSignal = z.infer<typeof VoiceSignalSchema>;

const voiceEnvelope = signalEnvelope('voice', VoiceSignalSchema);
/** A voice signal as the relay's `signal_data` carries it: `{"voice": …}`. */
export const wrapVoiceSignal = voiceEnvelope.wrap;
/** The voice signal in a relayed `signal_data`, or null when it is not one (or malformed). */
export const readVoiceSignal = voiceEnvelope.read;

/** Of two members in voice, the one that makes the offer (exactly one of them). */
export function offersTo(myPeerId: string, theirPeerId: string): boolean {
  return myPeerId < theirPeerId;
}
