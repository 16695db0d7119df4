import type { ControlPlane } from '../control-plane';

/**
 * Counts the plane's heartbeat() calls that have finished, answered or not. Entering a party
 * beats at once (twice in a fresh app, to tell its ping), so a test about the timer's beats
 * or about quiet pushes waits for those first.
 */
export function finishedBeats(plane: ControlPlane): () => number {
  const beat = plane.heartbeat.bind(plane);
  let finished = 0;
  plane.heartbeat = async (partyId, peerId) => {
    try {
      await beat(partyId, peerId);
    } finally {
      finished++;
    }
  };
  return () => finished;
}
