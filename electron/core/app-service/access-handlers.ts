/**
 * The app's access-control channels (issue 10): party settings, approval, invites, kick
 * and ban, public parties; and the state they show (my join waiting for the host, the
 * requests waiting for me). Everything goes through the control server (the control plane's
 * `access`; in local mode the embedded server of the party's host), none while it is out of
 * reach.
 */
import type { InviteDict } from '../../../shared/access/protocol';
import { MAX_PENDING_PER_PARTY } from '../../../shared/access/rules';
import { ControlPlaneError } from '../../../shared/protocol/errors';
import type { IpcChannel } from '../../../shared/ipc/contract';
import type {
  InviteView,
  JoinRequestView,
  PendingJoin,
  NewPartyChoices,
} from '../../../shared/ipc/access';
import type { PartyView, StateEvent } from '../../../shared/ipc/app-state';
import { inviteLink } from '../../../shared/invite';
import type { NewPartySettings } from '../../../shared/party/settings';
import type { NotificationIntent } from './types';
import type { IpcHandlers } from './ipc-registry';
import type { ControlPlaneApi, ControlPlaneChange, PartyAccess } from '../types';

export type AccessChannel = Extract<
  IpcChannel,
  | 'updatePartySettings'
  | 'cancelJoin'
  | 'answerJoin'
  | 'createInvite'
  | 'listInvites'
  | 'revokeInvite'
  | 'kickPeer'
  | 'unbanPeer'
  | 'listBans'
  | 'listParties'
>;

/** What the desk reads of the app service (live). */
export interface AccessHost {
  control(): ControlPlaneApi;
  /** My party as the UI shows it (null: none). */
  party(): PartyView | null;
  /** Refreshes the UI's party from the control plane, and returns it. */
  refreshParty(): PartyView | null;
  myPeerId(): string;
  /** The control server links send friends to (shareableServer of the configured one). */
  linkServer(): string | null;
  /** Now on the linked server's clock, which dates the requests (server-clock.ts). */
  serverNow(): number;
  emit(event: StateEvent): void;
  notify(intent: NotificationIntent): void;
  /** My waiting join changed (join-resume.ts keeps it on disk). */
  pendingChanged(pending: PendingJoin | null): void;
  /** I unbanned `name` from `partyId`: a line in my party's activity (party-news.ts). */
  unbanned(partyId: string, peerId: string, name: string): void;
}

function needsServer(control: ControlPlaneApi): never {
  const local = control.status().state === 'local';
  throw new ControlPlaneError(
    local
      ? 'Party settings, invites, kick and ban need a control server: set one in Settings.'
      : 'The control server is out of reach right now: try again in a moment.',
    { code: local ? 'bad_request' : 'unreachable' },
  );
}

/** Where a link sends friends: the server, or without one the host PC's certificate. */
interface LinkPlace {
  server: string | null;
  pin: string | null;
  at: string[] | null;
}

const inviteView = (partyId: string, invite: InviteDict, place: LinkPlace): InviteView => ({
  ...invite,
  link: inviteLink(partyId, invite.token, place.server, place.pin, place.at),
});

export class AccessDesk {
  pendingJoin: PendingJoin | null = null;
  private requests: JoinRequestView[] = [];

  constructor(private readonly host: AccessHost) {}

  /** The requests still waiting, oldest first. */
  get joinRequests(): JoinRequestView[] {
    const now = this.host.serverNow();
    return this.requests.filter((r) => Date.parse(r.expires_at) > now);
  }

  private access(): PartyAccess {
    const control = this.host.control();
    return control.access ?? needsServer(control);
  }

  private myParty(): PartyView {
    const party = this.host.party();
    if (!party) throw new ControlPlaneError('You are not in a party.', { code: 'not_found' });
    return party;
  }

  setPending(pending: PendingJoin | null): void {
    if (this.pendingJoin === pending) return;
    this.pendingJoin = pending;
    this.host.pendingChanged(pending);
    this.host.emit({ type: 'pending_join', pending_join: pending });
  }

  /**
   * A join by bare ID (or resumed after a restart) has no name to show: the party's summary,
   * as any stranger may see it, gives one. No summary, no name; the wait goes on the same.
   */
  private async nameThePending(partyId: string): Promise<void> {
    const summary = await this.host
      .control()
      .previewParty(partyId)
      .catch(() => null);
    const pending = this.pendingJoin;
    if (!summary || pending?.party_id !== partyId) return;
    this.setPending({ ...pending, party_name: summary.name });
  }

  private setRequests(requests: JoinRequestView[]): void {
    this.requests = requests;
    this.host.emit({ type: 'join_requests', join_requests: this.joinRequests });
  }

  /** My party changed: requests for a party I no longer host are dropped. */
  partyChanged(party: PartyView | null): void {
    const hosting = party !== null && party.host_id === this.host.myPeerId();
    if (!hosting && this.requests.length > 0) this.setRequests([]);
  }

  /**
   * Someone asks to join. Only the host of my party is asked, and a server sends no more
   * than MAX_PENDING_PER_PARTY (its own limit) at once: one that said otherwise had a guest
   * shown Accept and Reject (and alerted) for a party it does not host, and kept every
   * request it was sent.
   */
  private requestIn(partyId: string, request: JoinRequestView): void {
    const party = this.host.party();
    if (partyId !== party?.party_id || party.host_id !== this.host.myPeerId()) return;
    const known = this.requests.some((r) => r.peer_id === request.peer_id);
    // Told again (its joiner left or came back): the same request, in its place, no alert.
    if (known) {
      this.setRequests(this.requests.map((r) => (r.peer_id === request.peer_id ? request : r)));
      return;
    }
    const waiting = this.joinRequests;
    const expired = !(Date.parse(request.expires_at) > this.host.serverNow());
    if (expired || waiting.length >= MAX_PENDING_PER_PARTY) return;
    this.setRequests([...waiting, request]);
    this.host.notify({ title: party.name, body: `${request.name} asks to join` });
  }

  /** Handles the control plane's access changes; false for any other change. */
  onChange(change: ControlPlaneChange, partyName: (id: string) => string | null): boolean {
    if (change.kind === 'join_pending') {
      const expires_at = new Date(change.expiresAt).toISOString();
      const party_name = partyName(change.partyId);
      this.setPending({ party_id: change.partyId, party_name, expires_at });
      if (party_name === null) void this.nameThePending(change.partyId);
      return true;
    }
    if (change.kind === 'join_request') {
      this.requestIn(change.partyId, change.request);
      return true;
    }
    if (change.kind === 'join_request_closed') {
      this.setRequests(this.requests.filter((r) => r.peer_id !== change.peerId));
      return true;
    }
    return false;
  }

  handlers(): Pick<IpcHandlers, AccessChannel> {
    return {
      updatePartySettings: async ({ settings }) => {
        await this.access().updateSettings(this.myParty().party_id, settings);
        return this.host.refreshParty() ?? this.myParty();
      },
      ...this.joinHandlers(),
      ...this.inviteHandlers(),
      ...this.memberHandlers(),
      listParties: async ({ query, cursor, limit }) => {
        const page = await this.access().listParties(query, cursor, limit);
        return { parties: page.parties, next_cursor: page.nextCursor };
      },
    };
  }

  /** My own waiting join, and the host's answer to others'. */
  private joinHandlers(): Pick<IpcHandlers, 'cancelJoin' | 'answerJoin'> {
    return {
      cancelJoin: async () => {
        const pending = this.pendingJoin;
        if (!pending) return null;
        this.setPending(null);
        await this.access().cancelJoin(pending.party_id, this.host.myPeerId());
        return null;
      },
      answerJoin: async ({ peer_id, accept }) => {
        await this.access().answerJoin(this.myParty().party_id, peer_id, accept);
        this.setRequests(this.requests.filter((r) => r.peer_id !== peer_id));
        return null;
      },
    };
  }

  private linkPlace(): LinkPlace {
    const server = this.host.linkServer();
    const { hostPin, hostAt } = this.host.control().status();
    return { server, pin: hostPin ?? null, at: hostAt ?? null };
  }

  private inviteHandlers(): Pick<IpcHandlers, 'createInvite' | 'listInvites' | 'revokeInvite'> {
    return {
      createInvite: async ({ max_uses, expires_in_s }) => {
        const partyId = this.myParty().party_id;
        const invite = await this.access().createInvite(partyId, max_uses, expires_in_s);
        return inviteView(partyId, invite, this.linkPlace());
      },
      listInvites: async () => {
        const partyId = this.myParty().party_id;
        const invites = await this.access().listInvites(partyId);
        const place = this.linkPlace();
        return invites.map((i) => inviteView(partyId, i, place));
      },
      revokeInvite: async ({ invite_id }) => {
        await this.access().revokeInvite(this.myParty().party_id, invite_id);
        return null;
      },
    };
  }

  /** Kick (and ban), and the bans the host can undo. */
  private memberHandlers(): Pick<IpcHandlers, 'kickPeer' | 'unbanPeer' | 'listBans'> {
    return {
      kickPeer: async ({ peer_id, ban }) => {
        await this.access().kickPeer(this.myParty().party_id, peer_id, ban ?? false);
        return null;
      },
      unbanPeer: async ({ peer_id }) => {
        const partyId = this.myParty().party_id;
        // Its name for the activity line: the ban holds it, and goes with the unban.
        const bans = await this.access()
          .listBans(partyId)
          .catch(() => []);
        await this.access().unban(partyId, peer_id);
        const name = bans.find((b) => b.peer_id === peer_id)?.name ?? peer_id;
        this.host.unbanned(partyId, peer_id, name);
        return null;
      },
      listBans: async () => this.access().listBans(this.myParty().party_id),
    };
  }
}

/** The Create dialog's choices (IPC, snake_case) as the control plane takes them. */
export function newPartySettings(
  hostMigration: boolean,
  choices: NewPartyChoices = {},
): NewPartySettings {
  return {
    hostMigration,
    maxPeers: choices.max_peers,
    joinPolicy: choices.join_policy,
    locked: choices.locked,
    visibility: choices.visibility,
    password: choices.password,
  };
}
