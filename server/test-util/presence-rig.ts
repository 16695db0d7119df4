/**
 * Protocol 1.1 presence against a real server on a real socket with a manual clock
 * (heartbeat interval 1 s, peer timeout 10 s), on each backend: the server, members of one
 * party (P) and their heartbeats. Call `presenceRig` at the top level of the test file.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { ManualClock } from '../../electron/core/test-util/manual-clock';
import type { RunningServer } from '../server-core';
import { oneServerPerBackend, type BackendOptions } from '../state/test-util/backend-cases';
import { delay, peerDict, type Frame, type RawClient } from './support';

export const P = 'party_pres';

export const beat = (c: RawClient, peerId: string, rtt?: number) =>
  c.request({
    type: 'heartbeat',
    party_id: P,
    peer_id: peerId,
    ...(rtt === undefined ? {} : { rtt_ms: rtt }),
  });

export const statusOf = (c: RawClient, peerId: string, status: string) =>
  c.next((f) => f.type === 'peer_status' && f.peer_id === peerId && f.status === status);

/** Lets frames already sent reach the clients. */
export const settle = () => delay(50);

export const peerStatuses = (c: RawClient) => c.received.filter((f) => f.type === 'peer_status');

export function presenceRig() {
  const { backends, rig } = oneServerPerBackend();

  async function startOn(
    backendOptions: BackendOptions,
  ): Promise<{ clock: ManualClock; server: RunningServer }> {
    const clock = new ManualClock(Date.UTC(2026, 0, 29, 12));
    const server = await rig.start({
      ...(await backendOptions(randomUUID())),
      clock,
      heartbeatIntervalS: 1,
      peerTimeoutMs: 10_000,
      sweepIntervalMs: 1000,
    });
    return { clock, server };
  }

  /** A hello'd client whose peer registers P (as its host) or joins it. */
  async function member(
    peerId: string,
    how: 'register' | 'join',
    settings?: object,
  ): Promise<{ c: RawClient; token: string; answer: Frame }> {
    const c = await rig.connect();
    const token = await c.hello();
    const answer =
      how === 'register'
        ? await c.request({
            type: 'register_party',
            party_id: P,
            name: 'P',
            host_peer: peerDict(peerId),
            ...(settings ? { settings } : {}),
          })
        : await c.request({ type: 'join_party', party_id: P, peer: peerDict(peerId) });
    expect(answer.type).toBe('party_update');
    return { c, token, answer };
  }

  return { backends, rig, startOn, member };
}
