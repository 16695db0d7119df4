/**
 * An app service driven as its page drives it: each call goes through the IPC dispatch (its
 * schema checks and `{ok, value} | {ok: false, error}` answers), and tests wait for what the
 * page would see.
 */
import type { IpcResult } from '../../../shared/ipc/contract';
import { dispatch } from '../app-service/ipc-registry';
import type { AppService } from '../app-service/types';
import { waitFor } from './child-process';

export async function callApp<T = unknown>(
  service: AppService,
  channel: string,
  request: unknown = {},
): Promise<IpcResult<T>> {
  return (await dispatch(service.handlers, channel, request, () => {})) as IpcResult<T>;
}

/** Resolves once `check` holds; throws after `ms`. */
export async function until(check: () => boolean, ms = 5000): Promise<void> {
  await waitFor(check, ms);
}
