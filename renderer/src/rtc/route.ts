/**
 * Whether a WebRTC link's path goes through a relay, from its stats (the transport's selected
 * candidate pair, and the type of each end's candidate): a relay at either end means the
 * media passes through it.
 */

/** The part of RTCStatsReport read here (a Map of stats by id). */
export type StatsReport = Pick<RTCStatsReport, 'forEach' | 'get'>;

type Stats = { type?: unknown; selectedCandidatePairId?: unknown } & Record<string, unknown>;

/** True through a relay, false straight, null while no path is chosen. */
export function relayedRoute(report: StatsReport): boolean | null {
  let pairId: string | null = null;
  report.forEach((entry: unknown) => {
    const stats = entry as Stats;
    if (stats.type === 'transport' && typeof stats.selectedCandidatePairId === 'string') {
      pairId = stats.selectedCandidatePairId;
    }
  });
  const pair = pairId === null ? undefined : (report.get(pairId) as Stats | undefined);
  if (!pair) return null;
  const types = [pair.localCandidateId, pair.remoteCandidateId].map((id) =>
    typeof id === 'string' ? (report.get(id) as Stats | undefined)?.candidateType : undefined,
  );
  if (types.some((type) => typeof type !== 'string')) return null;
  return types.includes('relay');
}
