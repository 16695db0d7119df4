/**
 * Flags for a control server under a load generator. All simulated peers connect from one
 * loopback address and some send faster than an app would, so the message rate limit, the
 * per-address connection cap and the per-address/per-connection quotas (party creations, join/leave
 * churn, update_peer coalescing, snapshot budgets) would measure refusals instead of the server;
 * this raises or turns them off. The connection cap stays bounded by
 * `ulimit -n` (the server lowers it to fit). bench:abuse keeps the production defaults.
 */
export const LOAD_SERVER_FLAGS: readonly string[] = [
  '--rate-limit',
  '0',
  '--max-connections',
  '1000000',
  '--max-connections-per-ip',
  '1000000',
  '--cut-backoff',
  '0',
  '--max-parties-per-peer',
  '0',
  '--max-parties-per-ip',
  '0',
  '--parties-per-minute',
  '0',
  '--peer-ids-per-minute',
  '0',
  '--joins-per-minute',
  '0',
  '--update-interval',
  '0',
  '--snapshot-kib-per-second',
  '0',
  '--snapshot-kib-per-second-per-ip',
  '0',
];
