/**
 * The protocol suite's rig, run on each backend (`backends.cases`): a server with a 7 s
 * heartbeat interval and a 42 s peer timeout, hello'd raw clients, and a party of two.
 * Call `protocolRig` at the top level of the test file; `startOn` in its beforeEach.
 */
import { randomUUID } from 'node:crypto';
import type { RunningServer } from '../server-core';
import { oneServerPerBackend, type BackendOptions } from '../state/test-util/backend-cases';
import { peerDict, type RawClient } from './support';

export function protocolRig() {
  const { backends, rig } = oneServerPerBackend();

  async function startOn(backendOptions: BackendOptions): Promise<RunningServer> {
    const backend = await backendOptions(randomUUID());
    return rig.start({ heartbeatIntervalS: 7, peerTimeoutMs: 42_000, ...backend });
  }

  async function client(): Promise<RawClient> {
    const c = await rig.connect();
    await c.hello();
    return c;
  }

  /** peer123 hosts party_abc123, peer456 has joined, and the host heard of it. */
  async function partyOfTwo(): Promise<{ host: RawClient; guest: RawClient }> {
    const host = await client();
    const guest = await client();
    await host.request({
      type: 'register_party',
      party_id: 'party_abc123',
      name: 'Gaming Night',
      host_peer: peerDict('peer123'),
    });
    await guest.request({
      type: 'join_party',
      party_id: 'party_abc123',
      peer: peerDict('peer456'),
    });
    await host.nextOfType('peer_joined');
    return { host, guest };
  }

  return { backends, rig, startOn, client, partyOfTwo };
}
