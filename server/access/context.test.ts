/**
 * Loading access rows: a row its table cannot read is left out and reported (a damaged ban
 * row used to un-ban someone without a word); the readable ones all hold.
 */
import { describe, expect, it } from 'vitest';
import { AccessKind, type AccessRow } from './records';
import { createAccess } from './context';

function recorded(): { rows: AccessRow[]; sink: { recordAccess: (...r: unknown[]) => void } } {
  const rows: AccessRow[] = [];
  const sink = {
    recordAccess: (kind: unknown, key: unknown, value: unknown) => {
      rows.push({ kind, key, value } as AccessRow);
    },
  };
  return { rows, sink };
}

describe('createAccess', () => {
  it('reports each unreadable row and keeps every readable one', () => {
    const first = recorded();
    const made = createAccess([], first.sink, () => 0);
    made.bans.ban('party_x', 'bad-guy', 'Bad Guy', null, new Date(0));
    made.bans.ban('party_x', 'other', 'Other', null, new Date(0));
    const damaged: AccessRow[] = [
      { kind: AccessKind.BAN, key: 'party_x\u0000broken', value: '{not json' },
      { kind: AccessKind.INVITE, key: 'tok', value: '[]' },
    ];
    const unreadable: AccessRow[] = [];
    const loaded = createAccess(
      [...first.rows, ...damaged],
      recorded().sink,
      () => 0,
      null,
      undefined,
      (row) => unreadable.push(row),
    );
    expect(unreadable).toEqual(damaged);
    expect(loaded.bans.isBanned('party_x', 'bad-guy', null)).toBe(true);
    expect(loaded.bans.isBanned('party_x', 'other', null)).toBe(true);
    expect(loaded.bans.isBanned('party_x', 'broken', null)).toBe(false);
  });
});
