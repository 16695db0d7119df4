/**
 * An app service driven as its page drives it: each call goes through the IPC dispatch (its
 * schema checks and `{ok, value} | {ok: false, error}` answers), and tests wait for what the
 * page would see.
 */
import type { IpcResult } from '../../../shared/ipc/contract';
import { dispatch } from '../app-service/ipc-registry';
import type { AppService } from '../app-service/types';
import { waitFor } from './child-process';
import { silentLogger } from '../../../shared/logger';

export async function callApp<T = unknown>(
  service: AppService,
  channel: string,
  request: unknown = {},
): Promise<IpcResult<T>> {
  return (await dispatch(service.handlers, channel, request, silentLogger)) as IpcResult<T>;
}

/** The value a call answers; a refusal throws, with its code and message. */
export async function appValue<T>(
  service: AppService,
  channel: string,
  request: unknown = {},
): Promise<T> {
  const result = await callApp<T>(service, channel, request);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** Resolves once `check` holds; throws after `ms`. */
export async function until(check: () => boolean, ms = 5000): Promise<void> {
  await waitFor(check, ms);
}
