import { PeerInfo } from '../../../shared/model';
import type { SettingsView } from '../../../shared/ipc/app-state';

/** The spec's own example control_state.json, verbatim. */
export const SPEC_STATE_JSON = `{
  "parties": {
    "party_abc123": {
      "party_id": "party_abc123",
      "name": "Gaming Night",
      "host_id": "peer123",
      "created_at": "2026-01-29T12:00:00",
      "peers": {
        "peer123": {
          "peer_id": "peer123",
          "name": "Alice",
          "public_key": "base64_key...",
          "nat_type": "full_cone",
          "public_ip": "203.0.113.42",
          "public_port": 51820,
          "local_ip": "192.168.1.100",
          "local_port": 51820,
          "last_seen": "2026-01-29T12:05:00"
        }
      }
    }
  },
  "my_peer_id": "peer123",
  "my_party_id": "party_abc123"
}
`;

export function makePeer(peerId: string, name = peerId, lastSeen = new Date(0)): PeerInfo {
  return new PeerInfo({
    peerId,
    name,
    publicKey: 'k'.repeat(43) + '=',
    natType: 'full_cone',
    publicIp: '127.0.0.1',
    publicPort: 51820,
    localIp: '127.0.0.1',
    localPort: 51820,
    lastSeen,
  });
}

/** The settings a fresh install shows, with `peerName` and any `changed` keys. */
export function settingsView(peerName: string, changed: Partial<SettingsView> = {}): SettingsView {
  return {
    peer_name: peerName,
    control_server: null,
    voice_volumes: {},
    relay_only: false,
    mute_shortcut: null,
    ...changed,
  };
}
