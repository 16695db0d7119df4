/**
 * What voice chat's (voice.ts) and screen sharing's (screen.ts) signals share: the WebRTC
 * session description and ICE candidate their links exchange, bounded, and the envelope
 * that carries a feature's signal in the relay's `signal_data` under the feature's own key,
 * so that two features never read each other's.
 */
import { z } from 'zod';

/** An audio-only session description is 2–6 KB; the cap keeps one signal well inside a frame. */
export const MAX_SDP_LENGTH = 16_000;
export const MAX_CANDIDATE_LENGTH = 1_024;

const Sdp = z.string().min(1).max(MAX_SDP_LENGTH);

/** A signal that says only its kind. */
export const bareSignal = <K extends string>(kind: K) =>
  z.object({ kind: z.literal(kind) }).strict();

/** An offer's or an answer's session description. */
export const descriptionSignal = <K extends string>(kind: K) =>
  z.object({ kind: z.literal(kind), sdp: Sdp }).strict();

/** One ICE candidate, in its fields as RTCIceCandidate has them. */
export const candidateSignal = <K extends string>(kind: K) =>
  z
    .object({
      kind: z.literal(kind),
      candidate: z.string().max(MAX_CANDIDATE_LENGTH),
      sdp_mid: z.string().max(64).nullable(),
      sdp_m_line_index: z.number().int().min(0).max(64).nullable(),
    })
    .strict();

/** A feature's signal under `key` in `signal_data`: its wrapper and its reader. */
export function signalEnvelope<K extends string, S>(key: K, schema: z.ZodType<S>) {
  const envelope = z.object({ [key]: schema } as Record<K, z.ZodType<S>>).strict();
  return {
    wrap: (signal: S): Record<K, S> => ({ [key]: signal }) as Record<K, S>,
    /** The signal in a relayed `signal_data`, or null when it is not one (or malformed). */
    read: (signalData: unknown): S | null => {
      const parsed = envelope.safeParse(signalData);
      return parsed.success ? (parsed.data as Record<K, S>)[key] : null;
    },
  };
}
