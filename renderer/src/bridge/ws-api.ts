/**
 * The contract over a WebSocket, for headless mode and plain browsers. Framing:
 * page → `{id, channel, request}`; app → `{id, result}` answers or `{event}` pushes (the
 * first push after each connect is a snapshot). Every incoming frame is validated; the
 * socket reconnects when it drops, and calls in flight are rejected with a readable error.
 */
import { z } from 'zod';
import {
  IPC_CHANNELS,
  IpcErrorSchema,
  ipcContract,
  StateEventSchema,
  type IpcChannel,
  type IpcResponse,
  type IpcResult,
  type LanrageApi,
  type StateEvent,
} from '../../../shared/ipc';

/** The part of the browser WebSocket this bridge uses, so tests can inject a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface WsApiOptions {
  url: string;
  createSocket?: (url: string) => SocketLike;
  /** Answer timeout per call. */
  callTimeoutMs?: number;
  reconnectDelayMs?: (attempt: number) => number;
  onConnectionChange?: (up: boolean) => void;
  timers?: Timers;
}

interface Timers {
  setTimeout: (run: () => void, ms: number) => ReturnType<typeof setTimeout>;
  clearTimeout: (handle: ReturnType<typeof setTimeout>) => void;
}

/** Bound wrappers: browsers throw "Illegal invocation" when window.setTimeout runs with another `this`. */
const GLOBAL_TIMERS: Timers = {
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle),
};

export interface WsApi extends LanrageApi {
  /** Stops reconnecting and closes the socket. */
  dispose(): void;
}

const OPEN = 1;
const ResultFrameSchema = z.object({
  id: z.number(),
  result: z.union([
    z.object({ ok: z.literal(true), value: z.unknown() }),
    z.object({ ok: z.literal(false), error: IpcErrorSchema }),
  ]),
});
const EventFrameSchema = z.object({ event: StateEventSchema });

interface Pending {
  channel: IpcChannel;
  frame: string;
  sent: boolean;
  resolve: (result: IpcResult<unknown>) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

const defaultDelay = (attempt: number) => Math.min(5000, 250 * 2 ** Math.min(attempt, 5));

export function createWsApi(options: WsApiOptions): WsApi {
  const timers = options.timers ?? GLOBAL_TIMERS;
  const createSocket =
    options.createSocket ?? ((url) => new WebSocket(url) as unknown as SocketLike);
  const callTimeoutMs = options.callTimeoutMs ?? 30_000;
  const delay = options.reconnectDelayMs ?? defaultDelay;
  const pending = new Map<number, Pending>();
  const listeners = new Set<(event: StateEvent) => void>();
  let nextId = 1;
  let socket: SocketLike | null = null;
  let attempt = 0;
  let disposed = false;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;

  function settle(id: number, outcome: { result: IpcResult<unknown> } | { error: Error }) {
    const call = pending.get(id);
    if (!call) return;
    pending.delete(id);
    timers.clearTimeout(call.timer);
    if ('error' in outcome) call.reject(outcome.error);
    else call.resolve(outcome.result);
  }

  function handleResult(frame: z.infer<typeof ResultFrameSchema>) {
    const call = pending.get(frame.id);
    if (!call) return;
    if (!frame.result.ok) return settle(frame.id, { result: frame.result });
    const value = ipcContract[call.channel].response.safeParse(frame.result.value);
    settle(
      frame.id,
      value.success
        ? { result: { ok: true, value: value.data } }
        : { error: new Error(`The app sent a malformed answer to ${call.channel}.`) },
    );
  }

  function handleMessage(data: unknown) {
    let json: unknown;
    try {
      json = JSON.parse(String(data));
    } catch {
      return;
    }
    const result = ResultFrameSchema.safeParse(json);
    if (result.success) return handleResult(result.data);
    const event = EventFrameSchema.safeParse(json);
    if (event.success) for (const listener of listeners) listener(event.data.event);
  }

  function connect() {
    reconnectTimer = null;
    if (disposed) return;
    const ws = createSocket(options.url);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      options.onConnectionChange?.(true);
      for (const call of pending.values()) {
        if (!call.sent) {
          ws.send(call.frame);
          call.sent = true;
        }
      }
    };
    ws.onmessage = (ev) => handleMessage(ev.data);
    ws.onerror = () => undefined;
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      options.onConnectionChange?.(false);
      for (const [id, call] of pending) {
        if (call.sent)
          settle(id, { error: new Error('Lost the connection to the LANrage app; try again.') });
      }
      if (!disposed) reconnectTimer = timers.setTimeout(connect, delay(attempt++));
    };
  }

  function request(channel: IpcChannel, body: unknown): Promise<IpcResult<unknown>> {
    return new Promise((resolve, reject) => {
      const id = nextId++;
      const frame = JSON.stringify({ id, channel, request: body });
      const timer = timers.setTimeout(
        () => settle(id, { error: new Error('The LANrage app did not answer in time.') }),
        callTimeoutMs,
      );
      const sent = socket?.readyState === OPEN;
      pending.set(id, { channel, frame, sent, resolve, reject, timer });
      if (sent) socket?.send(frame);
    });
  }

  const calls = Object.fromEntries(
    IPC_CHANNELS.map((channel) => [channel, (body: unknown) => request(channel, body)]),
  ) as unknown as {
    [C in IpcChannel]: (request: unknown) => Promise<IpcResult<IpcResponse<C>>>;
  };

  connect();
  return {
    ...calls,
    onStateEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      disposed = true;
      if (reconnectTimer) timers.clearTimeout(reconnectTimer);
      for (const id of [...pending.keys()])
        settle(id, { error: new Error('The bridge was closed.') });
      const ws = socket;
      socket = null;
      ws?.close();
    },
  };
}
