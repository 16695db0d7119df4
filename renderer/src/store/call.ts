import type { IpcError, IpcResult } from '../../../shared/ipc/contract';

const UNREACHABLE_APP: IpcError = {
  code: 'unreachable',
  message: 'The LANrage app did not answer. Is it still running?',
};

/** Calls the API and folds a thrown error (bridge down) into the same error envelope. */
export async function call<T>(run: () => Promise<IpcResult<T>>): Promise<IpcResult<T>> {
  try {
    return await run();
  } catch (error) {
    const message =
      error instanceof Error && error.message ? error.message : UNREACHABLE_APP.message;
    return { ok: false, error: { code: 'unreachable', message } };
  }
}
