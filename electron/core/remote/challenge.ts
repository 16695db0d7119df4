/**
 * The server's `challenge` (protocol 1.2, the first frame on a connection) and our answer
 * to it: `hello.identity`, our identity key signing the nonce and the server's id. A server
 * from before 1.2 sends none; after a short wait we say hello without an identity.
 */
import type { ServerMessage } from '../../../shared/protocol';
import type { IdentitySigner } from '../identity/identity-key';
import type { Clock } from '../../../shared/clock';

/** A 1.2 server's challenge is its first frame: this is plenty, and short for an old one. */
export const CHALLENGE_WAIT_MS = 1000;

type Challenge = Extract<ServerMessage, { type: 'challenge' }>;

export interface HelloIdentity {
  public_key: string;
  signature: string;
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

  /** The proof to send in hello; null without a key or without a challenge in time. */
  async proof(
    signer: IdentitySigner | undefined,
    clock: Clock,
    waitMs = CHALLENGE_WAIT_MS,
  ): Promise<HelloIdentity | null> {
    if (!signer) return null;
    const challenge = this.challenge ?? (await this.wait(clock, waitMs));
    if (!challenge) return null;
    return {
      public_key: signer.publicKey,
      signature: signer.prove(challenge.server_id, challenge.nonce),
    };
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
