/**
 * The client engine's access-control pieces (protocol 1.2), the same for the configured
 * server and a local host's embedded one: each connection's challenge and our identity
 * proof, joins waiting for the host's answer, the access pushes, and the host's desk.
 */
import { APPROVAL_TIMEOUT_MS } from '../../../../shared/access/rules';
import type { ClientMessageInput } from '../../../../shared/protocol/client-messages';
import { ControlPlaneError } from '../../../../shared/protocol/errors';
import type { ServerMessage } from '../../../../shared/protocol/protocol';
import { isRefusalCode } from '../../../../shared/protocol/refusals';
import type { IdentitySigner } from '../../identity/identity-key';
import { RemoteAccess, type Requester } from './access';
import { accessPush } from './access-push';
import { ChallengeBox, type HelloIdentity } from '../link/challenge';
import { PendingJoins } from './pending';
import type { ServerClock } from '../link/server-clock';
import type { PushTarget } from '../sync/push';
import type { Request } from '../sync/resync';
import type { Clock } from '../../../../shared/time/clock';
import type { Logger } from '../../../../shared/logger';

export type EnterMessage = Extract<ClientMessageInput, { type: 'register_party' | 'join_party' }>;

/**
 * The server's final word on a join asked again: a refusal, the party gone, or the peer id
 * no longer ours. Anything else (the link dropped again, the store busy) leaves the wait to
 * the next link or its expiry.
 */
const isFinal = (error: unknown): error is ControlPlaneError =>
  error instanceof ControlPlaneError &&
  (isRefusalCode(error.code) || error.code === 'not_found' || error.code === 'forbidden');

export class ClientAccess {
  readonly pending: PendingJoins;
  readonly desk: RemoteAccess;

  constructor(
    private readonly signer: IdentitySigner | undefined,
    private readonly clock: Clock,
    private readonly serverClock: ServerClock,
    private readonly target: PushTarget,
    request: (partyId?: string) => Requester,
    applyParty: (answer: Extract<ServerMessage, { type: 'party_update' }>) => void,
  ) {
    this.pending = new PendingJoins(clock);
    this.desk = new RemoteAccess(request, this.pending, applyParty, target.banning);
  }

  /**
   * The proof for the hello of a connection to `url`; null without a key or a challenge in
   * time, or (`audienceOnly`: a local host's server) one that does not ask for an audience.
   */
  proof(
    challenge: ChallengeBox,
    url: string,
    audienceOnly: boolean,
  ): Promise<HelloIdentity | null> {
    return challenge.proof(this.signer, this.clock, url, { audienceOnly });
  }

  /** A push: true when it was the challenge, a waiting join's answer or an access push. */
  push(challenge: ChallengeBox, message: ServerMessage): boolean {
    return (
      challenge.offer(message) || this.pending.offer(message) || accessPush(this.target, message)
    );
  }

  /**
   * The answer to a register or join: as it is, or (join_pending) the host's answer, pushed
   * later; `waiting` is told when the wait starts.
   */
  async settle(
    answer: ServerMessage,
    message: EnterMessage,
    waiting: (expiresAt: number) => void,
  ): Promise<ServerMessage> {
    if (answer.type !== 'join_pending' || message.type !== 'join_party') return answer;
    const expiresAt = this.expiryOf(answer);
    const answered = this.pending.wait(message, expiresAt);
    waiting(expiresAt);
    return answered;
  }

  /**
   * The server's expiry on our clock, never later than the protocol's from now: a lying
   * server could otherwise hold the wait (and a restarted app's asking again) open for years.
   */
  private expiryOf(answer: Extract<ServerMessage, { type: 'join_pending' }>): number {
    const longest = this.clock.now() + APPROVAL_TIMEOUT_MS;
    const named = this.serverClock.toLocal(Date.parse(answer.expires_at));
    return Number.isNaN(named) ? longest : Math.min(named, longest);
  }

  /**
   * A new link: the joins waiting on its server ask again where they stand (`resume`), since
   * an answer pushed while we had no connection never reached us. Let in meanwhile, the
   * answer is the party and the wait ends with it; refused, it ends with the refusal.
   */
  async resume(request: Request, served: (partyId: string) => boolean, logger: Logger) {
    for (const message of this.pending.resumes()) {
      const partyId = message.party_id;
      if (!served(partyId)) continue;
      try {
        const answer = await request(message);
        if (answer.type === 'join_pending') this.pending.extend(partyId, this.expiryOf(answer));
        else if (!this.pending.offer(answer)) logger.warn(`Unexpected ${answer.type} to resume`);
      } catch (error) {
        if (isFinal(error)) this.pending.fail(partyId, error);
        else logger.warn(`Could not ask where our join of ${partyId} stands: ${String(error)}`);
      }
    }
  }
}

export { ChallengeBox };
