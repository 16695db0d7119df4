import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StateEvent } from '../../../shared/ipc/app-state';
import { MAX_JSON_DEPTH } from '../../../shared/protocol/json-depth';
import { makeParty, makeState } from '../test-util/fixtures';
import { bridgeUrl } from './get-api';
import { APPROVAL_TIMEOUT_MS } from '../../../shared/access/rules';
import { createWsApi, type BridgeState, type SocketLike, type WsApi } from './ws-api';
import { STALE_PAGE_CLOSE } from '../../../shared/ipc/contract';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: unknown[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close(code?: number) {
    this.readyState = 3;
    this.onclose?.(code === undefined ? {} : { code });
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(frame: unknown) {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }
}

let api: WsApi | null = null;
afterEach(() => {
  api?.dispose();
  api = null;
  vi.useRealTimers();
});

function setup(callTimeoutMs = 30_000) {
  const sockets: FakeSocket[] = [];
  const changes: BridgeState[] = [];
  api = createWsApi({
    url: 'ws://127.0.0.1:1234/ipc?token=t',
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    callTimeoutMs,
    reconnectDelayMs: () => 100,
    onConnectionChange: (up) => changes.push(up),
  });
  return { api, sockets, changes };
}

describe('createWsApi', () => {
  it('queues a call until the socket opens, frames it {id, channel, request}, resolves with the validated value', async () => {
    const { api, sockets } = setup();
    const result = api.createParty({ name: 'Gaming Night' });
    const socket = sockets[0]!;
    expect(socket.url).toBe('ws://127.0.0.1:1234/ipc?token=t');
    expect(socket.sent).toEqual([]);
    socket.open();
    expect(socket.sent).toEqual([
      { id: 1, channel: 'createParty', request: { name: 'Gaming Night' } },
    ]);
    const party = makeParty('alice');
    socket.receive({ id: 1, result: { ok: true, value: party } });
    await expect(result).resolves.toEqual({ ok: true, value: party });
  });

  it('passes error envelopes through', async () => {
    const { api, sockets } = setup();
    sockets[0]!.open();
    const result = api.joinParty({ invite: 'party_x' });
    sockets[0]!.receive({
      id: 1,
      result: { ok: false, error: { code: 'not_found', message: 'Party not found' } },
    });
    await expect(result).resolves.toEqual({
      ok: false,
      error: { code: 'not_found', message: 'Party not found' },
    });
  });

  it('rejects an answer that does not match the contract', async () => {
    const { api, sockets } = setup();
    sockets[0]!.open();
    const result = api.createParty({ name: 'x' });
    sockets[0]!.receive({ id: 1, result: { ok: true, value: { party_id: 42 } } });
    await expect(result).rejects.toThrow(/malformed answer to createParty/);
  });

  it('delivers valid pushed events and ignores malformed frames', () => {
    const { api, sockets } = setup();
    const events: StateEvent[] = [];
    api.onStateEvent((e) => events.push(e));
    sockets[0]!.open();
    sockets[0]!.receive('not json');
    sockets[0]!.receive({ event: { type: 'no_such_event' } });
    sockets[0]!.receive({ event: { type: 'snapshot', state: { bogus: true } } });
    sockets[0]!.receive({ event: { type: 'snapshot', state: makeState() } });
    sockets[0]!.receive({ event: { type: 'party', party: null } });
    expect(events.map((e) => e.type)).toEqual(['snapshot', 'party']);
  });

  it('drops a frame nested deeper than MAX_JSON_DEPTH before any schema sees it', () => {
    const { api, sockets } = setup();
    const events: StateEvent[] = [];
    api.onStateEvent((e) => events.push(e));
    sockets[0]!.open();
    const deep = '['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1);
    // A valid event with a deep extra key: zod would strip the key and deliver it.
    sockets[0]!.receive(`{"event":{"type":"party","party":null},"extra":${deep}}`);
    sockets[0]!.onmessage?.({ data: new Uint8Array([123, 125]) });
    expect(events).toEqual([]);
    sockets[0]!.receive({ event: { type: 'party', party: null } });
    expect(events.map((e) => e.type)).toEqual(['party']);
  });

  it('a listener that throws neither escapes the socket handler nor stops the others', () => {
    const { api, sockets } = setup();
    const seen: string[] = [];
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    api.onStateEvent(() => {
      throw new Error('listener broke');
    });
    api.onStateEvent((e) => seen.push(e.type));
    sockets[0]!.open();
    expect(() => sockets[0]!.receive({ event: { type: 'party', party: null } })).not.toThrow();
    expect(seen).toEqual(['party']);
    expect(error).toHaveBeenCalledTimes(1);
    error.mockRestore();
  });

  it('rejects calls in flight when the socket drops, then reconnects', async () => {
    vi.useFakeTimers();
    const { api, sockets, changes } = setup();
    sockets[0]!.open();
    const inFlight = api.leaveParty({});
    sockets[0]!.close();
    await expect(inFlight).rejects.toThrow(/Lost the connection/);
    expect(changes).toEqual(['up', 'down']);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(100);
    expect(sockets).toHaveLength(2);
    sockets[1]!.open();
    const again = api.leaveParty({});
    expect(sockets[1]!.sent).toEqual([{ id: 2, channel: 'leaveParty', request: {} }]);
    sockets[1]!.receive({ id: 2, result: { ok: true, value: null } });
    await expect(again).resolves.toEqual({ ok: true, value: null });
    expect(changes).toEqual(['up', 'down', 'up']);
  });

  it('gives a join the time a host has to answer (two minutes), not the usual limit', async () => {
    vi.useFakeTimers();
    const { api, sockets } = setup(500);
    sockets[0]!.open();
    const join = api.joinParty({ invite: 'party_abc123' });
    let settled = false;
    void join.then(
      () => (settled = true),
      () => (settled = true),
    );
    await vi.advanceTimersByTimeAsync(APPROVAL_TIMEOUT_MS);
    expect(settled).toBe(false);
    sockets[0]!.receive({
      id: 1,
      result: { ok: false, error: { code: 'rejected', message: 'no' } },
    });
    await expect(join).resolves.toMatchObject({ ok: false, error: { code: 'rejected' } });
  });

  it('times out a call nobody answers', async () => {
    vi.useFakeTimers();
    const { api, sockets } = setup(500);
    sockets[0]!.open();
    const call = api.getState({});
    vi.advanceTimersByTime(501);
    await expect(call).rejects.toThrow(/did not answer in time/);
  });

  it('a page from an earlier launch (close 4403) stops retrying and says so', async () => {
    vi.useFakeTimers();
    const { api, sockets, changes } = setup();
    const pending = api.getState({});
    sockets[0]!.close(STALE_PAGE_CLOSE);
    await expect(pending).rejects.toThrow(/earlier LANrage launch/);
    expect(changes).toEqual(['stale']);
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
  });

  it('dispose stops reconnecting and rejects pending calls', async () => {
    vi.useFakeTimers();
    const { api, sockets } = setup();
    const pending = api.getState({});
    api.dispose();
    await expect(pending).rejects.toThrow(/closed/);
    vi.advanceTimersByTime(10_000);
    expect(sockets).toHaveLength(1);
  });
});

describe('bridgeUrl', () => {
  it('builds the same-origin /ipc URL with the page token', () => {
    expect(
      bridgeUrl({ protocol: 'http:', host: '127.0.0.1:8666', search: '?token=abc&profile=1' }),
    ).toBe('ws://127.0.0.1:8666/ipc?token=abc');
    expect(bridgeUrl({ protocol: 'https:', host: 'h', search: '' })).toBe('wss://h/ipc?token=');
  });
});
