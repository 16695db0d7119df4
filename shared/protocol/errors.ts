import type { ErrorCode } from './protocol';

/**
 * The codes the app adds to the wire's (shared/protocol/protocol.ts ErrorCode) for what happens on
 * its side of a connection. A code a server sends that is neither arrives as `error`
 * (`knownErrorCode`), so code that compares a ControlPlaneError's code with one that cannot
 * occur (a typo, a code no one sends) fails to compile instead of never matching.
 */
export const AppErrorCode = {
  /** Nothing answered at the server's address. */
  UNREACHABLE: 'unreachable',
  /** A request got no answer in time. */
  TIMEOUT: 'timeout',
  /** A server answered with something the protocol does not allow. */
  BAD_ANSWER: 'bad_answer',
  /** A setting or a settings file cannot be used. */
  BAD_CONFIG: 'bad_config',
  /** I stopped waiting to be let in (a join request I cancelled). */
  CANCELLED: 'cancelled',
  /** Anything else: a server's code this app does not know, or no code at all. */
  ERROR: 'error',
} as const;
export type AppErrorCode = (typeof AppErrorCode)[keyof typeof AppErrorCode];

export type ControlPlaneErrorCode = ErrorCode | AppErrorCode;

/**
 * The longest wait a `rate_limited` error's `retry_after_s` may announce (an hour): a longer
 * one, or one not a whole number of seconds, is a hostile or broken server's and is ignored.
 */
export const MAX_RETRY_AFTER_S = 3600;

/** `value` as such a wait, or undefined when it is none. */
export function boundedRetryAfterS(value: unknown): number | undefined {
  const ok =
    Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_RETRY_AFTER_S;
  return ok ? (value as number) : undefined;
}

/**
 * Raised by every control plane operation that cannot be carried out; `message` is fit to show a
 * user.
 */
export class ControlPlaneError extends Error {
  /** Short machine-readable reason, the wire protocol's where one applies. */
  readonly code: ControlPlaneErrorCode;
  /** The offending field, when the error is about one piece of data. */
  readonly field: string | undefined;
  /** Seconds until asking again may succeed (`rate_limited` with a known wait). */
  readonly retryAfterS: number | undefined;

  constructor(
    message: string,
    options: {
      code?: ControlPlaneErrorCode;
      field?: string;
      cause?: unknown;
      retryAfterS?: number;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ControlPlaneError';
    this.code = options.code ?? AppErrorCode.ERROR;
    this.field = options.field;
    this.retryAfterS = options.retryAfterS;
  }
}
