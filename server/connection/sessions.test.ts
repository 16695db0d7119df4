import { describe, expect, it } from 'vitest';
import { SessionRegistry } from './sessions';

const MINUTE = 60_000;

function registry(owners: [string, string][] = []) {
  const clock = { ms: 0 };
  const recorded: [string, string | null][] = [];
  const sessions = new SessionRegistry(
    new Map(owners),
    { recordOwner: (peerId, token) => recorded.push([peerId, token]) },
    () => clock.ms,
  );
  return { sessions, clock, recorded };
}

describe('SessionRegistry.prune', () => {
  it('drops ownerships in no party and unused for longer than the timeout, durably', () => {
    const { sessions, clock, recorded } = registry();
    const t1 = sessions.issue();
    sessions.claim(t1, 'left-long-ago');
    sessions.claim(t1, 'still-member');
    clock.ms = 6 * MINUTE;
    expect(sessions.prune(new Set(['still-member']), 5 * MINUTE)).toBe(1);
    expect(sessions.ownerOf('left-long-ago')).toBeUndefined();
    expect(sessions.ownerOf('still-member')).toBe(t1);
    expect(recorded.at(-1)).toEqual(['left-long-ago', null]);
    // Free again: another session may now use that peer id.
    const t2 = sessions.issue();
    expect(() => sessions.authorize(t2, 'left-long-ago')).not.toThrow();
  });

  it('keeps an ownership used within the timeout even when its peer is in no party', () => {
    const { sessions, clock } = registry();
    const token = sessions.issue();
    sessions.claim(token, 'p');
    clock.ms = 4 * MINUTE;
    sessions.authorize(token, 'p');
    clock.ms = 8 * MINUTE;
    expect(sessions.prune(new Set(), 5 * MINUTE)).toBe(0);
    clock.ms = 10 * MINUTE;
    expect(sessions.prune(new Set(), 5 * MINUTE)).toBe(1);
    expect(sessions.size).toBe(0);
  });

  it('gives ownerships loaded at start a full timeout, and forgets old tokens that own nothing', () => {
    const { sessions, clock } = registry([['loaded', 'old-token']]);
    const idle = sessions.issue();
    clock.ms = 4 * MINUTE;
    expect(sessions.prune(new Set(), 5 * MINUTE)).toBe(0);
    expect(sessions.isKnown('old-token')).toBe(true);
    clock.ms = 6 * MINUTE;
    expect(sessions.prune(new Set(), 5 * MINUTE)).toBe(1);
    expect(sessions.isKnown('old-token')).toBe(false);
    expect(sessions.isKnown(idle)).toBe(false);
  });
});

describe('SessionRegistry.release', () => {
  it('forgets a token that owns nothing once no connection acts for it', () => {
    const { sessions } = registry();
    const token = sessions.issue();
    sessions.hold(token); // a second connection resumed it
    sessions.release(token);
    expect(sessions.isKnown(token)).toBe(true);
    sessions.release(token);
    expect(sessions.isKnown(token)).toBe(false);
    expect(sessions.sessionCount).toBe(0);
  });

  it('keeps a token that owns a peer id until the prune forgets both', () => {
    const { sessions, clock } = registry();
    const token = sessions.issue();
    sessions.claim(token, 'p');
    sessions.release(token);
    expect(sessions.isKnown(token)).toBe(true);
    expect(sessions.sessionCount).toBe(1);
    clock.ms = 6 * MINUTE;
    expect(sessions.prune(new Set(), 5 * MINUTE)).toBe(1);
    expect(sessions.isKnown(token)).toBe(false);
    expect(sessions.sessionCount).toBe(0);
  });
});
