import { describe, expect, it } from 'vitest';
import { eventually, eventuallyValue } from './eventually';

describe('eventually', () => {
  it('waits for a check that passes later, a throwing one counting as "not yet"', async () => {
    let calls = 0;
    await eventually(
      () => {
        calls += 1;
        if (calls < 3) throw new Error('not yet');
        return calls === 4;
      },
      1000,
      'the fourth call',
      1,
    );
    expect(calls).toBe(4);
  });

  it('gives up at its bound, saying what it waited for and the last failure', async () => {
    const started = performance.now();
    const failing = () => expect(1).toBe(2);
    await expect(eventually(failing, 50, 'one to be two', 5)).rejects.toThrow(
      /^Not within 50 ms: one to be two: expected 1 to be 2/,
    );
    expect(performance.now() - started).toBeGreaterThanOrEqual(49);
    await expect(eventually(() => false, 20, 'never')).rejects.toThrow('Not within 20 ms: never');
  });

  it('resolves with the first value that is not undefined or false', async () => {
    const values = [undefined, false, 0, 1];
    expect(await eventuallyValue(() => values.shift(), 1000, 'a value')).toBe(0);
  });
});
