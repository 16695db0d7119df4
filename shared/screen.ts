/**
 * Screen sharing's signalling (the seed's "Screen share coordination"): what two apps tell
 * each other through the control server's `signal` relay, under `signal_data.screen`, so
 * that one member's screen reaches the members who ask to watch it. As with voice
 * (shared/voice.ts), the server relays without reading, and both ends read with these
 * schemas: a signal comes from another member's app (untrusted).
 *
 * A member who starts sharing says `sharing` to every other member, and `stopped` when it
 * stops; an app that opens a party says `ask` once to each member, and a member sharing
 * answers `sharing`. A viewer says `watch` to the sharer, which makes a video-only WebRTC
 * link and the offer (the sharer always offers); `unwatch` ends it. A sharer with as many
 * viewers as it sends to answers `full`.
 */
import { z } from 'zod';
import { MAX_CANDIDATE_LENGTH, MAX_SDP_LENGTH } from './voice';

/** Each viewer costs the sharer one upload of its screen: a home connection carries a few. */
export const MAX_SCREEN_VIEWERS = 8;

export const ScreenSignalKind = {
  ASK: 'ask',
  SHARING: 'sharing',
  STOPPED: 'stopped',
  WATCH: 'watch',
  UNWATCH: 'unwatch',
  FULL: 'full',
  OFFER: 'offer',
  ANSWER: 'answer',
  CANDIDATE: 'candidate',
} as const;

const Sdp = z.string().min(1).max(MAX_SDP_LENGTH);
const bare = <K extends string>(kind: K) => z.object({ kind: z.literal(kind) }).strict();

export const ScreenSignalSchema = z.discriminatedUnion('kind', [
  bare(ScreenSignalKind.ASK),
  bare(ScreenSignalKind.SHARING),
  bare(ScreenSignalKind.STOPPED),
  bare(ScreenSignalKind.WATCH),
  bare(ScreenSignalKind.UNWATCH),
  bare(ScreenSignalKind.FULL),
  z.object({ kind: z.literal(ScreenSignalKind.OFFER), sdp: Sdp }).strict(),
  z.object({ kind: z.literal(ScreenSignalKind.ANSWER), sdp: Sdp }).strict(),
  z
    .object({
      kind: z.literal(ScreenSignalKind.CANDIDATE),
      candidate: z.string().max(MAX_CANDIDATE_LENGTH),
      sdp_mid: z.string().max(64).nullable(),
      sdp_m_line_index: z.number().int().min(0).max(64).nullable(),
    })
    .strict(),
]);
export type ScreenSignal = z.infer<typeof ScreenSignalSchema>;

export const ScreenEnvelopeSchema = z.object({ screen: ScreenSignalSchema }).strict();

export function wrapScreenSignal(signal: ScreenSignal): { screen: ScreenSignal } {
  return { screen: signal };
}

/** The screen signal in a relayed `signal_data`, or null when it is not one (or malformed). */
export function readScreenSignal(signalData: unknown): ScreenSignal | null {
  const parsed = ScreenEnvelopeSchema.safeParse(signalData);
  return parsed.success ? parsed.data.screen : null;
}
