import { describe, expect, it } from 'vitest';
import { isFull } from './summary';

describe('isFull', () => {
  it('a party with as many members as its limit takes no one more', () => {
    expect(isFull(8, 8)).toBe(true);
    expect(isFull(7, 8)).toBe(false);
    expect(isFull(0, 1)).toBe(false);
  });

  it('a limit lowered below the members already in is full, not open', () => {
    expect(isFull(5, 3)).toBe(true);
  });
});
