/**
 * What the user does with a party from the app: create one, join one (with a password or an
 * invite), hand the host role over, leave or end it. A failure is explained in plain words
 * (errors.ts); the shown party follows each success.
 */
import { ControlPlaneError } from '../../../shared/protocol/errors';
import type { IpcRequest } from '../../../shared/ipc/contract';
import type { PartyView } from '../../../shared/ipc/app-state';
import { parseInvite } from '../../../shared/invite';
import { PartyInfo, type PeerInfo } from '../../../shared/model';
import { serverName, usesServer } from '../../../shared/values/server-url';
import type { NewPartySettings } from '../../../shared/party/settings';
import type { PartyNews } from '../notifications/party-news';
import type { ControlPlaneApi } from '../types';
import type { AccessDesk } from './access-handlers';
import * as errors from './errors';
import type { InvitePrompt } from './invite-prompt';
import type { ShownParty } from './shown-party';

export interface PartyActionsHost {
  control(): ControlPlaneApi;
  /** My peer with last seen now. */
  freshMe(): PeerInfo;
  myPeerId(): string;
  /** The configured control server (null: local mode), for the failures' words. */
  controlServer(): string | null;
  /** Makes `url` the control server (null: none), as Settings would (saved, plane replaced). */
  useServer(url: string | null): Promise<void>;
  shown: ShownParty;
  invite: InvitePrompt;
  desk: AccessDesk;
  news: PartyNews;
}

/** How asking again about a waiting join ended: settled (an error to tell), or ask later. */
export type ResumeOutcome = { settled: true; error: Error | null } | { settled: false };

export class PartyActions {
  constructor(private readonly host: PartyActionsHost) {}

  async create(name: string, settings: NewPartySettings): Promise<PartyView> {
    this.refuseIfInParty();
    const id = PartyInfo.generatePartyId();
    const party = await this.host
      .control()
      .registerParty(id, name, this.host.freshMe(), settings)
      .catch((err) => {
        const { everConnected, olderServer } = this.host.control().status();
        const server = this.host.controlServer();
        throw errors.explainCreateFailure(err, server, everConnected, olderServer);
      });
    return this.host.shown.show(party);
  }

  /**
   * With a password or an invite (issue 10); waits while the host decides (`pending_join`).
   * An invite naming another server moves there first, once the user agreed (`switchServer`);
   * a join that fails there moves back, so a dead or hostile link does not keep the app.
   */
  async join(invite: string, password?: string, switchServer = false): Promise<PartyView> {
    const { shown } = this.host;
    const parsed = parseInvite(invite);
    if (!parsed.ok)
      throw new ControlPlaneError(parsed.message, { code: 'bad_request', field: 'invite' });
    if (shown.view?.party_id === parsed.partyId) return shown.view;
    this.refuseIfInParty();
    const before = this.host.controlServer();
    const link = { token: parsed.invite, pin: parsed.pin, at: parsed.at };
    if (parsed.server === undefined || !(await this.moveTo(parsed.server, switchServer))) {
      return this.joinHere(parsed.partyId, link, password);
    }
    try {
      return await this.joinHere(parsed.partyId, link, password);
    } catch (err) {
      await this.host.useServer(before);
      throw errors.movedBack(err, before, parsed.server);
    }
  }

  /** `link`: what the invite link carried beside the party (a token, its host's pin, …). */
  private async joinHere(
    partyId: string,
    link: { token?: string; pin?: string; at?: string[] },
    password?: string,
  ): Promise<PartyView> {
    const { shown, invite: prompt } = this.host;
    const control = this.host.control();
    const credentials = {
      password,
      invite: link.token ?? prompt.tokenFor(partyId),
      hostPin: link.pin ?? prompt.pinFor(partyId),
      // Only with the pin it came with: an address is dialled only to check that certificate.
      hostAt: link.pin ? link.at : prompt.atFor(partyId),
    };
    try {
      const party = await control.joinParty(partyId, this.host.freshMe(), credentials);
      prompt.clear(partyId);
      return shown.show(party);
    } catch (err) {
      const { state } = control.status();
      const server = this.host.controlServer();
      const hadInvite = credentials.invite !== undefined;
      throw errors.explainJoinFailure(err, partyId, state, server, hadInvite);
    } finally {
      this.host.desk.setPending(null);
    }
  }

  /**
   * The join the app waited on when it last closed, asked again (`resume`): let in meanwhile,
   * the party is shown; still waiting, the wait goes on as after a click; refused, the error
   * says why. Not settled while the server (or, without one, the host) cannot be reached.
   */
  async resume(partyId: string): Promise<ResumeOutcome> {
    const { shown, desk } = this.host;
    if (shown.view) return { settled: true, error: null };
    const control = this.host.control();
    try {
      shown.show(await control.joinParty(partyId, this.host.freshMe(), { resume: true }));
      return { settled: true, error: null };
    } catch (err) {
      const server = this.host.controlServer();
      const error = errors.explainJoinFailure(err, partyId, control.status().state, server);
      const code = error instanceof ControlPlaneError ? error.code : null;
      // The user pressed Cancel on the wait: nothing to tell.
      if (code === 'cancelled') return { settled: true, error: null };
      // Without a server, a host not found may not have been heard on the LAN yet.
      if (code === 'unreachable' || (code === 'not_found' && server === null)) {
        return { settled: false };
      }
      return { settled: true, error: error instanceof Error ? error : new Error(String(error)) };
    } finally {
      desk.setPending(null);
    }
  }

  /** Only the host may; the control plane refuses anyone else (`forbidden`). */
  async transferHost(peerId: string): Promise<null> {
    const partyId = this.host.shown.partyId;
    if (!partyId) throw new ControlPlaneError('You are not in a party.', { code: 'conflict' });
    await this.host.control().transferHost(partyId, peerId);
    return null;
  }

  /** The host may hand the party over first, or end it for everyone. */
  async leave(how: IpcRequest<'leaveParty'>): Promise<null> {
    const { shown, news } = this.host;
    const control = this.host.control();
    const me = this.host.myPeerId();
    const partyId = shown.partyId;
    const host = shown.view?.host_id === me;
    const heir = how.hand_over_to;
    news.leaving = true;
    try {
      if (partyId && host && how.end_for_everyone) await control.closeParty(partyId);
      else if (partyId) {
        if (host && heir !== undefined && heir !== me) await control.transferHost(partyId, heir);
        await control.leaveParty(partyId, me);
      }
      shown.set(null, []);
    } finally {
      news.leaving = false;
    }
    return null;
  }

  /** The invite's server, unless it is the one in use; only with the user's word. Moved? */
  private async moveTo(server: string, agreed: boolean): Promise<boolean> {
    const current = this.host.controlServer();
    if (usesServer(current, server)) return false;
    if (!agreed) {
      const now = current === null ? 'no server' : serverName(current);
      throw new ControlPlaneError(
        `That party is on ${serverName(server)}, and LANrage uses ${now}: open the invite again and press Join to switch servers.`,
        { code: 'conflict', field: 'invite' },
      );
    }
    await this.host.useServer(server);
    return true;
  }

  private refuseIfInParty(): void {
    const party = this.host.shown.view;
    if (party) throw errors.alreadyInParty(party.name);
  }
}
