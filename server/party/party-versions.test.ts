/**
 * PartyVersions: every change made here gets a version no other change has; a refused
 * commit makes the copy stale only if the copy still ends with that commit's change, and
 * requests wait for the read-back only while it runs.
 */
import { describe, expect, it } from 'vitest';
import { PartyVersions } from './party-versions';

describe('PartyVersions', () => {
  it('numbers and labels each change on the version before it', () => {
    const versions = new PartyVersions(new Map([['p', 4]]), new Map([['p', 'theirs']]), true);
    const first = versions.advance('p', 5);
    const second = versions.advance('p', 6);
    expect(first).toMatchObject({ base: 4, seq: 5, baseVersion: 'theirs' });
    expect(second).toMatchObject({ base: 5, seq: 6, baseVersion: first.version });
    expect(new Set([first.version, second.version, 'theirs']).size).toBe(3);
    // Another process labels differently even with the same counter.
    const other = new PartyVersions(new Map([['p', 4]]), new Map([['p', 'theirs']]), true);
    expect(other.advance('p', 5).version).not.toBe(first.version);
    expect(versions.versionOf('p')).toBe(second.version);
  });

  it('keeps no versions for a store of its own (numbers only)', () => {
    const versions = new PartyVersions(new Map([['p', 1]]));
    expect(versions.advance('p', 2)).toEqual({ base: 1, seq: 2 });
    expect(versions.versionOf('p')).toBe('');
    versions.markStale('p');
    expect(versions.isStale('p')).toBe(false);
  });

  it('is stale after a refused commit only if its copy still ends with that commit', async () => {
    const versions = new PartyVersions(
      new Map([
        ['p', 1],
        ['q', 1],
      ]),
      new Map(),
      true,
    );
    const refusedP = versions.advance('p', 2).version;
    const refusedQ = versions.advance('q', 2).version;
    versions.set('q', 3, 'read-back'); // q was replaced by the other server's change meanwhile
    let settle = (): void => undefined;
    const reload = new Promise<void>((resolve) => (settle = resolve));
    expect(versions.taint('p', refusedP, reload)).toBe(true);
    expect(versions.taint('q', refusedQ, reload)).toBe(false);
    expect(versions.isStale('p')).toBe(true);
    expect(versions.isStale('q')).toBe(false);
    // A change on the stale copy is made on a version no store holds.
    expect(versions.advance('p', 3).baseVersion).toBe('!stale');
    expect(versions.isStale('p')).toBe(true);
    expect(versions.heldBy('p')).toBe(reload);
    expect(versions.heldBy('q')).toBeUndefined();
    versions.set('p', 2, 'stored');
    settle();
    await reload;
    await Promise.resolve();
    expect(versions.heldBy('p')).toBeUndefined();
    expect(versions.isStale('p')).toBe(false);
  });
});
