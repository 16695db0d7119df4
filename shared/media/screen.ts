/**
 * Screen sharing's signalling (the seed's "Screen share coordination"): what two apps tell
 * each other through the control server's `signal` relay, under `signal_data.screen`, so
 * that one member's screen reaches the members who ask to watch it. As with voice
 * (shared/media/voice.ts), the server relays without reading, and both ends read with these
 * schemas: a signal comes from another member's app (untrusted).
 *
 * A member who starts sharing says `sharing` to every other member, and `stopped` when it
 * stops; an app that opens a party says `ask` once to each member, and a member sharing
 * answers `sharing`. A viewer says `watch` to the sharer, which makes a video-only WebRTC
 * link and the offer (the sharer always offers); `unwatch` ends it. A sharer with as many
 * viewers as it sends to answers `full`.
 */
import { z } from 'zod';
import {
  bareSignal as bare,
  candidateSignal,
  descriptionSignal,
  signalEnvelope,
} from './webrtc-signals';

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

export const ScreenSignalSchema = z.discriminatedUnion('kind', [
  bare(ScreenSignalKind.ASK),
  bare(ScreenSignalKind.SHARING),
  bare(ScreenSignalKind.STOPPED),
  bare(ScreenSignalKind.WATCH),
  bare(ScreenSignalKind.UNWATCH),
  bare(ScreenSignalKind.FULL),
  descriptionSignal(ScreenSignalKind.OFFER),
  descriptionSignal(ScreenSignalKind.ANSWER),
  candidateSignal(ScreenSignalKind.CANDIDATE),
]);
export type ScreenSignal = z.infer<typeof ScreenSignalSchema>;

const screenEnvelope = signalEnvelope('screen', ScreenSignalSchema);
/** A screen signal as the relay's `signal_data` carries it: `{"screen": …}`. */
export const wrapScreenSignal = screenEnvelope.wrap;
/** The screen signal in a relayed `signal_data`, or null when it is not one (or malformed). */
export const readScreenSignal = screenEnvelope.read;
