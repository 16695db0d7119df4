import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JoinResume } from './join-resume';
import type { ResumeOutcome } from './party-actions';
import { WAITING_JOIN_FILE } from './waiting-join-file';
import { ManualClock } from '../test-util/manual-clock';
import { makeTempDir } from '../test-util/temp-dir';

let temp: ReturnType<typeof makeTempDir>;
let clock: ManualClock;
let reports: string[];
let asked: number;
let answers: ResumeOutcome[];

beforeEach(() => {
  temp = makeTempDir('lanrage-resume-');
  clock = new ManualClock();
  reports = [];
  asked = 0;
  answers = [];
});
afterEach(() => temp.cleanup());

const file = () => join(temp.dir, WAITING_JOIN_FILE);

function saved(expiresInMs: number): void {
  mkdirSync(temp.dir, { recursive: true });
  const expires_at = new Date(clock.now() + expiresInMs).toISOString();
  writeFileSync(file(), JSON.stringify({ party_id: 'party_x1', party_name: 'LAN', expires_at }));
}

function resumer(): JoinResume {
  return new JoinResume({
    instanceDir: temp.dir,
    clock,
    report: (message) => reports.push(message),
    resume: (partyId) => {
      expect(partyId).toBe('party_x1');
      asked++;
      return Promise.resolve(answers.shift() ?? { settled: false });
    },
  });
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('JoinResume', () => {
  it('asks again every 5 s while the server cannot be reached, then settles', async () => {
    saved(60_000);
    answers.push({ settled: false }, { settled: false }, { settled: true, error: null });
    await resumer().start();
    await settle();
    expect(asked).toBe(1);
    await clock.advance(5_000);
    await settle();
    expect(asked).toBe(2);
    await clock.advance(5_000);
    await settle();
    expect(asked).toBe(3);
    expect(existsSync(file())).toBe(false);
    expect(reports).toEqual([]);
  });

  it('gives up five minutes past the expiry, tells the user, and forgets the join', async () => {
    saved(0);
    const resume = resumer();
    await resume.start();
    await settle();
    for (let i = 0; i < 70 && reports.length === 0; i++) {
      await clock.advance(5_000);
      await settle();
    }
    // At 0, 5, …, 305 s: the last one after the five minutes is the one that gives up.
    expect(asked).toBe(62);
    expect(reports).toEqual([expect.stringMatching(/whether the host of LAN let you in/)]);
    expect(existsSync(file())).toBe(false);
  });

  it('a refusal is told with the party’s name', async () => {
    saved(60_000);
    answers.push({ settled: true, error: new Error('The host did not let you in.') });
    await resumer().start();
    await settle();
    expect(reports).toEqual(['Your request to join LAN: The host did not let you in.']);
    expect(existsSync(file())).toBe(false);
  });

  it('closing stops the asking and keeps the saved join for the next start', async () => {
    saved(60_000);
    const resume = resumer();
    await resume.start();
    await settle();
    await resume.close();
    resume.changed(null);
    await clock.advance(60_000);
    await settle();
    expect(asked).toBe(1);
    expect(existsSync(file())).toBe(true);
  });
});
