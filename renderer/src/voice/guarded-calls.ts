/**
 * The mesh's calls into the world that may fail without failing anything else: a relay that
 * does not deliver, a candidate a link refuses, a microphone already gone. Each says what a
 * failure means instead of throwing (voice-mesh.ts).
 */
import type { VoiceSignal } from '../../../shared/voice';
import type { IceCandidate, MicStream, PeerLink, VoiceDeps } from './voice-types';

const ignore = (): void => undefined;

/** The relay's answer as a yes or no; a bridge that throws is a no as well. */
export async function deliver<M extends MicStream>(
  deps: VoiceDeps<M>,
  to: string,
  signal: VoiceSignal,
): Promise<boolean> {
  try {
    return (await deps.send(to, signal)).ok;
  } catch {
    return false;
  }
}

/**
 * One bad candidate (an address this PC cannot use) must not fail the call: the others may
 * work, and the link reports failed itself when none does.
 */
export function addCandidate(link: PeerLink, candidate: IceCandidate): Promise<void> {
  return link.addIceCandidate(candidate).catch(ignore);
}

export function stopQuietly(mic: MicStream): void {
  try {
    mic.stop();
  } catch {
    // The device went away on its own.
  }
}
