/**
 * The client engine's access-control pieces (protocol 1.2), the same for the configured
 * server and a local host's embedded one: each connection's challenge and our identity
 * proof, joins waiting for the host's answer, the access pushes, and the host's desk.
 */
import type { ServerMessage } from '../../../shared/protocol';
import type { IdentitySigner } from '../identity/identity-key';
import { RemoteAccess, type Requester } from './access';
import { accessPush } from './access-push';
import { ChallengeBox, type HelloIdentity } from './challenge';
import { PendingJoins } from './pending';
import type { PushTarget } from './push';
import type { Clock } from '../../../shared/clock';

/** When a server's join_pending carries no readable expiry: the protocol's 2 minutes. */
const DEFAULT_APPROVAL_MS = 120_000;

export class ClientAccess {
  readonly pending: PendingJoins;
  readonly desk: RemoteAccess;

  constructor(
    private readonly signer: IdentitySigner | undefined,
    private readonly clock: Clock,
    private readonly target: PushTarget,
    request: (partyId?: string) => Requester,
    applyParty: (answer: Extract<ServerMessage, { type: 'party_update' }>) => void,
  ) {
    this.pending = new PendingJoins(clock);
    this.desk = new RemoteAccess(request, this.pending, applyParty);
  }

  /** The proof for a connection's hello; null without a key or a challenge in time. */
  proof(challenge: ChallengeBox): Promise<HelloIdentity | null> {
    return challenge.proof(this.signer, this.clock);
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
    partyId: string,
    waiting: (expiresAt: number) => void,
  ): Promise<ServerMessage> {
    if (answer.type !== 'join_pending') return answer;
    const expiresAt = Date.parse(answer.expires_at) || this.clock.now() + DEFAULT_APPROVAL_MS;
    const answered = this.pending.wait(partyId, expiresAt);
    waiting(expiresAt);
    return answered;
  }
}

export { ChallengeBox };
