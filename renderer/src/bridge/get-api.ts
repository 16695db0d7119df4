/**
 * The contract the UI talks to: the preload's `window.lanrage` inside Electron, otherwise
 * (headless mode, a plain browser) the same contract over the page's own WebSocket.
 */
import type { LanrageApi } from '../../../shared/ipc/contract';
import { createWsApi, type WsApiOptions } from './ws-api';

export function bridgeUrl(location: Pick<Location, 'protocol' | 'host' | 'search'>): string {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/ipc?token=${encodeURIComponent(token)}`;
}

export function getApi(onConnectionChange?: WsApiOptions['onConnectionChange']): LanrageApi {
  if (window.lanrage) return window.lanrage;
  return createWsApi({ url: bridgeUrl(window.location), onConnectionChange });
}
