import { describe, expect, it } from 'vitest';
import { ScaleArgSchema } from './bench';

describe('bench:server --scale', () => {
  it('reads N/R as peers and party size', () => {
    expect(ScaleArgSchema.parse('5000/8')).toEqual({ peers: 5000, partySize: 8 });
  });

  it('refuses malformed or out-of-range scales with a message', () => {
    for (const bad of ['5000', '5000x8', '-1/8', '5000/1', '5000/257', '50000/8']) {
      expect(ScaleArgSchema.safeParse(bad).success, bad).toBe(false);
    }
  });
});
