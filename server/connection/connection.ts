/**
 * One client connection: rate limiting, parsing every frame against the protocol schema,
 * dispatching to its handler, and sending with a bound on what may pile up unread.
 */
import type { RawData, WebSocket } from 'ws';
import { ControlPlaneError } from '../../shared/protocol/errors';
import { schemaError } from '../../shared/model';
import { type ClientMessage } from '../../shared/protocol/client-messages';
import {
  ErrorCode,
  type ServerMessageInput,
  type ServerMessageType,
} from '../../shared/protocol/protocol';
import { newNonce } from '../access/identity/identity-proof';
import { decodeFrame, frameBytes, requestIdOfRaw } from './frames';
import { JsonAnswer } from './heartbeat-ack';
import { parseClientMessage } from './parse-message';
import {
  handlers,
  type ConnectionContext,
  type HandlerAnswer,
  type ServerContext,
} from './handlers';
import type { Logger } from '../../shared/logger';
import type { Outbox } from '../presence/presence';
import { PartySnapshot, snapshotFrame } from '../party/snapshots';
import { RateDecision, type RateLimitOptions } from '../admission/rate-limit';
import { ADDRESS_RATE_REFUSED, ConnectionBudgets, RATE_REFUSED } from './budgets';
import { errorMessage, withRequestId } from './answer-frames';
import { HeldAnswer } from './held-answer';
import { OrderedSends } from './ordered-sends';

export interface ConnectionOptions {
  /** A client with more than this many bytes unread is disconnected instead of buffered. */
  maxBufferedBytes: number;
  rateLimit: RateLimitOptions | null;
  /** A connection that has not sent `hello` after this long is closed (0 = never). */
  helloTimeoutMs: number;
  /** Told the connection's address when it is cut for not reading (admission backs off). */
  onNotReading?: (address: string) => void;
}

/** Close codes (RFC 6455). */
export const CloseCode = {
  GOING_AWAY: 1001,
  POLICY: 1008,
  TOO_BIG: 1009,
  TRY_AGAIN_LATER: 1013,
} as const;

/**
 * A request whose change a shared store refused (another server changed the party first)
 * is handled again on the state read back, up to this many times, before `unavailable`.
 */
const CONFLICT_RETRIES = 8;

/** How long a peer gets to answer our close frame before the socket is cut. */
const CLOSE_GRACE_MS = 2000;

/**
 * The most that may wait for a client (its socket's buffer and the frames held behind an
 * answer) for a relayed signal still to be queued for it; past it the signal is dropped and its
 * sender refused. Half of maxBufferedBytes when that is smaller, so signals alone never reach
 * the not-reading cut. Signals are best-effort (a call whose offer is lost is tried again:
 * README, Voice chat); queued whatever the backlog, six members each within their own signal
 * budget got a member on a 4 Mbit/s link cut "for not reading" within 250 ms, and its address
 * (a LAN party's NAT) refused with 429 for a while that doubles with each cut.
 */
export const SIGNAL_BACKLOG_BYTES = 128 * 1024;

let nextId = 1;

/** A frame to send after the answer, and its type. */
interface FollowUp {
  frame: string;
  type: ServerMessageType;
}

const NO_FRAMES: readonly FollowUp[] = [];

type AnyHandler = (m: ClientMessage, c: ConnectionContext, s: ServerContext) => HandlerAnswer;

export class ClientConnection implements Outbox, ConnectionContext {
  readonly id = nextId++;
  token: string;
  /** Cleared when a ping goes out, set by the pong; still clear at the next ping = dead. */
  isAlive = true;
  /**
   * When the client was last heard (any frame, a ping or pong included), on the server's
   * clock: a LAN host whose guests all went quiet may be the one cut off (hosting-plane.ts).
   */
  heardAt: number;
  private readonly budgets: ConnectionBudgets;
  private helloTimer: NodeJS.Timeout | null = null;
  private closing = false;
  /** Set by the handler running now when its answer may skip the commit (see answer()). */
  softAnswer = false;
  readonly nonce = newNonce();
  identityKey: string | null = null;
  protocol = 0;
  /** Answers held for their commit, and the frames produced after them. */
  private readonly sends = new OrderedSends();
  /** Frames the running handler queued to follow its answer. */
  private followUps: FollowUp[] = [];

  constructor(
    private readonly ws: WebSocket,
    private readonly server: ServerContext,
    private readonly options: ConnectionOptions,
    private readonly logger: Logger,
    readonly address: string,
  ) {
    const now = server.clock.now();
    this.heardAt = now;
    this.token = server.sessions.issue();
    const addressBudget = { budget: server.quotas, key: address };
    this.budgets = new ConnectionBudgets(
      options.rateLimit,
      server.quotas.options,
      addressBudget,
      now,
    );
    // First frame of protocol 1.2: what `hello.identity` signs. A 1.0 client ignores it.
    const { serverId, audience } = server.access;
    const challenge = { type: 'challenge', nonce: this.nonce, server_id: serverId };
    this.write(
      JSON.stringify(audience ? { ...challenge, audience: true } : challenge),
      'challenge',
    );
    if (options.helloTimeoutMs > 0) {
      this.helloTimer = setTimeout(() => this.close('no hello in time'), options.helloTimeoutMs);
      this.helloTimer.unref();
    }
  }

  attach(peerId: string): void {
    // A request finishing after the socket closed (a password hashed or checked meanwhile)
    // must not route to it: the close already detached this connection, so nothing would
    // ever remove that route, and it would keep the connection and its socket for good.
    if (this.ws.readyState === this.ws.CLOSED) return;
    this.server.presence.attach(peerId, this);
  }

  followUp(message: ServerMessageInput): void {
    this.followUps.push({ frame: JSON.stringify(message), type: message.type });
  }

  spendChurn(): void {
    this.budgets.spendChurn(this.server.clock.now());
  }

  spendSnapshot(bytes: number): void {
    this.budgets.spendSnapshot(this.server.clock.now(), bytes);
    this.server.quotas.spendSnapshot(this.address, bytes);
  }

  /**
   * A frame in order behind the answers still held for their commit (ordered-sends.ts).
   * `type`, when the caller knows it, spares the metrics reading it from the frame.
   */
  sendRaw(frame: string | Buffer, type?: ServerMessageType): void {
    if (!this.sends.waiting) return this.write(frame, type);
    // A string's length is a lower bound of its UTF-8 size: counted before it is encoded.
    if (!this.cutIfNotReading(frame.length))
      this.sends.send(() => this.write(frame, type), frame.length);
  }

  /**
   * Whether a frame the client can do without (a relayed signal) of `bytes` may be queued for
   * it: see SIGNAL_BACKLOG_BYTES.
   */
  hasRoomFor(bytes: number): boolean {
    const bound = Math.min(SIGNAL_BACKLOG_BYTES, this.options.maxBufferedBytes / 2);
    return this.unsentBytes + bytes <= bound;
  }

  /** What waits for the client: in the socket's buffer, and held behind an answer. */
  private get unsentBytes(): number {
    return this.ws.bufferedAmount + this.sends.waitingBytes;
  }

  /** true: more than maxBufferedBytes would wait for the client (sent and held), so it is cut. */
  private cutIfNotReading(adding: number): boolean {
    if (this.unsentBytes + adding <= this.options.maxBufferedBytes) return false;
    if (this.ws.readyState !== this.ws.OPEN) return true;
    this.logger.warn(`Connection ${this.id} (${this.address}) is not reading; disconnecting it`);
    this.ws.terminate();
    this.options.onNotReading?.(this.address);
    return true;
  }

  private write(frame: string | Buffer, type?: ServerMessageType): void {
    if (this.ws.readyState !== this.ws.OPEN || this.cutIfNotReading(0)) return;
    // A string goes to ws as it is: the socket encodes it while writing, in C++. Encoding it
    // here first (Buffer.from) cost the joiner's party_update answer (a few KiB) ~0.7 µs more
    // a send on loopback, and an 8 KiB buffer pool every three answers for the GC.
    this.ws.send(frame, { binary: false });
    this.server.metrics.sent(frame, type);
  }

  /** Closes with 1008 and `reason`; cuts the socket if the close handshake does not finish. */
  private close(reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.logger.warn(`Connection ${this.id} (${this.address}): ${reason}; closing it`);
    this.ws.close(CloseCode.POLICY, reason);
    setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS).unref();
  }

  /** The socket closed: stop the timers this connection holds. */
  dispose(): void {
    if (this.helloTimer) clearTimeout(this.helloTimer);
    this.helloTimer = null;
  }

  /**
   * `soft`: the answer depends on nothing durable (a heartbeat: last seen is soft state), so
   * it need not wait for a commit, unless an earlier answer on this connection still does.
   */
  private answer(
    message: HandlerAnswer,
    requestId: string | undefined,
    soft = false,
    retry?: () => void,
  ): void {
    if (message instanceof Promise) {
      message.then(
        (m) => this.answer(m, requestId, false, retry),
        (error: unknown) => this.fail(error, requestId),
      );
      return;
    }
    // Never the live array when empty: a frame queued by a later message must not ride here.
    const after = this.followUps.length > 0 ? this.followUps : NO_FRAMES;
    if (after.length > 0) this.followUps = [];
    // No closure on the soft path (a heartbeat): it is the hottest path the server has.
    if (soft && !this.sends.waiting) return this.sendAnswer(message, requestId, after);
    const send = this.sendLater(message, requestId, after);
    if (soft) return this.sends.send(send);
    const held = new HeldAnswer(this, this.sends.hold(), send, requestId, retry);
    this.server.committer.afterCommit(held);
  }

  /**
   * The answer's send, kept for later: a returned arrow has no name for tsx to keep (see
   * held-answer.ts).
   */
  private sendLater(
    message: ServerMessageInput | PartySnapshot | JsonAnswer,
    requestId: string | undefined,
    after: readonly FollowUp[],
  ): () => void {
    return () => this.sendAnswer(message, requestId, after);
  }

  get isClosing(): boolean {
    return this.closing;
  }

  /** The change this request made could not be stored: the client is told to try again. */
  storeFailed(requestId: string | undefined): void {
    this.server.metrics.failed('unavailable');
    this.write(
      JSON.stringify({
        type: 'error',
        message: 'The server could not store the change; try again',
        code: ErrorCode.UNAVAILABLE,
        ...(requestId === undefined ? {} : { request_id: requestId }),
      }),
      'error',
    );
  }

  private sendAnswer(
    message: ServerMessageInput | PartySnapshot | JsonAnswer,
    requestId: string | undefined,
    after: readonly FollowUp[],
  ): void {
    if (message instanceof PartySnapshot) {
      this.write(snapshotFrame(message, requestId, this.protocol), 'party_update');
    } else if (message instanceof JsonAnswer) {
      this.write(withRequestId(message.json, requestId), message.type);
    } else {
      this.write(withRequestId(JSON.stringify(message), requestId), message.type);
    }
    for (const { frame, type } of after) this.write(frame, type);
  }

  private fail(error: unknown, requestId: string | undefined): void {
    if (!(error instanceof ControlPlaneError)) {
      this.logger.error(`Connection ${this.id}: ${String(error)}`);
    }
    const said = errorMessage(error);
    const { message, code } = said;
    this.logger.debug(`Connection ${this.id} (${this.address}) answered ${code}: ${message}`);
    this.server.metrics.failed(code);
    this.answer({ type: 'error', ...said }, requestId);
  }

  /** Handles one frame; nothing a client sends can throw out of here. */
  handleFrame(data: RawData, isBinary = false): void {
    if (this.closing) return;
    let requestId: string | undefined;
    try {
      // Before the frame is read: reading is what a flood costs.
      if (!this.admit(data)) return;
      const frame = decodeFrame(data, isBinary);
      requestId = frame.requestId;
      if (!frame.ok) {
        this.server.metrics.received('invalid');
        return this.fail(frame.error, requestId);
      }
      const parsed = parseClientMessage(frame.value);
      this.server.metrics.received(parsed.success ? parsed.data.type : 'invalid');
      if (!parsed.success) return this.fail(schemaError('message', parsed.error), requestId);
      if (parsed.data.type === 'hello' || parsed.data.type === 'auth') this.dispose();
      this.dispatch(parsed.data, requestId, 0);
    } catch (error) {
      this.fail(error, requestId);
    }
  }

  private dispatch(message: ClientMessage, requestId: string | undefined, attempt: number): void {
    // The party is being read back after a refused commit: handled on it once it is.
    const held = 'party_id' in message && this.server.service.versions.heldBy(message.party_id);
    if (held) {
      void held.then(() => this.closing || this.dispatch(message, requestId, attempt));
      return;
    }
    try {
      const handler = handlers[message.type] as AnyHandler;
      this.softAnswer = false;
      if (this.followUps.length > 0) this.followUps = [];
      const answer = handler(message, this, this.server);
      const retry =
        attempt < CONFLICT_RETRIES
          ? () => this.dispatch(message, requestId, attempt + 1)
          : undefined;
      this.answer(answer, requestId, this.softAnswer, retry);
    } catch (error) {
      if (attempt === 0 && this.mayBeBehind(error, message)) {
        // Another server's change (a party just made there) may not have reached us yet.
        void this.server.refresh!([message.party_id]).then(
          () => this.closing || this.dispatch(message, requestId, attempt + 1),
        );
        return;
      }
      this.fail(error, requestId);
    }
  }

  private mayBeBehind(
    error: unknown,
    message: ClientMessage,
  ): message is ClientMessage & {
    party_id: string;
  } {
    return (
      this.server.refresh !== undefined &&
      error instanceof ControlPlaneError &&
      error.code === ErrorCode.NOT_FOUND &&
      'party_id' in message &&
      typeof message.party_id === 'string'
    );
  }

  /** The rate limits, the connection's and its address's: false when the frame is dropped. */
  private admit(data: RawData): boolean {
    if (!this.budgets.limited) return true;
    const decision = this.budgets.frame(this.server.clock.now(), frameBytes(data));
    if (decision === RateDecision.ALLOW) return true;
    if (decision === RateDecision.DISCONNECT) {
      this.closing = true;
      this.logger.warn(`Connection ${this.id} (${this.address}) is flooding; closing it`);
      // After the answers already held, so the client sees why.
      this.sends.send(() => this.ws.close(CloseCode.POLICY, 'rate limit exceeded'));
      return false;
    }
    if (decision === 'address') {
      this.logger.warn(`Address ${this.address} sends more than its message budget; refusing`);
    }
    const refusal = decision === 'address' ? ADDRESS_RATE_REFUSED : RATE_REFUSED;
    this.fail(refusal, requestIdOfRaw(data));
    return false;
  }
}
