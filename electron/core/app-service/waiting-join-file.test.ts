import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../test-util/temp-dir';
import { corruptPathFor } from '../state/set-aside';
import { WAITING_JOIN_FILE, WaitingJoinFile } from './waiting-join-file';
import { MAX_NAME_INPUT } from '../../../shared/values/names';

const T = Date.UTC(2026, 0, 29, 12);
let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = makeTempDir()));
afterEach(() => cleanup());

/** Loads the file at `now`, with the notices it gives. */
async function loadAt(now: number) {
  const told: string[] = [];
  const loaded = await new WaitingJoinFile(
    dir,
    (m) => told.push(m),
    () => now,
  ).load();
  return { loaded, told };
}

describe('WaitingJoinFile.load', () => {
  it('a damaged file is kept aside and the notice says where, in plain words', async () => {
    writeFileSync(join(dir, WAITING_JOIN_FILE), '{"party_id": 7');
    const { loaded, told } = await loadAt(T);
    expect(loaded).toBeNull();
    const aside = corruptPathFor(join(dir, WAITING_JOIN_FILE), T);
    expect(told).toEqual([
      expect.stringContaining(
        `could not be read: it is damaged (not valid JSON). LANrage kept it as ${aside}.`,
      ),
    ]);
    // Kept, as the notice says: at `aside`, with what it held, and no longer in the way.
    expect(readFileSync(aside, 'utf8')).toBe('{"party_id": 7');
    expect(existsSync(join(dir, WAITING_JOIN_FILE))).toBe(false);
  });

  it('never says the file was kept when it could not be moved', async () => {
    // A folder in the file's place, and its set-aside name taken by a folder that is not empty.
    const path = join(dir, WAITING_JOIN_FILE);
    mkdirSync(path);
    mkdirSync(join(corruptPathFor(path, T), 'taken'), { recursive: true });
    const { loaded, told } = await loadAt(T);
    expect(loaded).toBeNull();
    expect(told).toHaveLength(1);
    expect(told[0]).toContain(
      'could not be read: a folder is in its place. It could not be moved aside (the system refused (ENOTEMPTY)).',
    );
    expect(told[0]).not.toContain('kept it');
    expect(readdirSync(dir).sort()).toEqual([
      WAITING_JOIN_FILE,
      `${WAITING_JOIN_FILE}.corrupt-2026-01-29T12-00-00-000Z`,
    ]);
  });
});

describe('WaitingJoinFile.save', () => {
  it("cuts a server's overlong party name to the name bound, never through a character", async () => {
    const file = new WaitingJoinFile(
      dir,
      () => {},
      () => T,
    );
    // The bound falls between the two halves of the emoji: the whole emoji goes.
    const name = `${'a'.repeat(MAX_NAME_INPUT - 1)}🎮 and more`;
    const pending = { party_id: 'party_x', party_name: name, expires_at: '2026-01-29T12:05:00Z' };
    await file.save(pending);
    await file.flushed();
    const { loaded, told } = await loadAt(T);
    expect(told).toEqual([]);
    expect(loaded).toEqual({ ...pending, party_name: 'a'.repeat(MAX_NAME_INPUT - 1) });
  });

  it('a save that fails says why in words, not as an Error with a temporary path', async () => {
    // A file stands where the folder of the waiting-join file should be.
    writeFileSync(join(dir, 'home'), 'x');
    const told: string[] = [];
    const file = new WaitingJoinFile(
      join(dir, 'home'),
      (m) => told.push(m),
      () => T,
    );
    const pending = { party_id: 'party_x', party_name: 'Door', expires_at: '2026-01-29T12:05:00Z' };
    await file.save(pending);
    expect(told).toEqual([
      'LANrage could not save the join you are waiting on (a file is where its folder should be).',
    ]);
  });
});
