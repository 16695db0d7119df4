import { describe, expect, it } from 'vitest';
import { relayWords } from './relay-words';

describe('relayWords', () => {
  it('says calls cannot connect only when the address is hidden and the server has no relay', () => {
    expect(relayWords('voice', 'none', true).problem).toBe(
      '"Hide my address" is on, but this server has no relay, so calls can\'t connect. ' +
        'Turn it off in Settings to connect straight to the others.',
    );
    expect(relayWords('screen', 'none', true).problem).toMatch(/so screens can't connect/);
    for (const state of ['unknown', 'ready'] as const) {
      expect(relayWords('voice', state, true).problem).toBeNull();
    }
    expect(relayWords('voice', 'none', false).problem).toBeNull();
  });

  it('says the server has a relay, too near to be taken, when every one it named was dropped', () => {
    expect(relayWords('voice', 'refused', true).problem).toBe(
      '"Hide my address" is on, but this server\'s relay is at an address on your own PC or ' +
        "network, which LANrage takes only from a server reached there, so calls can't connect. " +
        'Ask its operator to give the relay a public address, or turn "Hide my address" off in ' +
        'Settings.',
    );
    expect(relayWords('screen', 'refused', true).problem).toMatch(/so screens can't connect/);
    // Not hidden, the calls go straight, as with no relay.
    expect(relayWords('voice', 'refused', false)).toEqual(relayWords('voice', 'none', false));
  });

  it('tells the path: relay only, straight or relayed, or straight', () => {
    expect(relayWords('voice', 'ready', true).path).toBe(
      "Your voice goes only through your server's relay, so it gives the others no address of " +
        'yours.',
    );
    expect(relayWords('screen', 'ready', false).path).toBe(
      "Your screen goes straight to their PCs, or through your server's relay where they can't " +
        'reach each other.',
    );
    expect(relayWords('voice', 'none', false).path).toBe(
      'Your voice goes straight to their PCs, not through a server.',
    );
  });
});
