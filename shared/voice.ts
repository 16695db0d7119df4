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

/** An audio-only session description is 2–6 KB; the cap keeps one signal well inside a frame. */
export const MAX_SDP_LENGTH = 16_000;
export const MAX_CANDIDATE_LENGTH = 1_024;

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

const Sdp = z.string().min(1).max(MAX_SDP_LENGTH);

export const VoiceSignalSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal(VoiceSignalKind.JOIN), muted: z.boolean() }).strict(),
  z.object({ kind: z.literal(VoiceSignalKind.ASK) }).strict(),
  z.object({ kind: z.literal(VoiceSignalKind.HERE), muted: z.boolean() }).strict(),
  z.object({ kind: z.literal(VoiceSignalKind.LEAVE) }).strict(),
  z.object({ kind: z.literal(VoiceSignalKind.MUTE), muted: z.boolean() }).strict(),
  z.object({ kind: z.literal(VoiceSignalKind.OFFER), sdp: Sdp }).strict(),
  z.object({ kind: z.literal(VoiceSignalKind.ANSWER), sdp: Sdp }).strict(),
  z
    .object({
      kind: z.literal(VoiceSignalKind.CANDIDATE),
      candidate: z.string().max(MAX_CANDIDATE_LENGTH),
      sdp_mid: z.string().max(64).nullable(),
      sdp_m_line_index: z.number().int().min(0).max(64).nullable(),
    })
    .strict(),
]);
export type VoiceSignal = z.infer<typeof VoiceSignalSchema>;

/**
 * How a voice signal rides in the relay's `signal_data`: under its own key, so other uses
 * of the relay (screen sharing, later) and voice never read each other's.
 */
export const VoiceEnvelopeSchema = z.object({ voice: VoiceSignalSchema }).strict();

export function wrapVoiceSignal(signal: VoiceSignal): { voice: VoiceSignal } {
  return { voice: signal };
}

/** The voice signal in a relayed `signal_data`, or null when it is not one (or malformed). */
export function readVoiceSignal(signalData: unknown): VoiceSignal | null {
  const parsed = VoiceEnvelopeSchema.safeParse(signalData);
  return parsed.success ? parsed.data.voice : null;
}

/** Of two members in voice, the one that makes the offer (exactly one of them). */
export function offersTo(myPeerId: string, theirPeerId: string): boolean {
  return myPeerId < theirPeerId;
}
