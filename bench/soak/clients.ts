/**
 * The soak's clients: short-lived peers from many loopback addresses (bench/load's
 * PeerClient), the hub's long-lived hosts of the parties that last the whole run, and a
 * tally of what every request was answered with, so a soak whose requests fail says so.
 */
import { TestIdentity } from '../../server/access/test-util/identity';
import { PeerClient, ServerRefusal, peerDict, type WireMessage } from '../load/peer-client';

const CONNECT_TIMEOUT_MS = 10_000;
const noSink = (): void => undefined;

/**
 * The steps an error answer is expected of: a wrong password, by design; a signal to a host
 * on the other server on Redis, refused now and then when, under the soak's short heartbeat,
 * that server sees the host away for a moment. Any other step's refusal is unexpected.
 */
const REFUSALS_EXPECTED = new Set(['wrong_password', 'drop_signal']);

/** Answers by step and outcome (`join:party_update`, `wrong_password:refused`, …). */
export class Tally {
  readonly counts = new Map<string, number>();

  add(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** No answer at all, or an error answer from a step that should have succeeded. */
  get failures(): number {
    let n = 0;
    for (const [key, count] of this.counts) {
      const [step = '', outcome] = key.split(':');
      const refusedWrongly = outcome === 'refused' && !REFUSALS_EXPECTED.has(step);
      if (outcome === 'failed' || refusedWrongly) n += count;
    }
    return n;
  }
}

/** A connected peer from `address`; `sink` gets what is not an answer. */
export async function connectFrom(
  url: string,
  address: string,
  peerId: string,
  sink: (message: WireMessage) => void = noSink,
): Promise<PeerClient> {
  const client = new PeerClient(peerId, '', false, (_c, message) => sink(message));
  await client.connect(url, CONNECT_TIMEOUT_MS, address);
  return client;
}

/** A connected peer that said hello (a new session). */
export async function helloFrom(url: string, address: string, peerId: string) {
  const client = await connectFrom(url, address, peerId);
  await client.request({ type: 'hello', version: '1.5', client: 'soak' });
  return client;
}

/** A connected peer that proved a new identity key in hello (its ids are bound to it). */
export async function identityHelloFrom(url: string, address: string, peerId: string) {
  let challenged: (message: WireMessage) => void = noSink;
  const challenge = new Promise<WireMessage>((resolve) => (challenged = resolve));
  const sink = (m: WireMessage): void => (m.type === 'challenge' ? challenged(m) : undefined);
  const client = await connectFrom(url, address, peerId, sink);
  const { server_id, nonce } = await challenge;
  const identity = new TestIdentity();
  const signature = identity.prove(String(server_id), String(nonce));
  const proof = { public_key: identity.publicKey, signature };
  await client.request({ type: 'hello', version: '1.5', client: 'soak', identity: proof });
  return client;
}

/**
 * Sends a request and tallies `step:<answer type>`, `step:refused` (an error answer) or
 * `step:failed` (no answer, socket gone); never throws. Returns the answer, if any.
 */
export async function attempt(
  tally: Tally,
  step: string,
  client: PeerClient,
  message: Omit<WireMessage, 'request_id'>,
): Promise<WireMessage | null> {
  try {
    return await attemptOnce(tally, step, client, message);
  } catch (error) {
    return refused(tally, step, error);
  }
}

/**
 * `attempt` for a hub host's requests: the hubs' hosts act for every lane at once and can
 * outrun their connection's rate limit (20 a second), which a real host never does; a
 * refused answer would leave its request waiting until it expires, read as growth.
 */
export async function attemptPaced(
  tally: Tally,
  step: string,
  client: PeerClient,
  message: Omit<WireMessage, 'request_id'>,
): Promise<WireMessage | null> {
  for (let tries = 1; ; tries++) {
    try {
      return await attemptOnce(tally, step, client, message);
    } catch (error) {
      if (!(error instanceof ServerRefusal) || error.code !== 'rate_limited' || tries === 20) {
        return refused(tally, step, error);
      }
      tally.add(`${step}:paced`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

async function attemptOnce(
  tally: Tally,
  step: string,
  client: PeerClient,
  message: Omit<WireMessage, 'request_id'>,
): Promise<WireMessage> {
  const answer = await client.request(message);
  tally.add(`${step}:${answer.type}`);
  return answer;
}

function refused(tally: Tally, step: string, error: unknown): null {
  tally.add(`${step}:${error instanceof ServerRefusal ? 'refused' : 'failed'}`);
  return null;
}

export { peerDict };

/** One of the hub's parties, held by its host on a connection of its own (own rate budget). */
export class HubParty {
  private readonly beat: NodeJS.Timeout;

  private constructor(
    readonly partyId: string,
    readonly hostId: string,
    readonly host: PeerClient,
    beatMs: number,
  ) {
    const message = { type: 'heartbeat', party_id: partyId, peer_id: hostId, rtt_ms: 1 };
    this.beat = setInterval(() => void host.request(message).catch(noSink), beatMs);
  }

  static async start(
    url: string,
    partyId: string,
    settings: Record<string, unknown>,
    beatMs: number,
  ): Promise<HubParty> {
    const hostId = `${partyId}-host`;
    const host = await helloFrom(url, '127.0.0.1', hostId);
    const register = {
      type: 'register_party',
      party_id: partyId,
      name: 'Soak',
      host_peer: peerDict(hostId, 0),
      settings,
    };
    const answer = await host.request(register);
    if (answer.type !== 'party_update') throw new Error(`${partyId}: ${JSON.stringify(answer)}`);
    return new HubParty(partyId, hostId, host, beatMs);
  }

  stop(): void {
    clearInterval(this.beat);
    this.host.close();
  }
}

export const HUB_PASSWORD = 'soak-right-password';

/** The parties that last the whole run: open, password and approval. */
export interface Hub {
  open: HubParty;
  password: HubParty;
  approval: HubParty;
  stop(): void;
}

/** Each host beats well within the presence check's two intervals. */
export async function startHub(url: string, heartbeatMs: number): Promise<Hub> {
  const beatMs = Math.max(50, Math.floor(heartbeatMs / 2));
  const open = await HubParty.start(url, 'soak-open-party', {}, beatMs);
  const password = await HubParty.start(
    url,
    'soak-password-party',
    { join_policy: 'password', password: HUB_PASSWORD },
    beatMs,
  );
  const approval = await HubParty.start(
    url,
    'soak-approval-party',
    { join_policy: 'approval' },
    beatMs,
  );
  const stop = (): void => [open, password, approval].forEach((p) => p.stop());
  return { open, password, approval, stop };
}
