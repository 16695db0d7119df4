/**
 * One client connection: rate limiting, parsing every frame against the protocol schema,
 * dispatching to its handler, and sending with a bound on what may pile up unread.
 */
import type { RawData, WebSocket } from 'ws';
import { ControlPlaneError } from '../shared/errors';
import { schemaError } from '../shared/model';
import {
  ClientMessageSchema,
  ErrorCode,
  type ClientMessage,
  type ServerMessageInput,
} from '../shared/protocol';
import { handlers, type ConnectionContext, type ServerContext } from './handlers';
import type { Logger } from './logger';
import type { Outbox } from './presence';
import { RateDecision, TokenBucket, type RateLimitOptions } from './rate-limit';

export interface ConnectionOptions {
  /** A client with more than this many bytes unread is disconnected instead of buffered. */
  maxBufferedBytes: number;
  rateLimit: RateLimitOptions | null;
}

/** Close codes (RFC 6455). */
export const CloseCode = {
  GOING_AWAY: 1001,
  POLICY: 1008,
  TOO_BIG: 1009,
  TRY_AGAIN_LATER: 1013,
} as const;

let nextId = 1;

type AnyHandler = (m: ClientMessage, c: ConnectionContext, s: ServerContext) => ServerMessageInput;

function requestIdOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const id = (value as Record<string, unknown>).request_id;
  return typeof id === 'string' && id.length > 0 && id.length <= 64 ? id : undefined;
}

function errorMessage(error: unknown): { message: string; code: string } {
  if (error instanceof ControlPlaneError) {
    return { message: error.message.slice(0, 1000), code: error.code.slice(0, 32) };
  }
  return { message: 'Internal server error', code: 'internal' };
}

export class ClientConnection implements Outbox, ConnectionContext {
  readonly id = nextId++;
  token: string;
  /** Cleared when a ping goes out, set by the pong; still clear at the next ping = dead. */
  isAlive = true;
  private readonly bucket: TokenBucket | null;
  private closing = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly server: ServerContext,
    private readonly options: ConnectionOptions,
    private readonly logger: Logger,
  ) {
    this.token = server.sessions.issue();
    this.bucket = options.rateLimit ? new TokenBucket(options.rateLimit, server.clock.now()) : null;
  }

  attach(peerId: string): void {
    this.server.presence.attach(peerId, this);
  }

  sendRaw(frame: string | Buffer): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > this.options.maxBufferedBytes) {
      this.logger.warn(`Connection ${this.id} is not reading; disconnecting it`);
      this.ws.terminate();
      return;
    }
    this.ws.send(frame, { binary: false });
  }

  private answer(message: ServerMessageInput, requestId: string | undefined): void {
    const withId = requestId === undefined ? message : { ...message, request_id: requestId };
    this.server.committer.afterCommit({
      onCommit: () => this.sendRaw(JSON.stringify(withId)),
      onFail: () =>
        this.sendRaw(
          JSON.stringify({
            type: 'error',
            message: 'The server could not store the change; try again',
            code: 'unavailable',
            ...(requestId === undefined ? {} : { request_id: requestId }),
          }),
        ),
    });
  }

  private fail(error: unknown, requestId: string | undefined): void {
    this.answer({ type: 'error', ...errorMessage(error) }, requestId);
  }

  /** Handles one frame; nothing a client sends can throw out of here. */
  handleFrame(data: RawData): void {
    if (this.closing || !this.admit()) return;
    let raw: unknown;
    try {
      raw = JSON.parse(rawText(data));
    } catch {
      this.fail(new ControlPlaneError('Invalid JSON', { code: ErrorCode.BAD_REQUEST }), undefined);
      return;
    }
    const requestId = requestIdOf(raw);
    const parsed = ClientMessageSchema.safeParse(raw);
    if (!parsed.success) {
      this.fail(schemaError('message', parsed.error), requestId);
      return;
    }
    try {
      const handler = handlers[parsed.data.type] as AnyHandler;
      this.answer(handler(parsed.data, this, this.server), requestId);
    } catch (error) {
      if (!(error instanceof ControlPlaneError)) {
        this.logger.error(`Handler ${parsed.data.type} failed: ${String(error)}`);
      }
      this.fail(error, requestId);
    }
  }

  /** The rate limit: false when the frame must be dropped. */
  private admit(): boolean {
    if (!this.bucket) return true;
    const decision = this.bucket.take(this.server.clock.now());
    if (decision === RateDecision.ALLOW) return true;
    if (decision === RateDecision.DISCONNECT) {
      if (this.closing) return false;
      this.closing = true;
      this.logger.warn(`Connection ${this.id} is flooding; closing it`);
      // After the answers already queued, so the client sees why.
      this.server.committer.afterCommit({
        onCommit: () => this.ws.close(CloseCode.POLICY, 'rate limit exceeded'),
        onFail: () => this.ws.close(CloseCode.POLICY, 'rate limit exceeded'),
      });
    } else {
      this.fail(
        new ControlPlaneError('Too many messages; slow down', { code: ErrorCode.RATE_LIMITED }),
        undefined,
      );
    }
    return false;
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
