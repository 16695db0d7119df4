import { pathToFileURL } from 'node:url';
import { DEFAULT_PARTY_SETTINGS, settingsToDict } from '../../shared/party/settings';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS, STATE_EVENT_CHANNEL } from '../../shared/ipc/contract';
import type { PartyView, StateEvent } from '../../shared/ipc/app-state';
import type { AppService } from '../core/app-service/types';
import type { IpcHandlers } from '../core/app-service/ipc-registry';
import { silentLogger } from '../../shared/logger';

// ipcMain's handler table, recorded so the test can invoke a channel as Electron would.
const handlers = new Map<string, (event: unknown, request: unknown) => unknown>();
const indexFile = '/opt/LANrage/resources/app.asar/out/renderer/index.html';
const appUrl = pathToFileURL(indexFile).href;

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, request: unknown) => unknown) =>
      handlers.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));
vi.mock('./window', () => ({ appPage: () => ({ indexFile, devUrl: null }) }));

const { registerIpc } = await import('./ipc');

const party: PartyView = {
  party_id: 'party_abc123',
  name: 'LAN night',
  host_id: 'peer123',
  created_at: '2026-01-29T12:00:00.000Z',
  peers: {},
  arrival: [],
  presence: {},
  settings: settingsToDict(DEFAULT_PARTY_SETTINGS),
};

function fakeWindow(url = appUrl) {
  const mainFrame = { url };
  const webContents = { mainFrame, send: vi.fn() };
  return { isDestroyed: () => false, webContents };
}
type FakeWindow = ReturnType<typeof fakeWindow>;

let createParty: ReturnType<typeof vi.fn>;
let stateListeners: ((event: StateEvent) => void)[];

function fakeService(): AppService {
  createParty = vi.fn(({ name }: { name: string }) => Promise.resolve({ ...party, name }));
  stateListeners = [];
  return {
    handlers: { createParty } as unknown as IpcHandlers,
    snapshot: () => {
      throw new Error('unused');
    },
    onStateEvent: (listener) => {
      stateListeners.push(listener);
      return () => stateListeners.splice(stateListeners.indexOf(listener), 1);
    },
    onNotification: () => () => {},
    trayInputs: () => {
      throw new Error('unused');
    },
    openInvite: () => Promise.reject(new Error('unused')),
    goingToSleep: () => Promise.resolve(false),
    close: () => Promise.resolve(),
  };
}

function register(win: FakeWindow | null): () => void {
  return registerIpc(fakeService(), () => win as never, silentLogger);
}

const invoke = (event: unknown, request: unknown = { name: 'LAN night' }) =>
  handlers.get('lanrage:createParty')!(event, request);

const forbidden = {
  ok: false,
  error: { code: 'forbidden', message: 'This request did not come from LANrage.' },
};

beforeEach(() => handlers.clear());

describe('registerIpc', () => {
  it('registers every channel and removes them all again', () => {
    const unregister = register(fakeWindow());
    expect([...handlers.keys()].sort()).toEqual(IPC_CHANNELS.map((c) => `lanrage:${c}`).sort());
    unregister();
    expect(handlers.size).toBe(0);
    expect(stateListeners).toHaveLength(0);
  });

  it('answers a call from the main frame of the app window showing the app page', async () => {
    const win = fakeWindow();
    register(win);
    const event = { sender: win.webContents, senderFrame: win.webContents.mainFrame };
    await expect(invoke(event)).resolves.toEqual({ ok: true, value: party });
    expect(createParty).toHaveBeenCalledWith({ name: 'LAN night' });
  });

  it('still validates the request of a trusted sender', async () => {
    const win = fakeWindow();
    register(win);
    const event = { sender: win.webContents, senderFrame: win.webContents.mainFrame };
    await expect(invoke(event, { name: 42 })).resolves.toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(createParty).not.toHaveBeenCalled();
  });

  it('refuses other web contents, sub-frames, foreign pages, gone frames and no window', async () => {
    const win = fakeWindow();
    register(win);
    const other = fakeWindow();
    const cases: [string, unknown][] = [
      ['other contents', { sender: other.webContents, senderFrame: win.webContents.mainFrame }],
      ['sub-frame', { sender: win.webContents, senderFrame: { url: appUrl } }],
      ['no frame', { sender: win.webContents, senderFrame: null }],
    ];
    for (const [what, event] of cases) {
      expect(await invoke(event), what).toEqual(forbidden);
    }
    // The app window navigated away from the app page (e.g. a file dropped on it).
    win.webContents.mainFrame.url = pathToFileURL('/tmp/evil.html').href;
    const navigated = { sender: win.webContents, senderFrame: win.webContents.mainFrame };
    expect(await invoke(navigated)).toEqual(forbidden);
    expect(createParty).not.toHaveBeenCalled();
  });

  it('refuses every call while there is no live window', async () => {
    register(null);
    const win = fakeWindow();
    const event = { sender: win.webContents, senderFrame: win.webContents.mainFrame };
    expect(await invoke(event)).toEqual(forbidden);
    const destroyed = { ...fakeWindow(), isDestroyed: () => true };
    register(destroyed);
    const again = { sender: destroyed.webContents, senderFrame: destroyed.webContents.mainFrame };
    expect(await invoke(again)).toEqual(forbidden);
    expect(createParty).not.toHaveBeenCalled();
  });

  it('forwards state events to the window', () => {
    const win = fakeWindow();
    register(win);
    const event: StateEvent = { type: 'party', party: null };
    for (const listener of stateListeners) listener(event);
    expect(win.webContents.send).toHaveBeenCalledWith(STATE_EVENT_CHANNEL, event);
  });
});
