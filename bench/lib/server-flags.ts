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
  '--rate-limit-per-ip',
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

/**
 * LOAD_SERVER_FLAGS followed by `extra`, a flag set in both taken from `extra` alone (a
 * `--server-arg`, a durability check's own `--rate-limit`): the server refuses a flag given
 * twice rather than let the last one win unseen.
 */
export function loadServerFlags(extra: readonly string[] = []): string[] {
  const overridden = new Set(extra.filter((arg) => arg.startsWith('--')));
  const kept: string[] = [];
  for (let i = 0; i < LOAD_SERVER_FLAGS.length; i += 2) {
    const [flag, value] = [LOAD_SERVER_FLAGS[i]!, LOAD_SERVER_FLAGS[i + 1]!];
    if (!overridden.has(flag)) kept.push(flag, value);
  }
  return [...kept, ...extra];
}
