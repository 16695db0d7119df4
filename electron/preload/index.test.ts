import { beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS, STATE_EVENT_CHANNEL, type LanrageApi } from '../../shared/ipc/contract';
import type { StateEvent } from '../../shared/ipc/app-state';

// The preload depends only on electron's two renderer-side objects; record what it does with them.
const exposed = new Map<string, unknown>();
const listeners = new Map<string, (...args: unknown[]) => void>();
const invoke = vi.fn((channel: string, request: unknown) => Promise.resolve({ channel, request }));

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value),
  },
  ipcRenderer: {
    invoke,
    on: (channel: string, handler: (...args: unknown[]) => void) => listeners.set(channel, handler),
    removeListener: (channel: string, handler: unknown) => {
      if (listeners.get(channel) === handler) listeners.delete(channel);
    },
  },
}));

let api: LanrageApi;

beforeAll(async () => {
  await import('./index');
  api = exposed.get('lanrage') as LanrageApi;
});

describe('preload', () => {
  it('exposes exactly one object, window.lanrage, with one method per channel plus onStateEvent', () => {
    expect([...exposed.keys()]).toEqual(['lanrage']);
    expect(Object.keys(api).sort()).toEqual([...IPC_CHANNELS, 'onStateEvent'].sort());
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('invokes the namespaced channel with the request', async () => {
    await expect(api.createParty({ name: 'LAN night' })).resolves.toEqual({
      channel: 'lanrage:createParty',
      request: { name: 'LAN night' },
    });
    for (const channel of IPC_CHANNELS) {
      await (api[channel] as (r: unknown) => Promise<unknown>)({});
      expect(invoke).toHaveBeenLastCalledWith(`lanrage:${channel}`, {});
    }
  });

  it('delivers state events without the IPC event object, and unsubscribes', () => {
    const got: StateEvent[] = [];
    const off = api.onStateEvent((e) => got.push(e));
    const event: StateEvent = { type: 'party', party: null };
    listeners.get(STATE_EVENT_CHANNEL)!({ sender: 'ipc internals' }, event);
    expect(got).toEqual([event]);
    off();
    expect(listeners.has(STATE_EVENT_CHANNEL)).toBe(false);
  });
});
