/**
 * Getting a party back in step with the server after a reconnect: the server's copy wins,
 * except for our own peer, whose details changed here while away (a new name) are sent to
 * it; if it no longer has us we rejoin, and if it lost the party our host registers it again.
 */
import { ControlPlaneError } from '../../../../shared/protocol/errors';
import type { PartyInfo, PeerInfo } from '../../../../shared/model';
import { JoinPolicy, settingsToDict } from '../../../../shared/party/settings';
import { CloseReason } from '../../../../shared/party/events';
import { isRefusalCode } from '../../../../shared/protocol/refusals';
import type { PresenceMap } from '../../../../shared/presence';
import type { ClientMessageInput } from '../../../../shared/protocol/client-messages';
import { ErrorCode, type ServerMessage } from '../../../../shared/protocol/protocol';
import { partyAnswer } from './answers';
import { EarlyPushes } from './early-pushes';
import { EventOrder, Verdict } from './order';
import type { Report } from '../../notices';
import { closeParty, handlePush, peerUpdated, replaceParty, type PushTarget } from './push';

export type Request = (message: ClientMessageInput) => Promise<ServerMessage>;

export const isNotFound = (error: unknown): boolean =>
  error instanceof ControlPlaneError && error.code === 'not_found';

/** Whether two copies of a peer differ in anything but when they were last seen. */
export function sameProfile(a: PeerInfo, b: PeerInfo): boolean {
  const { last_seen: _a, ...left } = a.toDict();
  const { last_seen: _b, ...right } = b.toDict();
  return JSON.stringify(left) === JSON.stringify(right);
}

/**
 * A party as the server answered it, with its members' presence (a 1.1 server's) and the
 * event number it reflects; `entered` when it answers our own join or register.
 */
export interface ServerParty {
  party: PartyInfo;
  presence?: PresenceMap;
  seq?: number;
  entered?: boolean;
}

function answered(answer: ServerMessage, partyId: string, member?: string): ServerParty {
  const party = partyAnswer(answer, partyId, member);
  if (answer.type !== 'party_update') return { party };
  return { party, presence: answer.presence, seq: answer.seq, entered: member !== undefined };
}

/** The server told us we were removed after being offline: nothing to resync. */
export const REMOVED = 'removed';

/**
 * Returns the party as the server now has it, with `me` in it; null when the party is
 * gone for good (the server lost it and we are not its host). `stillMine` is asked once the
 * server has answered: a resumed session is told right after its welcome that it was removed
 * for being offline (`peer_left`, reason timeout), and then we must not join again unasked.
 * REFUSED when the party is there but would not have us back; ID_TAKEN when it refuses us our
 * peer id (`forbidden`: another session or installation holds it there).
 */
export async function resyncParty(
  request: Request,
  local: PartyInfo,
  me: PeerInfo,
  stillMine: () => boolean = () => true,
): Promise<ServerParty | null | typeof REMOVED | Refused> {
  const id = local.partyId;
  let server: ServerParty | null = null;
  let outside = false;
  try {
    const reply = await request({ type: 'get_party', party_id: id });
    // A 1.2 server shows a party we are no longer in as its summary only.
    if (reply.type === 'party_summary') outside = true;
    else server = answered(reply, id);
  } catch (error) {
    // A 1.9 server shows a private invite-only party to no outsider: there, but not ours.
    if (isNeedsInvite(error)) outside = true;
    else if (!isNotFound(error)) throw error;
  }
  if (!stillMine()) return REMOVED;
  const serverMe = server?.party.peers.get(me.peerId);
  if (server && serverMe) {
    if (sameProfile(serverMe, me)) return server;
    await request({ type: 'update_peer', party_id: id, peer: me.toDict() });
    return answered(await request({ type: 'get_party', party_id: id }), id);
  }
  try {
    if (server === null && !outside && local.hostId === me.peerId) {
      const answer = await request(reRegister(local, me));
      return answered(answer, id, me.peerId);
    }
    const answer = await request({ type: 'join_party', party_id: id, peer: me.toDict() });
    return answered(answer, id, me.peerId);
  } catch (error) {
    // Gone, or it will not have us back (locked, banned, its id taken…): it is over for us.
    if (isNotFound(error)) return null;
    if (isRefusal(error)) return CloseReason.REFUSED;
    // Logged and left on screen, it showed me in the party, "connected", while every beat
    // was refused.
    if (isForbidden(error)) return CloseReason.ID_TAKEN;
    throw error;
  }
}

/** Why the party will not have us back: it refuses us, or our peer id is not ours there. */
type Refused = typeof CloseReason.REFUSED | typeof CloseReason.ID_TAKEN;

const isForbidden = (error: unknown): boolean =>
  error instanceof ControlPlaneError && error.code === ErrorCode.FORBIDDEN;

const isNeedsInvite = (error: unknown): boolean =>
  error instanceof ControlPlaneError && error.code === ErrorCode.INVITE_INVALID;

const isRefusal = (error: unknown): boolean =>
  error instanceof ControlPlaneError && (isRefusalCode(error.code) || error.code === 'conflict');

/**
 * The host registers again a party the server lost, with the settings we know. The password
 * was never kept here (write-only), so a party that asked for one asks the host instead.
 */
function reRegister(local: PartyInfo, me: PeerInfo): ClientMessageInput {
  const settings = settingsToDict(local.settings);
  if (settings.join_policy === JoinPolicy.PASSWORD) settings.join_policy = JoinPolicy.APPROVAL;
  return {
    type: 'register_party',
    party_id: local.partyId,
    name: local.name,
    host_peer: me.toDict(),
    settings,
  };
}

const isUnreachable = (error: unknown): boolean =>
  error instanceof ControlPlaneError && (error.code === 'unavailable' || error.code === 'timeout');

/** What the sync reads of the plane (live, not a copy). */
export interface PartySyncPlane {
  readonly activePartyIds: ReadonlySet<string>;
  readonly myPeerId: string | null;
  readonly ownProfile: PeerInfo | null;
}

/**
 * Keeps the plane's parties and the server's in step across lost connections: leaves made
 * while the server was away are told to it when it is back, then every party we are in is
 * resynchronised.
 */
export class PartySync {
  /** party id → the peer that left it while the server was away. */
  private readonly pendingLeaves = new Map<string, string>();
  /** Each pushed event applied once, in order (order.ts). */
  readonly order = new EventOrder();
  /** Parties whose snapshot is being fetched after a gap: one fetch at a time. */
  private readonly resyncing = new Set<string>();
  /** Pushes for parties we are entering, until the answer is applied (early-pushes.ts). */
  readonly early = new EarlyPushes<Request | null>();

  /**
   * `report`: a party ended because the server gives our peer id to another is also said as a
   * notice. At start (the usual case) the resync runs before the window listens, and the
   * party simply vanished.
   */
  constructor(
    private readonly target: PushTarget,
    private readonly plane: PartySyncPlane,
    private readonly report: Report = () => {},
  ) {}

  /**
   * Tells the server we left. Not reachable: remembered for later. Not found: the server
   * has already dropped us (or the party), which is what leaving wants.
   */
  async leave(request: Request | null, partyId: string, peerId: string): Promise<void> {
    try {
      if (!request) throw new ControlPlaneError('Not connected', { code: 'unavailable' });
      await request({ type: 'leave_party', party_id: partyId, peer_id: peerId });
      this.pendingLeaves.delete(partyId);
    } catch (error) {
      if (isNotFound(error)) return;
      if (!isUnreachable(error)) throw error;
      this.pendingLeaves.set(partyId, peerId);
    }
  }

  /**
   * We are in this party again (the answer reflects event `seq`): an earlier leave must not
   * be replayed, and its numbering starts from that answer.
   */
  rejoined(partyId: string, seq?: number): void {
    this.pendingLeaves.delete(partyId);
    this.order.snapshot(partyId, seq, true);
  }

  /**
   * A push: applied once and in order. One we missed events before is not applied; a
   * snapshot is fetched instead (one at a time per party), which covers it.
   */
  push(message: ServerMessage, request: Request | null): void {
    const partyId = message.type === 'party_update' ? message.party.party_id : partyIdOf(message);
    // Pushes for parties we are not in are refused by handlePush; they are not numbered.
    if (partyId === null || !this.plane.activePartyIds.has(partyId)) {
      if (partyId !== null && this.early.hold(partyId, message, request)) return;
      return handlePush(this.target, message);
    }
    const seq = 'seq' in message ? message.seq : undefined;
    const verdict =
      message.type === 'party_update'
        ? this.order.snapshot(partyId, seq)
        : this.order.event(partyId, seq);
    if (verdict !== Verdict.DROP && (verdict === Verdict.APPLY || message.type === 'party_update'))
      handlePush(this.target, message);
    if (verdict === Verdict.GAP && request) this.fetchAfterGap(request, partyId);
  }

  /** We are in the party now (or failed to get in): the pushes held meanwhile, in order. */
  entered(partyId: string): void {
    for (const [message, request] of this.early.take(partyId)) this.push(message, request);
  }

  /** Our request's answer covered event `seq` of the party (we are not sent that one). */
  answered(partyId: string, answer: ServerMessage): void {
    if (answer.type === 'ack' || answer.type === 'heartbeat_ack') {
      this.order.answered(partyId, answer.seq);
    }
  }

  /**
   * The server's copy of the party, after a change to our own entry it told everyone but us
   * (update_peer). A copy older than events our answers covered (our presence change, which
   * came after) still has our entry as the server made it: that entry is taken. A failure is
   * logged: the change was made, and the next resync brings it.
   */
  async refresh(request: Request, partyId: string, peerId: string): Promise<void> {
    try {
      const synced = answered(await request({ type: 'get_party', party_id: partyId }), partyId);
      const verdict = this.order.snapshot(partyId, synced.seq);
      const party = this.target.parties.get(partyId);
      const mine = synced.party.peers.get(peerId);
      if (verdict === Verdict.DROP) {
        if (party && mine) peerUpdated(this.target, party, mine);
        return;
      }
      replaceParty(this.target, synced.party, synced.presence);
      if (verdict === Verdict.GAP) this.fetchAfterGap(request, partyId);
    } catch (error) {
      this.target.logger.warn(`Could not fetch party ${partyId}: ${String(error)}`);
    }
  }

  private fetchAfterGap(request: Request, partyId: string): void {
    if (this.resyncing.has(partyId)) return;
    this.resyncing.add(partyId);
    this.target.logger.info(`Missed an event of party ${partyId}; fetching its snapshot`);
    this.resync(request, partyId)
      .catch((error: unknown) =>
        this.target.logger.warn(`Could not resynchronise party ${partyId}: ${String(error)}`),
      )
      .finally(() => this.resyncing.delete(partyId));
  }

  /**
   * After (re)connecting: replay leaves first, so no resync brings back a party we left.
   * Event numbers start again from this connection's snapshots. `served`: the parties this
   * server is the home of (default: every one we are in).
   */
  async afterConnect(
    request: Request,
    served: (partyId: string) => boolean = () => true,
  ): Promise<void> {
    for (const [partyId, peerId] of [...this.pendingLeaves]) {
      if (!served(partyId)) continue;
      await this.leave(request, partyId, peerId).catch((error: unknown) =>
        this.target.logger.warn(`Could not tell the server we left ${partyId}: ${String(error)}`),
      );
    }
    for (const partyId of [...this.plane.activePartyIds]) {
      if (!served(partyId)) continue;
      try {
        await this.resync(request, partyId);
      } catch (error) {
        this.target.logger.warn(`Could not resynchronise party ${partyId}: ${String(error)}`);
      }
    }
  }

  /**
   * The server's copy of the party replaces ours, unless events newer than it were applied
   * meanwhile; one it lost for good is closed.
   */
  async resync(request: Request, partyId: string): Promise<void> {
    const { target } = this;
    const { myPeerId, ownProfile } = this.plane;
    const local = target.parties.get(partyId);
    // My profile as I gave it: the party's copy of my entry is the server's word.
    const mine = ownProfile?.peerId === myPeerId ? ownProfile : null;
    const me = myPeerId ? (mine ?? local?.peers.get(myPeerId)) : undefined;
    if (!local?.peers.has(myPeerId ?? '') || !me) return;
    const synced = await resyncParty(request, local, me, () =>
      this.plane.activePartyIds.has(partyId),
    );
    if (synced === REMOVED) return;
    if (!synced || synced === CloseReason.REFUSED || synced === CloseReason.ID_TAKEN) {
      this.order.forget(partyId);
      if (synced === CloseReason.ID_TAKEN) this.report(idTakenWords(local.name));
      return closeParty(target, partyId, synced ?? undefined);
    }
    const verdict = this.order.snapshot(partyId, synced.seq, synced.entered);
    if (verdict === Verdict.DROP) return;
    replaceParty(target, synced.party, synced.presence);
    if (verdict === Verdict.GAP) this.fetchAfterGap(request, partyId);
  }
}

/** The notice for a party the server no longer lets us be in as our peer id. */
export function idTakenWords(name: string): string {
  return (
    `You are no longer in ${name}: its server gives your peer ID to another LANrage session ` +
    'or installation (this LANrage, when it reached the server under another address). ' +
    'Join it again; if your peer ID is refused, wait a few minutes and try again.'
  );
}

function partyIdOf(message: ServerMessage): string | null {
  return 'party_id' in message ? (message.party_id ?? null) : null;
}
