/**
 * Joins waiting for the host's answer (protocol 1.2 `join_pending`): the answer comes as a
 * push, `party_update` for the party or an `error` naming it (`rejected`, `join_expired`).
 * Until then pushes for that party are ours to take, though we are not a member yet.
 */
import { ControlPlaneError } from '../../../shared/errors';
import type { ServerMessage } from '../../../shared/protocol';
import { refusalSentence, RefusalCode } from '../../../shared/refusals';
import type { Clock, TimerHandle } from '../../../shared/clock';

/** After the server's expiry, how long we still wait for its word before giving up. */
const GRACE_MS = 10_000;

interface Wait {
  resolve: (answer: ServerMessage) => void;
  reject: (error: ControlPlaneError) => void;
  timer: TimerHandle;
}

const refused = (code: RefusalCode): ControlPlaneError =>
  new ControlPlaneError(refusalSentence(code), { code });

export class PendingJoins {
  private readonly waits = new Map<string, Wait>();

  constructor(private readonly clock: Clock) {}

  has(partyId: string): boolean {
    return this.waits.has(partyId);
  }

  /** Resolves with the `party_update` that lets us in; rejects with the refusal. */
  wait(partyId: string, expiresAt: number): Promise<ServerMessage> {
    this.cancel(partyId);
    return new Promise((resolve, reject) => {
      const ms = Math.max(0, expiresAt - this.clock.now()) + GRACE_MS;
      const timer = this.clock.setTimeout(
        () => this.settle(partyId, (w) => w.reject(refused(RefusalCode.JOIN_EXPIRED))),
        ms,
      );
      this.waits.set(partyId, { resolve, reject, timer });
    });
  }

  /** A push: true when it answered a waiting join (then nothing else handles it). */
  offer(message: ServerMessage): boolean {
    if (message.type === 'party_update' && this.has(message.party.party_id)) {
      return this.settle(message.party.party_id, (w) => w.resolve(message));
    }
    if (message.type === 'error' && message.party_id !== undefined && this.has(message.party_id)) {
      const code = message.code ?? RefusalCode.REJECTED;
      const error = new ControlPlaneError(message.message, { code });
      return this.settle(message.party_id, (w) => w.reject(error));
    }
    return false;
  }

  /** We stopped waiting (or the connection is gone for good): the join fails `cancelled`. */
  cancel(partyId: string): void {
    this.settle(partyId, (w) => w.reject(refused(RefusalCode.CANCELLED)));
  }

  cancelAll(): void {
    for (const partyId of [...this.waits.keys()]) this.cancel(partyId);
  }

  private settle(partyId: string, how: (wait: Wait) => void): boolean {
    const wait = this.waits.get(partyId);
    if (!wait) return false;
    this.waits.delete(partyId);
    this.clock.clearTimeout(wait.timer);
    how(wait);
    return true;
  }
}
