/**
 * Joins waiting for the host's answer (protocol 1.2 `join_pending`): the answer comes as a
 * push, `party_update` for the party or an `error` naming it (`rejected`, `join_expired`).
 * Until then pushes for that party are ours to take, though we are not a member yet. A
 * connection that drops loses the answer pushed meanwhile, so each wait keeps the join to
 * ask again with `resume` (1.4) on the next one (ClientAccess.resume).
 */
import { ControlPlaneError } from '../../../../shared/protocol/errors';
import type { ClientMessageInput } from '../../../../shared/protocol/client-messages';
import { knownErrorCode, type ServerMessage } from '../../../../shared/protocol/protocol';
import { refusalSentence, RefusalCode } from '../../../../shared/protocol/refusals';
import type { Clock, TimerHandle } from '../../../../shared/time/clock';

/** After the server's expiry, how long we still wait for its word before giving up. */
const GRACE_MS = 10_000;

/** The join that waits, as asked again: where does it stand (no password or invite kept). */
export type ResumeMessage = Extract<ClientMessageInput, { type: 'join_party' }> & { resume: true };

interface Wait {
  resolve: (answer: ServerMessage) => void;
  reject: (error: ControlPlaneError) => void;
  timer: TimerHandle;
  resume: ResumeMessage;
}

const refused = (code: RefusalCode): ControlPlaneError =>
  new ControlPlaneError(refusalSentence(code), { code });

export class PendingJoins {
  private readonly waits = new Map<string, Wait>();

  constructor(private readonly clock: Clock) {}

  has(partyId: string): boolean {
    return this.waits.has(partyId);
  }

  /** The joins waiting, as each is asked again. */
  resumes(): ResumeMessage[] {
    return [...this.waits.values()].map((w) => w.resume);
  }

  /** Resolves with the `party_update` that lets us in; rejects with the refusal. */
  wait(join: Omit<ResumeMessage, 'resume'>, expiresAt: number): Promise<ServerMessage> {
    const partyId = join.party_id;
    this.cancel(partyId);
    const resume: ResumeMessage = {
      type: 'join_party',
      party_id: partyId,
      peer: join.peer,
      resume: true,
    };
    return new Promise((resolve, reject) => {
      const timer = this.expiry(partyId, expiresAt);
      this.waits.set(partyId, { resolve, reject, timer, resume });
    });
  }

  /** The server named the expiry again (an older one renews the request when asked again). */
  extend(partyId: string, expiresAt: number): void {
    const wait = this.waits.get(partyId);
    if (!wait) return;
    this.clock.clearTimeout(wait.timer);
    wait.timer = this.expiry(partyId, expiresAt);
  }

  /** The wait ends with this refusal (the server's answer to asking again). */
  fail(partyId: string, error: ControlPlaneError): void {
    this.settle(partyId, (w) => w.reject(error));
  }

  private expiry(partyId: string, expiresAt: number): TimerHandle {
    const ms = Math.max(0, expiresAt - this.clock.now()) + GRACE_MS;
    return this.clock.setTimeout(
      () => this.settle(partyId, (w) => w.reject(refused(RefusalCode.JOIN_EXPIRED))),
      ms,
    );
  }

  /** A push: true when it answered a waiting join (then nothing else handles it). */
  offer(message: ServerMessage): boolean {
    if (message.type === 'party_update' && this.has(message.party.party_id)) {
      return this.settle(message.party.party_id, (w) => w.resolve(message));
    }
    if (message.type === 'error' && message.party_id !== undefined && this.has(message.party_id)) {
      const code = message.code === undefined ? RefusalCode.REJECTED : knownErrorCode(message.code);
      const error = new ControlPlaneError(message.message, { code });
      return this.settle(message.party_id, (w) => w.reject(error));
    }
    return false;
  }

  /** We stopped waiting (or the connection is gone for good): the join fails `cancelled`. */
  cancel(partyId: string): void {
    this.refuse(partyId, RefusalCode.CANCELLED);
  }

  /** The wait ends with this refusal's sentence (e.g. `party_ended`: its local host is gone). */
  refuse(partyId: string, code: RefusalCode): void {
    this.settle(partyId, (w) => w.reject(refused(code)));
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
