/**
 * The server's `challenge` (protocol 1.2, the first frame on a connection) and our answer
 * to it: `hello.identity`, our identity key signing the nonce and the server's id, and (1.7,
 * when the challenge asks) the origin we dialled, so that a hostile server passing on
 * another's challenge gets a proof that other server refuses. A server from before 1.2 sends
 * no challenge; after a short wait we say hello without an identity.
 */
import type { ServerMessage } from '../../../../shared/protocol/protocol';
import type { IdentitySigner } from '../../identity/identity-key';
import type { Clock } from '../../../../shared/time/clock';

/** A 1.2 server's challenge is its first frame: this is plenty, and short for an old one. */
export const CHALLENGE_WAIT_MS = 1000;

type Challenge = Extract<ServerMessage, { type: 'challenge' }>;

export interface HelloIdentity {
  public_key: string;
  signature: string;
  audience?: string;
}

/** One connection's challenge: delivered by the push handler, awaited by the hello. */
export class ChallengeBox {
  private challenge: Challenge | null = null;
  private waiter: ((c: Challenge) => void) | null = null;

  /** A push: true when it was the challenge (then nothing else handles it). */
  offer(message: ServerMessage): boolean {
    if (message.type !== 'challenge') return false;
    this.challenge ??= message;
    this.waiter?.(message);
    return true;
  }

  /**
   * The proof to send in hello, on a connection to `url`; null without a key or without a
   * challenge in time, and (`audienceOnly`) for a challenge that does not ask for the origin:
   * every app's embedded server asks (1.7), so one that does not is an older app's, or
   * another server's challenge passed on to us, and a proof of it would be good there.
   */
  async proof(
    signer: IdentitySigner | undefined,
    clock: Clock,
    url: string,
    { audienceOnly = false, waitMs = CHALLENGE_WAIT_MS } = {},
  ): Promise<HelloIdentity | null> {
    if (!signer) return null;
    const challenge = this.challenge ?? (await this.wait(clock, waitMs));
    if (!challenge) return null;
    const { server_id, nonce } = challenge;
    if (challenge.audience !== true) {
      if (audienceOnly) return null;
      return { public_key: signer.publicKey, signature: signer.prove(server_id, nonce) };
    }
    const audience = new URL(url).origin;
    const signature = signer.prove(server_id, nonce, audience);
    return { public_key: signer.publicKey, signature, audience };
  }

  private wait(clock: Clock, ms: number): Promise<Challenge | null> {
    return new Promise((resolve) => {
      const timer = clock.setTimeout(() => resolve(null), ms);
      this.waiter = (c) => {
        clock.clearTimeout(timer);
        resolve(c);
      };
    });
  }
}
