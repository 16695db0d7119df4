/**
 * ReadMarks: a change published before a key's last read here is known as one, until a
 * change newer than every read arrives; bounded, and reset when the store counts lower.
 */
import { describe, expect, it } from 'vitest';
import { MAX_READ_MARKS, ReadMarks } from './read-marks';

describe('ReadMarks', () => {
  it('knows a published change its last read of the key already held', () => {
    const marks = new ReadMarks();
    expect(marks.readSince('p', 5)).toBe(false);
    marks.markRead('p', 10);
    marks.markRead('gone', 10); // read as absent
    expect(marks.readSince('p', 9)).toBe(true);
    expect(marks.readSince('p', 10)).toBe(true);
    expect(marks.readSince('gone', 7)).toBe(true);
    expect(marks.readSince('q', 9)).toBe(false); // not read: taken as it comes
    expect(marks.readSince('p', undefined)).toBe(false); // from an older server
    // A read of no count (a store that keeps none) marks nothing.
    marks.markRead('q', undefined);
    expect(marks.readSince('q', 9)).toBe(false);
    // One newer than every read: what follows is newer still, and the marks go.
    expect(marks.readSince('p', 11)).toBe(false);
    expect(marks.readSince('p', 9)).toBe(false);
  });

  it('keeps at most MAX_READ_MARKS marks (reads of made-up ids mark too)', () => {
    const marks = new ReadMarks();
    for (let i = 0; i < MAX_READ_MARKS; i++) marks.markRead(`party_${i}`, 10);
    expect(marks.readSince('party_0', 9)).toBe(true);
    marks.markRead('one_more', 10);
    expect(marks.readSince('party_0', 9)).toBe(false);
    expect(marks.readSince('one_more', 9)).toBe(true);
  });

  it('forgets its marks when the store counts from lower again (Redis lost its data)', () => {
    const marks = new ReadMarks();
    marks.markRead('p', 40);
    marks.markRead('q', 3);
    expect(marks.readSince('p', 2)).toBe(false);
    expect(marks.readSince('q', 2)).toBe(true);
  });
});
