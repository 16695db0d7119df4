/**
 * Test support: a party with a door (join policies, approval) on a real server, on the
 * backend a suite runs on (BackendCases), with the host and joiners as raw protocol clients
 * and a clock the test moves.
 */
import { randomUUID } from 'node:crypto';
import type { BackendOptions } from '../../state/test-util/backend-cases';
import { clockAt, peerDict, TestRig, type RawClient } from '../../test-util/support';
import { eventually } from '../../../shared/test-support/eventually';
import type { TestIdentity } from './identity';
import { expireApprovals } from '../door';

export const PARTY = 'party_door';

export class DoorRig {
  readonly rig = new TestRig();
  /** The server's clock (epoch ms); tests move it. */
  now = Date.UTC(2026, 0, 29, 12);
  /** The backend of the suite running now (describe.each sets it). */
  backend: BackendOptions = () => Promise.resolve({});
  /** The `hello.version` the host declares (the seed's 1.0 client unless a test says). */
  hostVersion = '1.0';

  /** A server and a host with PARTY registered with these settings. */
  async hosted(settings: Record<string, unknown> = {}, approvalCheckMs = 20): Promise<RawClient> {
    const storage = await this.backend(randomUUID());
    const clock = clockAt(() => this.now);
    await this.rig.start({ ...storage, clock, approvalCheckMs });
    const host = await this.rig.connect();
    await host.request({ type: 'hello', version: this.hostVersion, client: 'lanrage' });
    await host.request({
      type: 'register_party',
      party_id: PARTY,
      name: 'P',
      host_peer: peerDict('h'),
      settings,
    });
    return host;
  }

  async joiner(identity?: TestIdentity): Promise<RawClient> {
    const c = await this.rig.connect();
    if (identity) await identity.hello(c);
    else await c.hello();
    return c;
  }

  join(c: RawClient, peerId: string, extra: Record<string, unknown> = {}) {
    return c.request({ type: 'join_party', party_id: PARTY, peer: peerDict(peerId), ...extra });
  }

  /** The host lets `peerId` in (or not). */
  answer(host: RawClient, peerId: string, accept = true) {
    return host.request({ type: 'answer_join', party_id: PARTY, peer_id: peerId, accept });
  }

  /**
   * Runs the approval check its timer runs every `approvalCheckMs` now, at the rig's `now`;
   * resolves once what it told is committed and sent (a shared store tells after the commit).
   */
  async checkApprovalsNow(): Promise<void> {
    const { context } = this.server;
    expireApprovals(context);
    await new Promise<void>((resolve, reject) =>
      context.committer.afterCommit({ onCommit: resolve, onFail: reject }),
    );
  }

  get approvals() {
    return this.server.context.access.approvals;
  }

  get server() {
    const server = this.rig.server;
    if (!server) throw new Error('no server started');
    return server;
  }

  /** The joiner's app closes while it waits; resolves once the server has marked its request. */
  async closeWhileWaiting(c: RawClient, peerId: string) {
    c.ws.close();
    await c.closed;
    const { approvals } = this;
    const gone = () => approvals.get(PARTY, peerId)?.goneAt !== undefined;
    await eventually(gone, 2000, `${peerId}'s request marked gone`, 10);
    return approvals;
  }
}
