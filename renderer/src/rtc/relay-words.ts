/**
 * What voice's and screen sharing's panels say about the path their media takes: straight,
 * or through the party server's relay (shared/relay.ts), and why nothing can connect when the
 * user hides their address on a server without a relay.
 */
import type { RelayState } from './relay-config';

export interface RelayWords {
  /** How it travels, for the panel's hint. */
  path: string;
  /** Why it cannot connect at all, or null. */
  problem: string | null;
}

type Media = 'voice' | 'screen';

const THINGS: Record<Media, string> = { voice: 'calls', screen: 'screens' };

export function relayWords(media: Media, state: RelayState, relayOnly: boolean): RelayWords {
  const mine = `Your ${media}`;
  if (relayOnly) {
    return {
      path: `${mine} goes only through your server's relay, so it gives the others no address of yours.`,
      problem:
        state === 'none'
          ? `"Hide my address" is on, but this server has no relay, so ${THINGS[media]} ` +
            "can't connect. Turn it off in Settings to connect straight to the others."
          : null,
    };
  }
  if (state === 'ready') {
    return {
      path: `${mine} goes straight to their PCs, or through your server's relay where they can't reach each other.`,
      problem: null,
    };
  }
  return { path: `${mine} goes straight to their PCs, not through a server.`, problem: null };
}

/** The words before the server answered, and outside a party. */
export const DIRECT_WORDS = (media: Media): RelayWords => relayWords(media, 'unknown', false);
