/**
 * One WebSocket connection to the control server: requests matched to their answers by
 * `request_id`, every incoming frame validated against the protocol schema, and
 * everything else (pushes) handed to the owner.
 */
import { WebSocket } from 'ws';
import { ControlPlaneError } from '../../../../shared/protocol/errors';
import type { ServerMessage } from '../../../../shared/protocol/protocol';
import type { ClientMessageInput } from '../../../../shared/protocol/client-messages';
import type { Logger } from '../../../../shared/logger';
import type { Clock, TimerHandle } from '../../../../shared/time/clock';
import { dialFailure, failureInWords, OlderProtocolError } from './connect-words';
import { readServerFrame, refusal } from './server-frame';
import { DEFAULT_LIVENESS, LinkLiveness, type Liveness } from './link-liveness';
import {
  isUnanswered,
  pinOf,
  plainFallbackOf,
  showsPinnedCertificate,
  shownUrl,
} from './pinned-tls';

const NOT_PINNED = 'its certificate is not the one announced on the LAN';
/** ws's words, which isUnanswered (pinned-tls.ts) reads as a port that did not answer. */
const HANDSHAKE_TIMED_OUT = 'Opening handshake has timed out';

export interface WsClientOptions {
  clock: Clock;
  logger: Logger;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  /** Extra trusted CA (PEM) for wss://, e.g. a self-signed certificate. */
  ca?: string | Buffer;
  /** A message that answers no request of ours. */
  onPush: (message: ServerMessage) => void;
  /**
   * An answer to `request`, seen as it arrives, before the frames after it: whoever awaits
   * the request resumes only later, after pushes that came in the same read (an answer's
   * event number must be known before the next push is judged a gap).
   */
  onAnswer?: (request: ClientMessageInput, answer: ServerMessage) => void;
  /** The connection ended (not called after our own close()). */
  onClose: (code: number) => void;
  /** How a link the network dropped silently is found dead (default DEFAULT_LIVENESS). */
  liveness?: Liveness;
  /** A ping went unanswered (true: the server is not answering), or it was heard again. */
  onQuiet?: (quiet: boolean) => void;
  /** Whether a LAN host's TLS port not answering may be tried at its plain port (default). */
  plainFallback?: boolean;
}

/**
 * What onClose is told when the link was ended for its silence (never sent: 4000-4999 are
 * the application's): its server may be asleep rather than gone (hosting-plane.ts waits).
 */
export const CLOSE_SILENT = 4000;

/** Whether a failed connect was refused: the machine answered, nothing listens on the port. */
export function wasRefused(error: unknown): boolean {
  return causeCode(error) === 'ECONNREFUSED';
}

/** Whether a connection failed for want of a network here: no route out of this PC. */
export function hadNoNetwork(error: unknown): boolean {
  const code = causeCode(error);
  return code === 'ENETUNREACH' || code === 'ENETDOWN';
}

function causeCode(error: unknown): unknown {
  const cause = (error as { cause?: unknown } | null)?.cause;
  return (cause as { code?: unknown } | null)?.code;
}

interface Pending {
  message: ClientMessageInput;
  resolve: (message: ServerMessage) => void;
  reject: (error: ControlPlaneError) => void;
  timer: TimerHandle;
}

/** Answers from the server are bounded by party size (256 peers), not by our frame cap. */
const MAX_INCOMING_BYTES = 4 * 1024 * 1024;

function unavailable(message: string, cause?: unknown): ControlPlaneError {
  return new ControlPlaneError(message, { code: 'unavailable', cause });
}

export class WsClient {
  private readonly pending = new Map<string, Pending>();
  private nextRequest = 1;
  private closedByUs = false;
  private silent = false;
  private plainFallback = false;
  /** The hello waiting for welcome (hello()): the first other frame answers it too. */
  private greeting: string | null = null;
  private readonly liveness: LinkLiveness;

  private constructor(
    private readonly ws: WebSocket,
    private readonly options: WsClientOptions,
    /** The IP address the server was reached at (not its name): relay-scope.ts judges it. */
    readonly remoteAddress: string | undefined,
    /** The URL connected to: a LAN host's plain one after a fallback (proofs name it). */
    readonly url: string,
  ) {
    this.liveness = this.watchLiveness(options);
    const heard = (): void => this.liveness.heard();
    ws.on('ping', heard);
    ws.on('pong', heard);
    ws.on('message', (data, isBinary) => {
      heard();
      this.onRawFrame(data, isBinary);
    });
    ws.on('error', (error) => options.logger.warn(`Control server connection: ${error.message}`));
    ws.on('close', (code) => {
      this.liveness.stop();
      this.failAll(unavailable('Connection to the control server was lost'));
      if (!this.closedByUs) options.onClose(this.silent ? CLOSE_SILENT : code);
    });
  }

  /** Pings a quiet link; ends one quiet for too long (link-liveness.ts). */
  private watchLiveness(options: WsClientOptions): LinkLiveness {
    return new LinkLiveness(options.liveness ?? DEFAULT_LIVENESS, {
      isOpen: () => this.ws.readyState === WebSocket.OPEN,
      ping: () => this.ws.ping(),
      quiet: (quiet) => options.onQuiet?.(quiet),
      dead: (silentMs) => {
        const seconds = Math.round(silentMs / 1000);
        options.logger.warn(`The control server has not answered for ${seconds} s: link lost`);
        this.silent = true;
        this.ws.terminate();
      },
    });
  }

  /**
   * A LAN host's TLS port that does not answer (a firewall opened for its plain port only,
   * before hosts served TLS) is tried again at its plain port, and the log says so. A
   * certificate that is not the pinned one is never: that host is not the one announced.
   * @throws ControlPlaneError when the server cannot be reached within the timeout.
   */
  static async connect(url: string, options: WsClientOptions): Promise<WsClient> {
    try {
      return await WsClient.open(url, options);
    } catch (error) {
      const plain = plainFallbackOf(url);
      if (plain === null || !isUnanswered((error as Error).cause)) throw error;
      if (options.plainFallback === false) {
        options.logger.warn(`${(error as Error).message}; not trying ${plain}: it served TLS`);
        throw error;
      }
      options.logger.warn(`${(error as Error).message}; trying ${plain}, unencrypted`);
      const client = await WsClient.open(plain, options);
      client.plainFallback = true;
      return client;
    }
  }

  /** Whether this connection is a LAN host's plain port, its TLS port having not answered. */
  get fellBackToPlain(): boolean {
    return this.plainFallback;
  }

  private static open(url: string, options: WsClientOptions): Promise<WsClient> {
    return new Promise((resolve, reject) => {
      const pin = pinOf(url);
      const ws = new WebSocket(url, {
        handshakeTimeout: options.connectTimeoutMs,
        maxPayload: MAX_INCOMING_BYTES,
        ...(options.ca ? { ca: options.ca } : {}),
        // Self-signed: the pin, checked at the upgrade before anything is sent, is the check.
        ...(pin ? { rejectUnauthorized: false } : {}),
      });
      // ws's own handshakeTimeout is a socket idle timer: a port that takes the connection
      // and never completes TLS held a dial for twice as long.
      const { clock } = options;
      const timer = clock.setTimeout(
        () => fail(new Error(HANDSHAKE_TIMED_OUT)),
        options.connectTimeoutMs,
      );
      const fail = (error: Error): void => {
        clock.clearTimeout(timer);
        ws.removeAllListeners();
        ws.on('error', () => {});
        ws.terminate();
        const seconds = Math.max(1, Math.round(options.connectTimeoutMs / 1000));
        const why = error.message === NOT_PINNED ? NOT_PINNED : failureInWords(error, seconds);
        const message = dialFailure(shownUrl(url), why);
        reject(unavailable(message, error));
      };
      let remoteAddress: string | undefined;
      ws.once('upgrade', (response) => {
        remoteAddress = response.socket.remoteAddress;
        if (pin && !showsPinnedCertificate(response.socket, pin)) fail(new Error(NOT_PINNED));
      });
      ws.once('error', fail);
      ws.once('open', () => {
        clock.clearTimeout(timer);
        ws.off('error', fail);
        resolve(new WsClient(ws, options, remoteAddress, url));
      });
    });
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /**
   * Sends a request and resolves with the server's answer (within `timeoutMs`, by
   * default the client's request timeout).
   * @throws ControlPlaneError with the server's message and code on `error`, or on timeout.
   */
  request(
    message: ClientMessageInput,
    timeoutMs = this.options.requestTimeoutMs,
  ): Promise<ServerMessage> {
    if (!this.isOpen) return Promise.reject(unavailable('Not connected to the control server'));
    const requestId = `r${this.nextRequest++}`;
    return new Promise((resolve, reject) => {
      const timer = this.options.clock.setTimeout(() => {
        this.pending.delete(requestId);
        reject(
          new ControlPlaneError(`The control server did not answer ${message.type} in time`, {
            code: 'timeout',
          }),
        );
      }, timeoutMs);
      this.pending.set(requestId, { message, resolve, reject, timer });
      this.ws.send(JSON.stringify({ ...message, request_id: requestId }), (error) => {
        if (error)
          this.settle(requestId, unavailable(`Could not send ${message.type}: ${error.message}`));
      });
    });
  }

  /**
   * Sends hello; its answer is `welcome`. A server that sends anything else first (a 1.0
   * server's `error` without request_id, "Unknown message type: hello", or a frame we cannot
   * read) answered too: it speaks an older protocol (OlderProtocolError). `challenge` comes
   * before welcome (1.2); a welcome without request_id is taken as the answer. Silence stays
   * a timeout.
   */
  hello(message: ClientMessageInput, timeoutMs?: number): Promise<ServerMessage> {
    const answer = this.request(message, timeoutMs);
    const requestId = `r${this.nextRequest - 1}`;
    this.greeting = requestId;
    const done = () => {
      if (this.greeting === requestId) this.greeting = null;
    };
    answer.then(done, done);
    return answer;
  }

  /** A frame that answers no request came while hello waits: it is hello's answer. */
  private greeted(message: ServerMessage | null, what: string): void {
    if (this.greeting === null || message?.type === 'challenge') return;
    this.settle(
      this.greeting,
      message?.type === 'welcome' ? message : new OlderProtocolError(what),
    );
  }

  close(code = 1000): void {
    this.closedByUs = true;
    this.liveness.stop();
    this.failAll(unavailable('Disconnected from the control server'));
    if (this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
    else this.ws.close(code);
  }

  private failAll(error: ControlPlaneError): void {
    for (const [id, p] of this.pending) {
      this.options.clock.clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(error);
    }
  }

  /** Ends a pending request with `outcome` (an error rejects it); false if none was. */
  private settle(requestId: string, outcome: ServerMessage | ControlPlaneError): boolean {
    const pending = this.pending.get(requestId);
    if (!pending) return false;
    this.pending.delete(requestId);
    this.options.clock.clearTimeout(pending.timer);
    if (outcome instanceof ControlPlaneError) pending.reject(outcome);
    else {
      this.observeAnswer(pending.message, outcome);
      pending.resolve(outcome);
    }
    return true;
  }

  private observeAnswer(request: ClientMessageInput, answer: ServerMessage): void {
    try {
      this.options.onAnswer?.(request, answer);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.options.logger.warn(`Could not note the answer to ${request.type}: ${reason}`);
    }
  }

  /**
   * Nothing the server sends may throw into ws's socket handler: an unexpected failure is
   * logged, the frame dropped, and the connection goes on.
   */
  private onRawFrame(data: WebSocket.RawData, isBinary: boolean): void {
    try {
      if (isBinary) return this.options.logger.warn('Ignoring a binary frame from the server');
      const frame = readServerFrame(data);
      if (!frame.ok) return this.onMalformed(frame.json, frame.reason);
      const { message } = frame;
      const answer = message.type === 'error' ? refusal(message) : message;
      if (message.request_id && this.settle(message.request_id, answer)) return;
      const what =
        answer instanceof ControlPlaneError ? `an error ("${answer.message.slice(0, 200)}")` : null;
      this.greeted(message, what ?? message.type);
      this.push(message);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.options.logger.warn(`Ignoring a frame from the server that failed: ${reason}`);
    }
  }

  /** A push that cannot be applied is reported, never thrown into ws's socket handler. */
  private push(message: ServerMessage): void {
    try {
      this.options.onPush(message);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.options.logger.warn(`Ignoring a ${message.type} from the server: ${reason}`);
    }
  }

  /** A frame we cannot read: the request it answers (if we can tell) fails now, not on timeout. */
  private onMalformed(json: unknown, reason = 'not JSON'): void {
    this.options.logger.warn(`Ignoring a malformed message from the server: ${reason}`);
    const requestId = (json as { request_id?: unknown } | null)?.request_id;
    if (typeof requestId !== 'string') return this.greeted(null, `a message LANrage cannot read`);
    this.settle(
      requestId,
      unavailable(`The control server sent an answer LANrage cannot read (${reason})`),
    );
  }
}
