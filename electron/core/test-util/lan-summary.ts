/** A LAN party's public summary, as a host advertises it, for discovery tests. */
import type { LanPartySummary } from '../../../shared/lan-party';
import { PROTOCOL_VERSION } from '../../../shared/protocol/protocol';

export const lanSummary = (over: Partial<LanPartySummary> = {}): LanPartySummary => ({
  party_id: 'party_abc123',
  name: 'Gaming Night',
  host_name: 'Alice',
  peer_count: 1,
  max_peers: 256,
  protocol: PROTOCOL_VERSION,
  port: 8667,
  ...over,
});
