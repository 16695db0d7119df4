/** The sleep notice: told when the server answers, given up after its bound, never thrown. */
import { describe, expect, it } from 'vitest';
import { silentLogger, type Logger } from '../../../shared/logger';
import { tellGoingToSleep } from './going-to-sleep';

describe('telling the party this PC is going to sleep', () => {
  it('is true once the control plane was answered', async () => {
    let asked = 0;
    const control = { goingToSleep: () => Promise.resolve(void asked++) };
    expect(await tellGoingToSleep(control, silentLogger)).toBe(true);
    expect(asked).toBe(1);
  });

  it('gives up after its bound when the server does not answer: the PC sleeps anyway', async () => {
    const control = { goingToSleep: () => new Promise<void>(() => undefined) };
    const started = performance.now();
    expect(await tellGoingToSleep(control, silentLogger, 50)).toBe(false);
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(45);
    expect(took).toBeLessThan(1000);
  });

  it('a refusal (an older server, no link) or a throw is logged, never thrown', async () => {
    const warned: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (line: string) => void warned.push(line) };
    const refused = { goingToSleep: () => Promise.reject(new Error('unknown type')) };
    expect(await tellGoingToSleep(refused, logger)).toBe(false);
    const throws = {
      goingToSleep: (): Promise<void> => {
        throw new Error('boom');
      },
    };
    expect(await tellGoingToSleep(throws, logger)).toBe(false);
    expect(warned).toHaveLength(2);
    expect(warned[0]).toContain('unknown type');
    expect(await tellGoingToSleep({}, logger)).toBe(false);
  });
});
