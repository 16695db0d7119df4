import { DEFAULT_PARTY_SETTINGS, settingsToDict } from '../../../shared/party/settings';
import { describe, expect, it, vi } from 'vitest';
import {
  AppErrorCode,
  ControlPlaneError,
  type ControlPlaneErrorCode,
} from '../../../shared/protocol/errors';
import { IPC_CHANNELS, IpcErrorSchema } from '../../../shared/ipc/contract';
import { ErrorCode } from '../../../shared/protocol/protocol';
import type { PartyView, SettingsView } from '../../../shared/ipc/app-state';
import { dispatch, missingHandlers, toIpcError } from './ipc-registry';
import type { IpcHandlers } from './ipc-registry';
import { settingsView } from '../test-util/fixtures';
import { silentLogger } from '../../../shared/logger';
import { MemoryLogger } from '../../../shared/test-support/memory-logger';

const party: PartyView = {
  party_id: 'party_abc123',
  name: 'Gaming Night',
  host_id: 'peer123',
  created_at: '2026-01-29T12:00:00.000Z',
  peers: {},
  arrival: [],
  presence: {},
  settings: settingsToDict(DEFAULT_PARTY_SETTINGS),
};
const settings: SettingsView = settingsView('Alice');

const unused = (): Promise<never> => Promise.reject(new Error('not used'));

function makeHandlers(overrides: Partial<IpcHandlers> = {}): IpcHandlers {
  return {
    getState: () => Promise.reject(new Error('not used')),
    ping: () => Promise.resolve(null),
    createParty: ({ name }) => Promise.resolve({ ...party, name }),
    joinParty: () => Promise.resolve(party),
    leaveParty: () => Promise.resolve(null),
    transferHost: () => Promise.resolve(null),
    dismissEnded: () => Promise.resolve(null),
    discoverParties: () => Promise.resolve([]),
    getSettings: () => Promise.resolve(settings),
    saveSettings: (s) => Promise.resolve({ ...settings, ...s }),
    dismissNotice: () => Promise.resolve(null),
    dismissInvite: () => Promise.resolve(null),
    testServer: () => Promise.resolve({ reachable: true, message: '10.0.0.9:8667 answered.' }),
    finishWelcome: ({ settings: s }) => Promise.resolve(s ? { ...settings, ...s } : settings),
    updatePartySettings: unused,
    cancelJoin: unused,
    answerJoin: unused,
    createInvite: unused,
    listInvites: unused,
    revokeInvite: unused,
    kickPeer: unused,
    unbanPeer: unused,
    listBans: unused,
    listParties: unused,
    sendVoiceSignal: unused,
    sendScreenSignal: unused,
    getRelay: unused,
    setVoiceVolume: unused,
    listScreenSources: unused,
    chooseScreenSource: unused,
    ...overrides,
  };
}

const silent = silentLogger;

describe('dispatch', () => {
  it('answers bad_request for an unknown channel', async () => {
    const result = await dispatch(makeHandlers(), 'rmRf', {}, silent);
    expect(result).toEqual({
      ok: false,
      error: { code: 'bad_request', message: 'Unknown request "rmRf".' },
    });
  });

  it('refuses prototype keys as channels', async () => {
    for (const channel of ['toString', '__proto__', 'constructor', 'hasOwnProperty']) {
      const result = await dispatch(makeHandlers(), channel, {}, silent);
      expect(result, channel).toEqual({
        ok: false,
        error: { code: 'bad_request', message: `Unknown request "${channel}".` },
      });
    }
  });

  it('validates the request and names the bad field', async () => {
    const result = await dispatch(makeHandlers(), 'createParty', { name: '   ' }, silent);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('bad_request');
    expect(result.error.message).toBe('Invalid name: Party name must not be empty');
  });

  it('refuses a missing request object and extra keys on empty requests', async () => {
    const missing = await dispatch(makeHandlers(), 'createParty', undefined, silent);
    expect(missing).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const extra = await dispatch(makeHandlers(), 'leaveParty', { sneaky: 1 }, silent);
    expect(extra).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('testServer and finishWelcome refuse what is not a server URL or a settings object', async () => {
    const testServer = vi.fn(() => Promise.resolve({ reachable: true, message: 'x' }));
    const finishWelcome = vi.fn(() => Promise.resolve(settings));
    const handlers = makeHandlers({ testServer, finishWelcome });
    for (const url of ['ftp://x', 'not a url', '', 'ws://' + 'a'.repeat(600)]) {
      const result = await dispatch(handlers, 'testServer', { url }, silent);
      expect(result).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    }
    for (const request of [{}, { settings: { peer_name: '' } }, { settings: null, more: 1 }]) {
      const result = await dispatch(handlers, 'finishWelcome', request, silent);
      expect(result).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    }
    expect(testServer).not.toHaveBeenCalled();
    expect(finishWelcome).not.toHaveBeenCalled();
    const ok = await dispatch(handlers, 'testServer', { url: ' ws://127.0.0.1:1/ws ' }, silent);
    expect(ok.ok).toBe(true);
    expect(testServer).toHaveBeenCalledWith({ url: 'ws://127.0.0.1:1/ws' });
  });

  it('hands the handler the parsed request and returns its value', async () => {
    const createParty = vi.fn(({ name }: { name: string }) => Promise.resolve({ ...party, name }));
    const result = await dispatch(
      makeHandlers({ createParty }),
      'createParty',
      { name: '  LAN night  ' },
      silent,
    );
    expect(createParty).toHaveBeenCalledWith({ name: 'LAN night' });
    expect(result).toEqual({ ok: true, value: { ...party, name: 'LAN night' } });
  });

  it('maps ControlPlaneError codes and keeps their message', async () => {
    const cases: [ControlPlaneErrorCode, string][] = [
      ['not_found', 'not_found'],
      ['conflict', 'conflict'],
      ['forbidden', 'forbidden'],
      ['unreachable', 'unreachable'],
      ['bad_request', 'bad_request'],
    ];
    for (const [thrown, expected] of cases) {
      const joinParty = () => Promise.reject(new ControlPlaneError('Nope.', { code: thrown }));
      const result = await dispatch(
        makeHandlers({ joinParty }),
        'joinParty',
        { invite: 'x' },
        silent,
      );
      expect(result).toEqual({ ok: false, error: { code: expected, message: 'Nope.' } });
    }
  });

  it('tells the renderer a valid IPC code for every code an error can carry, logging none', () => {
    const log = new MemoryLogger();
    for (const code of [...Object.values(ErrorCode), ...Object.values(AppErrorCode)]) {
      const error = toIpcError(new ControlPlaneError('Said.', { code }), log);
      expect(IpcErrorSchema.safeParse(error).success, code).toBe(true);
      expect(error.message).toBe('Said.');
    }
    expect(log.lines).toEqual([]);
  });

  it('hides unexpected errors behind a generic message and logs the detail', async () => {
    const log = new MemoryLogger();
    const boom = new Error('ENOENT /secret/path');
    const result = await dispatch(
      makeHandlers({ leaveParty: () => Promise.reject(boom) }),
      'leaveParty',
      {},
      log,
    );
    expect(result).toEqual({
      ok: false,
      error: { code: 'internal', message: 'Something went wrong inside LANrage.' },
    });
    // A fault of ours: at error level, with the stack to find it by.
    expect(log.lines).toEqual([
      { level: 'error', message: `IPC handler failed: ${boom.stack ?? ''}` },
    ]);
  });

  it('never throws, even when a handler throws synchronously or a non-Error', async () => {
    const handlers = makeHandlers({
      getSettings: () => {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- the case under test
        throw 'a string';
      },
    });
    await expect(dispatch(handlers, 'getSettings', {}, silent)).resolves.toMatchObject({
      ok: false,
      error: { code: 'internal' },
    });
  });

  it('reports an answer outside the contract as internal', async () => {
    const log = new MemoryLogger();
    const handlers = makeHandlers({
      discoverParties: () => Promise.resolve([{ bogus: true }] as never),
    });
    const result = await dispatch(handlers, 'discoverParties', {}, log);
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(log.lines.map((line) => line.level)).toEqual(['error']);
    expect(log.lines[0]?.message).toMatch(/^IPC handler for discoverParties answered outside/);
  });
});

describe('handler table', () => {
  it('requires a handler for every channel (compile time)', () => {
    const { saveSettings: _dropped, ...partial } = makeHandlers();
    // @ts-expect-error: saveSettings is missing, so this is not an IpcHandlers.
    const incomplete: IpcHandlers = partial;
    expect(missingHandlers(incomplete)).toEqual(['saveSettings']);
  });

  it('has every contract channel covered (runtime)', () => {
    expect(missingHandlers(makeHandlers())).toEqual([]);
    expect(missingHandlers({})).toEqual(IPC_CHANNELS);
    expect(missingHandlers({ ...makeHandlers(), getState: 'not a function' })).toEqual([
      'getState',
    ]);
  });
});
