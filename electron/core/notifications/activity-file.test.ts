import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActivityEntry } from '../../../shared/ipc/app-state';
import { ManualClock } from '../test-util/manual-clock';
import { makeTempDir } from '../test-util/temp-dir';
import { corruptPathFor } from '../state/set-aside';
import { ACTIVITY_FILE, ActivityFile, SAVE_DELAY_MS } from './activity-file';

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => (temp = makeTempDir('lanrage-activity-file-')));
afterEach(() => temp.cleanup());

const line = (text: string): ActivityEntry => ({
  at: '2026-01-29T12:00:00.000Z',
  kind: 'joined',
  peer_id: 'peer_bob',
  subject: 'Bob',
  text,
});
const saved = (...texts: string[]) => ({ party_id: 'party_door', activity: texts.map(line) });
const onDisk = () => JSON.parse(readFileSync(join(temp.dir, ACTIVITY_FILE), 'utf8')) as unknown;

describe('ActivityFile', () => {
  it('writes a burst of lines once, after the delay, with the last list', async () => {
    const clock = new ManualClock();
    const file = new ActivityFile(temp.dir, () => {}, clock);
    file.changed(saved('Bob joined'));
    file.changed(saved('Carol joined', 'Bob joined'));
    await clock.advance(SAVE_DELAY_MS - 1);
    expect(readdirSync(temp.dir)).toEqual([]);
    await clock.advance(1);
    await file.flush();
    expect(onDisk()).toEqual(saved('Carol joined', 'Bob joined'));
    expect(await file.load()).toEqual(saved('Carol joined', 'Bob joined'));
  });

  it('flush writes what waits at once (closing), and null removes the file', async () => {
    const clock = new ManualClock();
    const file = new ActivityFile(temp.dir, () => {}, clock);
    file.changed(saved('Bob left'));
    await file.flush();
    expect(onDisk()).toEqual(saved('Bob left'));
    file.changed(null);
    await file.flush();
    expect(readdirSync(temp.dir)).toEqual([]);
  });

  it('a damaged file is kept aside and the user told; the list starts empty', async () => {
    const clock = new ManualClock();
    writeFileSync(join(temp.dir, ACTIVITY_FILE), JSON.stringify({ party_id: 'p', activity: 7 }));
    const told: string[] = [];
    const file = new ActivityFile(temp.dir, (m) => told.push(m), clock);
    expect(await file.load()).toBeNull();
    const aside = corruptPathFor(join(temp.dir, ACTIVITY_FILE), clock.now());
    expect(readdirSync(temp.dir)).toEqual([aside.slice(temp.dir.length + 1)]);
    expect(told).toEqual([
      expect.stringMatching(
        /^Your party's activity list from when LANrage last closed \(.*\) could not be read: .*LANrage kept it as .*\. The list starts again from now\.$/,
      ),
    ]);
  });
});

describe('ActivityFile on a disk that refuses writes', () => {
  it('tells it once, however many saves fail, and again after one worked', async () => {
    const clock = new ManualClock();
    // A file stands where the instance folder should be.
    const home = join(temp.dir, 'home');
    writeFileSync(home, 'x');
    const told: string[] = [];
    const file = new ActivityFile(home, (m) => told.push(m), clock);
    for (const text of ['Bob joined', 'Bob left', 'Carol joined']) {
      file.changed(saved(text));
      await file.flush();
    }
    const fault =
      "LANrage could not save your party's activity list (a file is where its folder should be).";
    expect(told).toEqual([fault]);
    rmSync(home);
    file.changed(saved('Dan joined'));
    await file.flush();
    rmSync(home, { recursive: true });
    writeFileSync(home, 'x');
    file.changed(saved('Dan left'));
    await file.flush();
    expect(told).toEqual([fault, fault]);
  });
});
