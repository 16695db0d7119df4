import {
  IPC_CHANNELS,
  type IpcChannel,
  type IpcResult,
  type LanrageApi,
} from '../../../shared/ipc/contract';

/** What a user's action says when it was not sent because the app had stopped answering. */
export const NOT_SENT_WHILE_FROZEN =
  'The LANrage app is not responding, so this was not sent. Try again once it answers.';

const REFUSED: IpcResult<never> = {
  ok: false,
  error: { code: 'unreachable', message: NOT_SENT_WHILE_FROZEN },
};

/**
 * The API as the store's actions use it: while the app leaves the page's asks unanswered
 * (bridge/app-watch.ts), a call is refused at once instead of sent. A frozen app does what it
 * was asked once it runs again, maybe half a minute after the click and after the user gave up
 * on it, so a Leave clicked then might end a party the user went on playing in; and the call
 * would only have said it had no answer after its 30 s. The page's own watch, the snapshots it
 * takes and the calls made for voice and screen signals use the API itself.
 */
export function whileAnswering(api: LanrageApi, answering: () => boolean): LanrageApi {
  const gated = (channel: IpcChannel) => {
    const send = api[channel] as (request: unknown) => Promise<IpcResult<unknown>>;
    return (request: unknown) => (answering() ? send.call(api, request) : Promise.resolve(REFUSED));
  };
  const channels = Object.fromEntries(IPC_CHANNELS.map((channel) => [channel, gated(channel)]));
  // One entry per channel of the contract, each calling the same channel's function.
  return {
    ...(channels as Omit<LanrageApi, 'onStateEvent'>),
    onStateEvent: (listener) => api.onStateEvent(listener),
  };
}
