/**
 * The contract over a WebSocket, for headless mode and plain browsers. Framing:
 * page → `{id, channel, request}`; app → `{id, result}` answers or `{event}` pushes (the
 * first push after each connect is a snapshot). Every incoming frame is validated; the
 * socket reconnects when it drops, and calls in flight are rejected with a readable error.
 */
import { z } from 'zod';
import { APPROVAL_TIMEOUT_MS } from '../../../shared/access/rules';
import {
  IPC_CHANNELS,
  IpcErrorSchema,
  ipcContract,
  type IpcChannel,
  type IpcResponse,
  type IpcResult,
  type LanrageApi,
  STALE_PAGE_CLOSE,
} from '../../../shared/ipc/contract';
import { StateEventSchema, type StateEvent } from '../../../shared/ipc/app-state';
import { parseJsonFrame } from '../../../shared/protocol/json-depth';

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
  onConnectionChange?: (state: BridgeState) => void;
  timers?: Timers;
}

/** up; down (retrying); stale: the app says this page is from an earlier launch (no retry). */
export type BridgeState = 'up' | 'down' | 'stale';

interface Timers {
  setTimeout: (run: () => void, ms: number) => ReturnType<typeof setTimeout>;
  clearTimeout: (handle: ReturnType<typeof setTimeout>) => void;
}

/**
 * Bound wrappers: browsers throw "Illegal invocation" when window.setTimeout runs with another
 * `this`.
 */
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

type Outcome = { result: IpcResult<unknown> } | { error: Error };

/**
 * Calls that rightly take longer than the usual limit. A join may wait for the host's answer
 * (the app gives up 10 s past the request's expiry); cut off at 30 s, the page showed "did
 * not answer in time" over the party it had just joined, or instead of the host's refusal.
 */
const LONGER_CALLS: Partial<Record<IpcChannel, number>> = {
  joinParty: APPROVAL_TIMEOUT_MS + 60_000,
};

/** Calls awaiting an answer, keyed by frame id; each one settles exactly once. */
class PendingCalls {
  private readonly calls = new Map<number, Pending>();
  private nextId = 1;
  private readonly timers: Timers;
  private readonly timeoutMs: number;

  constructor(timers: Timers, timeoutMs: number) {
    this.timers = timers;
    this.timeoutMs = timeoutMs;
  }

  get(id: number): Pending | undefined {
    return this.calls.get(id);
  }

  /** Registers a call with its answer timeout and returns its frame. */
  add(call: Omit<Pending, 'frame' | 'timer'> & { body: unknown }): string {
    const id = this.nextId++;
    const frame = JSON.stringify({ id, channel: call.channel, request: call.body });
    const timer = this.timers.setTimeout(
      () => this.settle(id, { error: new Error('The LANrage app did not answer in time.') }),
      Math.max(this.timeoutMs, LONGER_CALLS[call.channel] ?? 0),
    );
    const { channel, sent, resolve, reject } = call;
    this.calls.set(id, { channel, frame, sent, resolve, reject, timer });
    return frame;
  }

  settle(id: number, outcome: Outcome): void {
    const call = this.calls.get(id);
    if (!call) return;
    this.calls.delete(id);
    this.timers.clearTimeout(call.timer);
    if ('error' in outcome) call.reject(outcome.error);
    else call.resolve(outcome.result);
  }

  /** Sends the calls queued while the socket was down. */
  flushUnsent(ws: SocketLike): void {
    for (const call of this.calls.values()) {
      if (!call.sent) {
        ws.send(call.frame);
        call.sent = true;
      }
    }
  }

  /** Fails the calls already sent: their answers died with the socket. */
  failSent(error: Error): void {
    for (const [id, call] of this.calls) if (call.sent) this.settle(id, { error });
  }

  failAll(error: Error): void {
    for (const id of [...this.calls.keys()]) this.settle(id, { error });
  }
}

function handleResult(pending: PendingCalls, frame: z.infer<typeof ResultFrameSchema>): void {
  const call = pending.get(frame.id);
  if (!call) return;
  if (!frame.result.ok) return pending.settle(frame.id, { result: frame.result });
  const value = ipcContract[call.channel].response.safeParse(frame.result.value);
  pending.settle(
    frame.id,
    value.success
      ? { result: { ok: true, value: value.data } }
      : { error: new Error(`The app sent a malformed answer to ${call.channel}.`) },
  );
}

/**
 * Routes one incoming frame. Anything that is not text, not JSON, nested too deeply (the
 * schemas recurse) or not a known frame is ignored, and nothing thrown escapes into the
 * socket's handler: a listener that fails does not stop the others.
 */
function handleFrame(
  data: unknown,
  pending: PendingCalls,
  listeners: ReadonlySet<(event: StateEvent) => void>,
): void {
  if (typeof data !== 'string') return;
  const frame = parseJsonFrame(data);
  if (!frame.ok) return;
  const result = ResultFrameSchema.safeParse(frame.value);
  if (result.success) return handleResult(pending, result.data);
  const event = EventFrameSchema.safeParse(frame.value);
  if (!event.success) return;
  for (const listener of listeners) {
    try {
      listener(event.data.event);
    } catch (error) {
      console.error('LANrage: a state listener failed', error);
    }
  }
}

interface ConnectionOptions {
  url: string;
  createSocket: (url: string) => SocketLike;
  delay: (attempt: number) => number;
  onConnectionChange: ((state: BridgeState) => void) | undefined;
  timers: Timers;
  onFrame: (data: unknown) => void;
}

/** The socket lifecycle: connect, reconnect with backoff after a drop, dispose. */
class WsConnection {
  private socket: SocketLike | null = null;
  private attempt = 0;
  private disposed = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly options: ConnectionOptions;
  private readonly pending: PendingCalls;

  constructor(options: ConnectionOptions, pending: PendingCalls) {
    this.options = options;
    this.pending = pending;
  }

  connect(): void {
    this.reconnectTimer = null;
    if (this.disposed) return;
    const ws = this.options.createSocket(this.options.url);
    this.socket = ws;
    ws.onopen = () => this.handleOpen(ws);
    ws.onmessage = (ev) => this.options.onFrame(ev.data);
    ws.onerror = () => undefined;
    ws.onclose = (ev) => this.handleClose(ws, ev);
  }

  request(channel: IpcChannel, body: unknown): Promise<IpcResult<unknown>> {
    return new Promise((resolve, reject) => {
      const sent = this.socket?.readyState === OPEN;
      const frame = this.pending.add({ channel, body, sent, resolve, reject });
      if (sent) this.socket?.send(frame);
    });
  }

  dispose(): void {
    this.disposed = true;
    if (this.reconnectTimer) this.options.timers.clearTimeout(this.reconnectTimer);
    this.pending.failAll(new Error('The bridge was closed.'));
    const ws = this.socket;
    this.socket = null;
    ws?.close();
  }

  private handleOpen(ws: SocketLike): void {
    this.attempt = 0;
    this.options.onConnectionChange?.('up');
    this.pending.flushUnsent(ws);
  }

  private handleClose(ws: SocketLike, ev: unknown): void {
    if (this.socket !== ws) return;
    this.socket = null;
    if ((ev as { code?: unknown } | null)?.code === STALE_PAGE_CLOSE) {
      this.disposed = true;
      this.pending.failAll(new Error('This page is from an earlier LANrage launch.'));
      this.options.onConnectionChange?.('stale');
      return;
    }
    this.options.onConnectionChange?.('down');
    this.pending.failSent(new Error('Lost the connection to the LANrage app; try again.'));
    if (!this.disposed) {
      const wait = this.options.delay(this.attempt++);
      this.reconnectTimer = this.options.timers.setTimeout(() => this.connect(), wait);
    }
  }
}

type ChannelCalls = {
  [C in IpcChannel]: (request: unknown) => Promise<IpcResult<IpcResponse<C>>>;
};

function channelCalls(request: (channel: IpcChannel, body: unknown) => Promise<unknown>) {
  return Object.fromEntries(
    IPC_CHANNELS.map((channel) => [channel, (body: unknown) => request(channel, body)]),
  ) as unknown as ChannelCalls;
}

export function createWsApi(options: WsApiOptions): WsApi {
  const timers = options.timers ?? GLOBAL_TIMERS;
  const pending = new PendingCalls(timers, options.callTimeoutMs ?? 30_000);
  const listeners = new Set<(event: StateEvent) => void>();
  const connection = new WsConnection(
    {
      url: options.url,
      createSocket: options.createSocket ?? ((url) => new WebSocket(url) as unknown as SocketLike),
      delay: options.reconnectDelayMs ?? defaultDelay,
      onConnectionChange: options.onConnectionChange,
      timers,
      onFrame: (data) => handleFrame(data, pending, listeners),
    },
    pending,
  );
  connection.connect();
  return {
    ...channelCalls((channel, body) => connection.request(channel, body)),
    onStateEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      connection.dispose();
    },
  };
}
