/**
 * The sandboxed preload: exposes exactly one object, `window.lanrage`, built from the IPC
 * contract. No generic ipcRenderer reaches the page.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import {
  IPC_CHANNELS,
  STATE_EVENT_CHANNEL,
  ipcChannelName,
  type LanrageApi,
} from '../../shared/ipc/contract';
import type { StateEvent } from '../../shared/ipc/app-state';

function buildApi(): LanrageApi {
  const api: Record<string, unknown> = {};
  for (const channel of IPC_CHANNELS) {
    const name = ipcChannelName(channel);
    api[channel] = (request: unknown): Promise<unknown> => ipcRenderer.invoke(name, request ?? {});
  }
  api.onStateEvent = (listener: (event: StateEvent) => void): (() => void) => {
    const handler = (_event: IpcRendererEvent, payload: StateEvent): void => listener(payload);
    ipcRenderer.on(STATE_EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(STATE_EVENT_CHANNEL, handler);
    };
  };
  // Every key of LanrageApi was set above: the loop covers IPC_CHANNELS, the contract's keys.
  return Object.freeze(api) as LanrageApi;
}

contextBridge.exposeInMainWorld('lanrage', buildApi());
