/**
 * Electron IPC over the contract: one ipcMain.handle per channel, each call checked to
 * come from the main frame of the app's own window showing the app's own page.
 */
import { ipcMain } from 'electron';
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import {
  IPC_CHANNELS,
  IpcErrorCode,
  ipcChannelName,
  STATE_EVENT_CHANNEL,
} from '../../shared/ipc/contract';
import type { AppService } from '../core/app-service/types';
import { dispatch, ipcFailure } from '../core/app-service/ipc-registry';
import type { Logger } from '../../shared/logger';
import { isAppPageUrl } from './app-url';
import { appPage } from './window';

function trusted(event: IpcMainInvokeEvent, win: BrowserWindow | null): boolean {
  const frame = event.senderFrame;
  if (!win || win.isDestroyed() || frame === null) return false;
  if (event.sender !== win.webContents || frame !== win.webContents.mainFrame) return false;
  return isAppPageUrl(frame.url, appPage());
}

/** Registers every channel; returns a function that unregisters them. */
export function registerIpc(
  service: AppService,
  window: () => BrowserWindow | null,
  logger: Logger,
): () => void {
  for (const channel of IPC_CHANNELS) {
    ipcMain.handle(ipcChannelName(channel), (event, request: unknown) => {
      if (!trusted(event, window())) {
        return ipcFailure(IpcErrorCode.FORBIDDEN, 'This request did not come from LANrage.');
      }
      return dispatch(service.handlers, channel, request, logger);
    });
  }
  const unsubscribe = service.onStateEvent((event) => {
    const win = window();
    if (win && !win.isDestroyed()) win.webContents.send(STATE_EVENT_CHANNEL, event);
  });
  return () => {
    unsubscribe();
    for (const channel of IPC_CHANNELS) ipcMain.removeHandler(ipcChannelName(channel));
  };
}
