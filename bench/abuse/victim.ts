/**
 * The well-behaved client of bench:abuse, from 127.0.0.1 like a player: a host holds the
 * party; each sample is a fresh connection that says hello, joins (timed: request to
 * answer), leaves and disconnects, as the app does when someone joins a friend's party.
 */
import { PeerClient, peerDict } from '../load/peer-client';

export interface Samples {
  join_ms: number[];
  failed: number;
  first_error: string | null;
}

const PARTY = 'victim-party';
const TIMEOUT_MS = 10_000;
const noSink = (): void => {};
let serial = 0;

/** The host heartbeats like the app would, or the sweep ends the party in a long run. */
const HEARTBEAT_MS = 20_000;

export class Victim {
  private readonly beat = setInterval(() => {
    this.host
      .request({ type: 'heartbeat', party_id: PARTY, peer_id: 'victim-host' })
      .catch(() => {});
  }, HEARTBEAT_MS);

  private constructor(
    private readonly url: string,
    private readonly host: PeerClient,
  ) {}

  static async start(url: string): Promise<Victim> {
    const host = new PeerClient('victim-host', PARTY, true, noSink);
    await host.connect(url, TIMEOUT_MS);
    await host.request({ type: 'hello' });
    const hostPeer = peerDict('victim-host', 0);
    await host.request({ type: 'register_party', party_id: PARTY, name: 'V', host_peer: hostPeer });
    return new Victim(url, host);
  }

  async sample(count: number, gapMs: number): Promise<Samples> {
    const out: Samples = { join_ms: [], failed: 0, first_error: null };
    for (let i = 0; i < count; i += 1) {
      try {
        out.join_ms.push(await this.joinOnce());
      } catch (error) {
        out.failed += 1;
        out.first_error ??= error instanceof Error ? error.message : String(error);
      }
      await new Promise((resolve) => setTimeout(resolve, gapMs));
    }
    return out;
  }

  private async joinOnce(): Promise<number> {
    const peerId = `victim-${++serial}`;
    const client = new PeerClient(peerId, PARTY, false, noSink);
    try {
      await client.connect(this.url, TIMEOUT_MS);
      await client.request({ type: 'hello' });
      const t0 = performance.now();
      await client.request({ type: 'join_party', party_id: PARTY, peer: peerDict(peerId, serial) });
      const ms = performance.now() - t0;
      await client.request({ type: 'leave_party', party_id: PARTY, peer_id: peerId });
      return ms;
    } finally {
      client.close();
    }
  }

  close(): void {
    clearInterval(this.beat);
    this.host.close();
  }
}
