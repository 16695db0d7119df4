import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IpcResult } from '../../../shared/ipc/contract';
import { createAppStore } from '../store/app-store';
import { fakeApi, makeParty, makeState, makeStatus } from '../test-util/fixtures';
import { connectStore } from './connect-store';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** An app whose pings hang while `frozen`, answered together when it thaws. */
function frozenApp() {
  let frozen = false;
  const held: ((result: IpcResult<null>) => void)[] = [];
  let state = makeState({ party: makeParty('alice', ['bob']) });
  const fake = fakeApi({
    getState: () => ({ ok: true, value: state }),
    ping: () =>
      frozen
        ? new Promise<IpcResult<null>>((resolve) => held.push(resolve))
        : { ok: true, value: null },
  });
  return {
    ...fake,
    freeze: () => (frozen = true),
    thaw: () => {
      frozen = false;
      for (const resolve of held.splice(0)) resolve({ ok: true, value: null });
    },
    setState: (next: typeof state) => (state = next),
  };
}

describe('connectStore', () => {
  it('takes the first snapshot, then pings the app without asking for the state again', async () => {
    const app = frozenApp();
    const store = createAppStore(app.api);
    connectStore(app.api, store, { intervalMs: 5_000, timeoutMs: 5_000 });
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().party?.name).toBe(makeParty('alice', ['bob']).name);
    await vi.advanceTimersByTimeAsync(30_000);
    const channels = app.calls.map((c) => c.channel);
    expect(channels.filter((c) => c === 'getState')).toHaveLength(1);
    expect(channels.filter((c) => c === 'ping')).toHaveLength(6);
  });

  it('an app that stops answering leaves no status behind; answering again, its snapshot is taken', async () => {
    const app = frozenApp();
    const store = createAppStore(app.api);
    connectStore(app.api, store, { intervalMs: 5_000, timeoutMs: 5_000 });
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().status?.state).toBe('connected');
    app.freeze();
    await vi.advanceTimersByTimeAsync(9_999);
    expect(store.getState().appAnswering).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(store.getState().appAnswering).toBe(false);
    expect(store.getState().status).toBeNull();
    // What changed while the page could not hear it comes with the snapshot.
    app.setState(makeState({ status: makeStatus({ state: 'reconnecting' }) }));
    app.thaw();
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().appAnswering).toBe(true);
    expect(store.getState().status?.state).toBe('reconnecting');
    expect(store.getState().party).toBeNull();
  });

  it('stopped, it neither listens nor pings', async () => {
    const app = frozenApp();
    const store = createAppStore(app.api);
    const stop = connectStore(app.api, store, { intervalMs: 5_000, timeoutMs: 5_000 });
    await vi.advanceTimersByTimeAsync(0);
    stop();
    app.emit({ type: 'status', status: makeStatus({ state: 'offline' }) });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(app.calls.map((c) => c.channel)).toEqual(['getState']);
    expect(store.getState().status?.state).toBe('connected');
  });
});
