/** A state saved under another peer id than the app's now (previous-peer-id.ts). */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PartyInfo } from '../../../shared/model';
import { MemoryLogger } from '../../../shared/test-support/memory-logger';
import { makePeer } from '../test-util/fixtures';
import { makeTempDir } from '../test-util/temp-dir';
import { forPeerId, previousPathFor } from './previous-peer-id';
import type { PersistedState } from './state-file';

let temp: ReturnType<typeof makeTempDir>;
let reports: string[];
let path: string;
const NOW = Date.parse('2026-12-07T10:00:00Z');
beforeEach(() => {
  temp = makeTempDir();
  reports = [];
  path = join(temp.dir, 'control_state.json');
  writeFileSync(path, '{"as": "it was"}');
});
afterEach(() => temp.cleanup());

const context = () => ({
  path,
  now: NOW,
  logger: new MemoryLogger(),
  report: (m: string) => reports.push(m),
});

function party(id: string, name: string, hostId: string, members: string[]): PartyInfo {
  const peers = new Map([hostId, ...members].map((p) => [p, makePeer(p)]));
  return new PartyInfo({ partyId: id, name, hostId, createdAt: new Date(0), peers });
}

function saved(myPeerId: string | null): PersistedState {
  const parties = new Map([
    ['p1', party('p1', 'Joined Night', 'bob', ['old'])],
    ['p2', party('p2', 'Own Night', 'old', [])],
    ['p3', party('p3', 'Other Night', 'carol', [])],
  ]);
  return { parties, myPeerId, myPartyId: 'p1' };
}

describe('a state saved under a previous peer id', () => {
  it('leaves out the parties the old id is in, tells each, and keeps the file as it was', async () => {
    const state = await forPeerId(saved('old'), 'new', context());
    expect([...state.parties.keys()]).toEqual(['p3']);
    expect(state).toMatchObject({ myPeerId: 'new', myPartyId: null });
    const kept = previousPathFor(path, NOW);
    expect(readFileSync(kept, 'utf8')).toBe('{"as": "it was"}');
    const why =
      'as old, a peer ID this LANrage no longer has (its identity changed: it is new now)';
    expect(reports).toEqual([
      `You were in Joined Night ${why}, so LANrage did not rejoin it: join it again. The state as it was is kept as ${kept}.`,
      `Your party Own Night was hosted ${why}, so it was not hosted again: create a new party. The state as it was is kept as ${kept}.`,
    ]);
  });

  it('is taken as it is when saved under the same id, none, or the app’s id is not known', async () => {
    for (const [mine, me] of [
      ['old', 'old'],
      [null, 'new'],
      ['old', null],
    ] as const) {
      const state = saved(mine);
      expect(await forPeerId(state, me, context())).toBe(state);
    }
    expect(reports).toEqual([]);
  });

  it('with none of its parties under the old id, only the id changes, untold', async () => {
    const state = { ...saved('old'), parties: new Map([['p3', party('p3', 'X', 'carol', [])]]) };
    expect(await forPeerId(state, 'new', context())).toMatchObject({ myPeerId: 'new' });
    expect(reports).toEqual([]);
  });
});
