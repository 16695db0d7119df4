/** The sleep notice: told when the server answers, given up after its bound, never thrown. */
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger, type Logger } from '../../../shared/logger';
import type { LocalControlPlane } from '../local/control-plane';
import { makePeer } from '../test-util/fixtures';
import { testLocalPlane } from '../test-util/local-plane';
import { makeTempDir } from '../test-util/temp-dir';
import { tellGoingToSleep } from './going-to-sleep';

const planes: LocalControlPlane[] = [];
const cleanups: Array<() => void> = [];
afterEach(async () => {
  for (const plane of planes.splice(0)) await plane.close();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('telling the party this PC is going to sleep', () => {
  it('is true once the control plane was answered', async () => {
    let asked = 0;
    const control = { goingToSleep: () => Promise.resolve(++asked > 0) };
    expect(await tellGoingToSleep(control, silentLogger)).toBe(true);
    expect(asked).toBe(1);
  });

  it('gives up after its bound when the server does not answer: the PC sleeps anyway', async () => {
    const control = { goingToSleep: () => new Promise<boolean>(() => undefined) };
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
      goingToSleep: (): Promise<boolean> => {
        throw new Error('boom');
      },
    };
    expect(await tellGoingToSleep(throws, logger)).toBe(false);
    expect(warned).toHaveLength(2);
    expect(warned[0]).toContain('unknown type');
    expect(await tellGoingToSleep({}, logger)).toBe(false);
  });
});

// The headless entry logs "the party was told" on true: out of a party, nobody was.
describe('a control plane told this PC is going to sleep', () => {
  it('says nobody was told out of a party, and its party was told once in one', async () => {
    const { dir, cleanup } = makeTempDir();
    cleanups.push(cleanup);
    const plane = await testLocalPlane(dir, 'a', planes);
    expect(await tellGoingToSleep(plane, silentLogger, 2000)).toBe(false);
    await plane.registerParty('party_nap', 'Nap', makePeer('me'));
    expect(await tellGoingToSleep(plane, silentLogger, 2000)).toBe(true);
  });
});
