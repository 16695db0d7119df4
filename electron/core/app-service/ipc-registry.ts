/**
 * The main side of the IPC contract: one handler per channel, and a dispatcher that
 * validates every request, and answers an IpcResult envelope instead of throwing across
 * the bridge. Used by Electron's ipcMain and by the headless WebSocket bridge alike.
 */
import type { z } from 'zod';
import {
  boundedRetryAfterS,
  ControlPlaneError,
  type ControlPlaneErrorCode,
} from '../../../shared/protocol/errors';
import { IpcErrorCode, ipcContract } from '../../../shared/ipc/contract';
import { withDetail, type Logger } from '../../../shared/logger';
import type {
  IpcChannel,
  IpcContract,
  IpcError,
  IpcResponse,
  IpcResult,
} from '../../../shared/ipc/contract';

/** The parsed (post-zod) request of a channel: what a handler receives. */
export type IpcParsedRequest<C extends IpcChannel> = z.output<IpcContract[C]['request']>;

/** Every channel must have a handler: a missing one is a compile error. */
export type IpcHandlers = {
  [C in IpcChannel]: (request: IpcParsedRequest<C>) => Promise<IpcResponse<C>>;
};

/**
 * ControlPlaneError codes (the wire's and the app's own) → what the renderer is told. Every
 * code has its entry: a new one does not compile until it is given one here.
 */
const CODE_MAP: Readonly<Record<ControlPlaneErrorCode, IpcErrorCode>> = {
  bad_request: IpcErrorCode.BAD_REQUEST,
  too_large: IpcErrorCode.BAD_REQUEST,
  /** A setting or settings file that cannot be used. */
  bad_config: IpcErrorCode.BAD_REQUEST,
  not_found: IpcErrorCode.NOT_FOUND,
  conflict: IpcErrorCode.CONFLICT,
  forbidden: IpcErrorCode.FORBIDDEN,
  unreachable: IpcErrorCode.UNREACHABLE,
  unavailable: IpcErrorCode.UNREACHABLE,
  timeout: IpcErrorCode.UNREACHABLE,
  // Not now, maybe later: the server's message says which limit and for how long.
  rate_limited: IpcErrorCode.UNREACHABLE,
  quota_exceeded: IpcErrorCode.UNREACHABLE,
  /** The control server answered something other than what was asked. */
  bad_answer: IpcErrorCode.UNREACHABLE,
  /** A fault on the server, or a code this app does not know: the message says what. */
  internal: IpcErrorCode.INTERNAL,
  error: IpcErrorCode.INTERNAL,
  password_required: IpcErrorCode.PASSWORD_REQUIRED,
  wrong_password: IpcErrorCode.WRONG_PASSWORD,
  party_full: IpcErrorCode.PARTY_FULL,
  locked: IpcErrorCode.LOCKED,
  banned: IpcErrorCode.BANNED,
  invite_invalid: IpcErrorCode.INVITE_INVALID,
  rejected: IpcErrorCode.REJECTED,
  join_expired: IpcErrorCode.JOIN_EXPIRED,
  join_ended: IpcErrorCode.JOIN_ENDED,
  party_ended: IpcErrorCode.PARTY_ENDED,
  cancelled: IpcErrorCode.CANCELLED,
};

export function isIpcChannel(channel: string): channel is IpcChannel {
  return Object.prototype.hasOwnProperty.call(ipcContract, channel);
}

/** A zod failure as one sentence naming the first bad field. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'Invalid request.';
  const field = issue.path.map(String).join('.');
  return field ? `Invalid ${field}: ${issue.message}` : `Invalid request: ${issue.message}`;
}

/**
 * Maps anything a handler threw to the error the renderer sees. Anything but a
 * ControlPlaneError is a fault of ours: `logger` gets it at error level, with its stack.
 */
export function toIpcError(err: unknown, logger: Logger): IpcError {
  if (err instanceof ControlPlaneError) {
    const wait = err.code === 'rate_limited' ? boundedRetryAfterS(err.retryAfterS) : undefined;
    const retry = wait === undefined ? {} : { retry_after_s: wait };
    return { code: CODE_MAP[err.code], message: err.message, ...retry };
  }
  logger.error(withDetail('IPC handler failed', err, true));
  return { code: IpcErrorCode.INTERNAL, message: 'Something went wrong inside LANrage.' };
}

export function ipcFailure(code: IpcErrorCode, message: string): { ok: false; error: IpcError } {
  return { ok: false, error: { code, message } };
}

/**
 * Validates `raw` against `channel`'s request schema, runs its handler, and checks the
 * answer against the response schema (a contract break is our bug: reported as internal).
 * Never throws.
 */
export async function dispatch(
  handlers: IpcHandlers,
  channel: string,
  raw: unknown,
  logger: Logger,
): Promise<IpcResult<unknown>> {
  if (!isIpcChannel(channel)) {
    return ipcFailure(IpcErrorCode.BAD_REQUEST, `Unknown request "${String(channel)}".`);
  }
  return dispatchChannel(handlers, channel, raw, logger);
}

async function dispatchChannel<C extends IpcChannel>(
  handlers: IpcHandlers,
  channel: C,
  raw: unknown,
  logger: Logger,
): Promise<IpcResult<IpcResponse<C>>> {
  const contract = ipcContract[channel];
  const parsed = contract.request.safeParse(raw);
  if (!parsed.success) {
    return ipcFailure(IpcErrorCode.BAD_REQUEST, describeZodError(parsed.error));
  }
  const handler = handlers[channel] as (request: unknown) => Promise<unknown>;
  let value: unknown;
  try {
    value = await handler(parsed.data);
  } catch (err) {
    return { ok: false, error: toIpcError(err, logger) };
  }
  const checked = contract.response.safeParse(value);
  if (!checked.success) {
    logger.error(
      withDetail(`IPC handler for ${channel} answered outside the contract`, checked.error),
    );
    return ipcFailure(IpcErrorCode.INTERNAL, 'Something went wrong inside LANrage.');
  }
  return { ok: true, value: checked.data as IpcResponse<C> };
}

/** Runtime guard for handler tables built dynamically (e.g. in tests or plugins). */
export function missingHandlers(handlers: Partial<Record<string, unknown>>): IpcChannel[] {
  return (Object.keys(ipcContract) as IpcChannel[]).filter(
    (c) => typeof handlers[c] !== 'function',
  );
}
