import { describe, expect, it } from 'vitest';
import { relayedRoute, type StatsReport } from './route';

function report(local: string, remote: string, selected: string | null = 'pair1'): StatsReport {
  const stats = new Map<string, object>([
    ['t1', { type: 'transport', ...(selected ? { selectedCandidatePairId: selected } : {}) }],
    ['pair1', { type: 'candidate-pair', localCandidateId: 'l1', remoteCandidateId: 'r1' }],
    ['pair2', { type: 'candidate-pair', localCandidateId: 'l2', remoteCandidateId: 'r1' }],
    ['l1', { type: 'local-candidate', candidateType: local }],
    ['l2', { type: 'local-candidate', candidateType: 'relay' }],
    ['r1', { type: 'remote-candidate', candidateType: remote }],
  ]);
  return stats;
}

describe('relayedRoute', () => {
  it('is relayed when either end of the selected pair is a relay candidate', () => {
    expect(relayedRoute(report('relay', 'host'))).toBe(true);
    expect(relayedRoute(report('host', 'relay'))).toBe(true);
    expect(relayedRoute(report('host', 'srflx'))).toBe(false);
  });

  it('reads the selected pair only, and knows nothing before one is chosen', () => {
    expect(relayedRoute(report('host', 'host', 'pair2'))).toBe(true);
    expect(relayedRoute(report('host', 'host', null))).toBeNull();
    expect(relayedRoute(report('host', 'host', 'gone'))).toBeNull();
  });
});
