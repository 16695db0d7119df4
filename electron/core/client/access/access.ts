/**
 * Access control through the control server (protocol 1.2): each request and the answer it
 * must get. An answer of another type, or about another party, is a `bad_answer`; the server
 * is checked as any other untrusted peer.
 */
import type { BanDict, InviteDict, PartySummaryDict } from '../../../../shared/access/protocol';
import { ControlPlaneError } from '../../../../shared/protocol/errors';
import type { PartySettingsPatch } from '../../../../shared/party/settings';
import { partySummary } from '../../../../shared/party/summary';
import { partyAnswer } from '../sync/answers';
import { isNotFound } from '../sync/resync';
import { banKey } from '../sync/push';
import type { ClientMessageInput } from '../../../../shared/protocol/client-messages';
import type { ServerMessage } from '../../../../shared/protocol/protocol';
import type { PendingJoins } from './pending';

export type Requester = (message: ClientMessageInput) => Promise<ServerMessage>;

export interface PartyPage {
  parties: PartySummaryDict[];
  nextCursor: string | null;
}

function wrongAnswer(got: string, wanted: string): ControlPlaneError {
  return new ControlPlaneError(
    `The control server gave a wrong answer: ${got} instead of ${wanted}`,
    {
      code: 'bad_answer',
    },
  );
}

function expect<T extends ServerMessage['type']>(
  answer: ServerMessage,
  type: T,
  partyId?: string,
): Extract<ServerMessage, { type: T }> {
  const about = 'party_id' in answer ? answer.party_id : undefined;
  if (answer.type !== type || (partyId !== undefined && about !== partyId)) {
    throw wrongAnswer(answer.type, type);
  }
  return answer as Extract<ServerMessage, { type: T }>;
}

/**
 * The host's and the browser's requests; each needs the server (`request` throws when away):
 * the party's home server (configured or a local host), or for no party the current link.
 */
export class RemoteAccess {
  /** `applyParty`: our own copy follows the server's answer (the host's new settings). */
  constructor(
    private readonly request: (partyId?: string) => Requester,
    private readonly pending: PendingJoins,
    private readonly applyParty: (answer: Extract<ServerMessage, { type: 'party_update' }>) => void,
    /** The bans asked for and not yet seen done (push.ts reads them). */
    private readonly banning: Set<string> = new Set(),
  ) {}

  private async ack(message: ClientMessageInput & { party_id: string }): Promise<void> {
    expect(await this.request(message.party_id)(message), 'ack');
  }

  async updateSettings(partyId: string, settings: PartySettingsPatch): Promise<void> {
    const answer = await this.request(partyId)({
      type: 'update_party',
      party_id: partyId,
      settings,
    });
    const update = expect(answer, 'party_update');
    if (update.party.party_id !== partyId) throw wrongAnswer('another party', 'party_update');
    this.applyParty(update);
  }

  async createInvite(partyId: string, maxUses?: number, expiresInS?: number): Promise<InviteDict> {
    const message: ClientMessageInput = {
      type: 'create_invite',
      party_id: partyId,
      ...(maxUses === undefined ? {} : { max_uses: maxUses }),
      ...(expiresInS === undefined ? {} : { expires_in_s: expiresInS }),
    };
    const {
      type: _t,
      party_id: _p,
      request_id: _r,
      ...invite
    } = expect(await this.request(partyId)(message), 'invite_created', partyId);
    return invite;
  }

  async listInvites(partyId: string): Promise<InviteDict[]> {
    const answer = await this.request(partyId)({ type: 'list_invites', party_id: partyId });
    return expect(answer, 'invite_list', partyId).invites;
  }

  /** An invite used up or expired meanwhile is gone already, which is what was wanted. */
  async revokeInvite(partyId: string, inviteId: string): Promise<void> {
    try {
      await this.ack({ type: 'revoke_invite', party_id: partyId, invite_id: inviteId });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  /** A ban is noted before it is asked for: the server's `peer_left` may come before its ack. */
  async kickPeer(partyId: string, peerId: string, ban: boolean): Promise<void> {
    const key = banKey(partyId, peerId);
    if (ban) this.banning.add(key);
    try {
      await this.ack({ type: 'kick_peer', party_id: partyId, peer_id: peerId, ban });
    } catch (error) {
      this.banning.delete(key);
      throw error;
    }
  }

  unban(partyId: string, peerId: string): Promise<void> {
    return this.ack({ type: 'unban', party_id: partyId, peer_id: peerId });
  }

  async listBans(partyId: string): Promise<BanDict[]> {
    const answer = await this.request(partyId)({ type: 'list_bans', party_id: partyId });
    return expect(answer, 'ban_list', partyId).bans;
  }

  answerJoin(partyId: string, peerId: string, accept: boolean): Promise<void> {
    return this.ack({ type: 'answer_join', party_id: partyId, peer_id: peerId, accept });
  }

  /** Stops waiting at once (the waiting join fails `cancelled`), then tells the server. */
  async cancelJoin(partyId: string, peerId: string): Promise<void> {
    this.pending.cancel(partyId);
    try {
      await this.ack({ type: 'cancel_join', party_id: partyId, peer_id: peerId });
    } catch (error) {
      // Answered or expired meanwhile: nothing is waiting any more, which is what we want.
      if (!isNotFound(error)) throw error;
    }
  }

  async listParties(query?: string, cursor?: string, limit?: number): Promise<PartyPage> {
    const message: ClientMessageInput = {
      type: 'list_parties',
      ...(query ? { query } : {}),
      ...(cursor === undefined ? {} : { cursor }),
      ...(limit === undefined ? {} : { limit }),
    };
    const answer = expect(await this.request()(message), 'party_list');
    return { parties: answer.parties, nextCursor: answer.next_cursor };
  }

  /**
   * The party as a stranger sees it; null when the server has no such party. `invite`: a
   * link's token, without which a private invite-only party is refused (`invite_invalid`).
   */
  async summary(partyId: string, invite?: string): Promise<PartySummaryDict | null> {
    let answer: ServerMessage;
    try {
      const message = { type: 'get_party', party_id: partyId } as const;
      answer = await this.request()(invite === undefined ? message : { ...message, invite });
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
    // A server before 1.2 (or one we are a member of) answers with the whole party.
    if (answer.type === 'party_update') return partySummary(partyAnswer(answer, partyId));
    const { type: _t, request_id: _r, ...summary } = expect(answer, 'party_summary', partyId);
    return summary;
  }
}
