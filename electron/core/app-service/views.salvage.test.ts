import { describe, expect, it } from 'vitest';
import {
  AppStateSchema,
  StateEventSchema,
  type AppState,
  type StateEvent,
} from '../../../shared/ipc/app-state';
import { previewOf } from '../../../shared/ipc/invite-preview';
import { localAppHarness } from '../test-util/local-app-harness';
import { salvageEvent, salvageState } from './views';
import { MemoryLogger } from '../../../shared/test-support/memory-logger';

/** What the last line said was left out; every line a warning (what is left is shown). */
function leftOut(logger: MemoryLogger): unknown {
  expect(logger.messages('warn')).toEqual(logger.lines.map((line) => line.message));
  const last = logger.lines.at(-1)?.message;
  return last === undefined ? [] : JSON.parse(last.slice(last.indexOf(': ') + 2));
}

const { instance } = localAppHarness();

const nearby = (party_id: string, peer_count: number) => ({
  party_id,
  name: 'Friday',
  host_name: 'Bob',
  peer_count,
  max_peers: 8,
  join_policy: null,
  online_count: null,
  created_at: null,
  where: 'lan' as const,
  address: '192.168.1.20',
  contested: false,
  host_pin: null,
});

/** A real app's state (local mode, a fresh home). */
async function realState(): Promise<AppState> {
  const app = await instance('Alice');
  return app.service.snapshot();
}

/** salvageState, with what it logged as left out. */
function salvaged(state: AppState): { state: AppState; dropped: unknown } {
  const logger = new MemoryLogger();
  const shown = salvageState(state, logger);
  return { state: shown, dropped: leftOut(logger) };
}

describe('salvageState', () => {
  it('leaves a valid state as it is', async () => {
    const state = await realState();
    expect(salvaged(state)).toEqual({ state, dropped: [] });
  });

  it('leaves out the list entry that breaks the schema, keeping the rest valid', async () => {
    const base = await realState();
    const state = {
      ...base,
      discovered: [nearby('party_good0001', 1), nearby('party_bad00001', 1.5)],
    };
    // The renderer refuses this state whole: the window stayed blank.
    expect(AppStateSchema.safeParse(state).success).toBe(false);
    const { state: shown, dropped } = salvaged(state);
    expect(dropped).toEqual(['discovered[1]']);
    expect(shown.discovered.map((p) => p.party_id)).toEqual(['party_good0001']);
    expect(AppStateSchema.safeParse(shown).success).toBe(true);
  });

  it('shows no invite rather than a broken one', async () => {
    const base = await realState();
    const invite = { ...previewOf('party_abc123', null), peer_count: 1.5 };
    const { state: shown, dropped } = salvaged({ ...base, invite });
    expect(dropped).toEqual(['invite']);
    expect(shown.invite).toBeNull();
    expect(shown.settings).toEqual(base.settings);
    expect(AppStateSchema.safeParse(shown).success).toBe(true);
  });
});

describe('salvageEvent', () => {
  const log = new MemoryLogger();

  it('a Parties nearby push keeps its good entries; the renderer takes it', () => {
    const event: StateEvent = {
      type: 'discovered',
      parties: [nearby('party_good0001', 1), nearby('party_bad00001', 1.5)],
    };
    // Refused whole, the list stayed frozen on the last push the renderer took.
    expect(StateEventSchema.safeParse(event).success).toBe(false);
    const fixed = salvageEvent(event, log);
    expect(fixed).toEqual({ type: 'discovered', parties: [nearby('party_good0001', 1)] });
    expect(StateEventSchema.safeParse(fixed).success).toBe(true);
    expect(leftOut(log)).toEqual(['discovered[1]']);
  });

  it('a broken invite push becomes no invite', () => {
    const invite = { ...previewOf('party_abc123', null), peer_count: 1.5 };
    const fixed = salvageEvent({ type: 'invite', invite }, log);
    expect(fixed).toEqual({ type: 'invite', invite: null });
  });

  it('passes a valid event as it is, logging nothing', () => {
    const before = log.lines.length;
    const event: StateEvent = { type: 'discovered', parties: [nearby('party_good0001', 2)] };
    expect(salvageEvent(event, log)).toBe(event);
    expect(log.lines).toHaveLength(before);
  });
});
