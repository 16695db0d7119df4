/**
 * What voice's and screen sharing's panels say about the path their media takes: straight,
 * or through the party server's relay (shared/protocol/relay.ts), and why nothing can connect when
 * the user hides their address on a server without a relay.
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

/** Why a hidden address cannot call, or null when it can. */
function hiddenProblem(media: Media, state: RelayState): string | null {
  const cannot = `so ${THINGS[media]} can't connect.`;
  if (state === 'none') {
    return (
      `"Hide my address" is on, but this server has no relay, ${cannot} ` +
      'Turn it off in Settings to connect straight to the others.'
    );
  }
  if (state !== 'refused') return null;
  // Every relay named was dropped as too near (relay-scope.ts): the server has one.
  return (
    `"Hide my address" is on, but this server's relay is at an address on your own PC or ` +
    `network, which LANrage takes only from a server reached there, ${cannot} Ask its ` +
    'operator to give the relay a public address, or turn "Hide my address" off in Settings.'
  );
}

export function relayWords(media: Media, state: RelayState, relayOnly: boolean): RelayWords {
  const mine = `Your ${media}`;
  if (relayOnly) {
    return {
      path: `${mine} goes only through your server's relay, so it gives the others no address of yours.`,
      problem: hiddenProblem(media, state),
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
