/** Builders for tests: contract-shaped values and a recording fake of the API. */
import type {
  AppState,
  InvitePreview,
  PartyView,
  PeerView,
  StateEvent,
} from '../../../shared/ipc/app-state';
import type { ConnectionStatus } from '../../../shared/status';
import {
  IPC_CHANNELS,
  type IpcChannel,
  type IpcResult,
  type LanrageApi,
} from '../../../shared/ipc/contract';
import { PartySettingsSchema } from '../../../shared/party/settings';
import { previewOf } from '../../../shared/ipc/invite-preview';

export const T0 = Date.parse('2026-01-29T12:00:00Z');

export function iso(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '');
}

export function makePeer(id: string, changes: Partial<PeerView> = {}): PeerView {
  return {
    peer_id: id,
    name: id.charAt(0).toUpperCase() + id.slice(1),
    public_key: `key-${id}`,
    nat_type: 'full_cone',
    public_ip: '203.0.113.42',
    public_port: 51820,
    local_ip: '192.168.1.100',
    local_port: 51820,
    last_seen: iso(T0),
    ...changes,
  };
}

export function makeParty(
  hostId: string,
  others: string[] = [],
  changes: Partial<PartyView> = {},
): PartyView {
  const peers: Record<string, PeerView> = {};
  for (const id of [hostId, ...others]) peers[id] = makePeer(id);
  return {
    party_id: 'party_abc123',
    name: 'Gaming Night',
    host_id: hostId,
    created_at: iso(T0),
    peers,
    arrival: [hostId, ...others],
    presence: {},
    settings: PartySettingsSchema.parse({}),
    ...changes,
  };
}

export function makeStatus(changes: Partial<ConnectionStatus> = {}): ConnectionStatus {
  return {
    state: 'connected',
    serverUrl: 'ws://127.0.0.1:9000/ws',
    reconnectAttempt: 0,
    maxReconnectAttempts: 5,
    lastHeartbeatAt: T0,
    lastHeartbeatRttMs: 12,
    heartbeatIntervalMs: 30_000,
    peerTimeoutMs: 300_000,
    everConnected: true,
    retryDelayMs: 5000,
    ...changes,
  };
}

/** A clicked link's preview that nothing was looked up for (a party on another server). */
export function makeInvite(changes: Partial<InvitePreview> = {}): InvitePreview {
  return { ...previewOf('party_abc12345', null, { server: 'wss://play.example.org' }), ...changes };
}

export function makeState(changes: Partial<AppState> = {}): AppState {
  return {
    status: makeStatus(),
    me: makePeer('alice'),
    party: null,
    discovered: [],
    settings: {
      peer_name: 'Alice',
      control_server: 'ws://127.0.0.1:9000/ws',
      voice_volumes: {},
      relay_only: false,
      mute_shortcut: null,
    },
    notices: [],
    invite: null,
    first_run: false,
    activity: [],
    ended: null,
    pending_join: null,
    join_requests: [],
    global_shortcuts: false,
    ...changes,
  };
}

type Handler = (request: unknown) => Promise<IpcResult<unknown>> | IpcResult<unknown>;

/** A LanrageApi whose answers the test scripts per channel; records every call. */
export function fakeApi(handlers: Partial<Record<IpcChannel, Handler>> = {}) {
  const calls: { channel: IpcChannel; request: unknown }[] = [];
  const listeners = new Set<(event: StateEvent) => void>();
  const api = Object.fromEntries(
    IPC_CHANNELS.map((channel) => [
      channel,
      async (request: unknown) => {
        calls.push({ channel, request });
        const handler = handlers[channel];
        if (!handler)
          return { ok: false, error: { code: 'internal', message: `no fake for ${channel}` } };
        return handler(request);
      },
    ]),
  ) as unknown as LanrageApi;
  api.onStateEvent = (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  return { api, calls, emit: (event: StateEvent) => listeners.forEach((l) => l(event)) };
}
