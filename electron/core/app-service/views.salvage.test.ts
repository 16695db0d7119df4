import { describe, expect, it } from 'vitest';
import { AppStateSchema, type AppState } from '../../../shared/ipc/app-state';
import { previewOf } from '../../../shared/ipc/invite-preview';
import { localAppHarness } from '../test-util/local-app-harness';
import { salvageState } from './views';

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
  let dropped: unknown = [];
  const shown = salvageState(state, (_message, detail) => (dropped = detail));
  return { state: shown, dropped };
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
