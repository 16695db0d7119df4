/**
 * What only a party's host may do (protocol 1.2): change its settings and password, remove
 * and ban members, and manage invites.
 */
import { kickPeer, updateSettings } from '../../shared/access/transitions';
import { ControlPlaneError } from '../../shared/protocol/errors';
import { applySettingsPatch, JoinPolicy } from '../../shared/party/settings';
import { ErrorCode, type ServerMessageInput } from '../../shared/protocol/protocol';
import type { HandlerMap, ServerContext } from '../connection/handlers';
import { inviteDict } from './invites';
import { hashPassword } from './passwords';
import { requireHostConn } from './identity/peer-auth';
import { pushWhenTellable } from './door';

type HostTypes =
  | 'update_party'
  | 'kick_peer'
  | 'unban'
  | 'list_bans'
  | 'create_invite'
  | 'revoke_invite'
  | 'list_invites';
type UpdateMessage = Parameters<HandlerMap['update_party']>[0];
type Conn = Parameters<HandlerMap['update_party']>[1];

function applyUpdate(message: UpdateMessage, conn: Conn, server: ServerContext, hash?: string) {
  const party = requireHostConn(message.party_id, conn, server);
  const { passwords } = server.access;
  const settings = applySettingsPatch(party.settings, message.settings);
  const hasPassword =
    hash !== undefined || (message.settings.password !== null && passwords.hashOf(party.partyId));
  if (settings.joinPolicy === JoinPolicy.PASSWORD && !hasPassword) {
    throw new ControlPlaneError('A party that asks for a password needs one', {
      code: ErrorCode.BAD_REQUEST,
      field: 'settings.password',
    });
  }
  if (hash !== undefined) passwords.set(party.partyId, hash);
  else if (message.settings.password === null) passwords.set(party.partyId, null);
  const transition = updateSettings(party, party.hostId, settings);
  server.service.apply(party.partyId, transition, new Set([party.hostId]));
  return server.service.answer(transition.party!, server.clock.now());
}

/**
 * Removes a member (kicked or banned), telling it and everyone (the host too: the ack has no
 * party). Every id a ban removes leaves as `banned`, which only the host is told.
 */
function removeMember(server: ServerContext, partyId: string, peerId: string, banned: boolean) {
  const party = server.service.require(partyId);
  server.service.apply(partyId, kickPeer(party, party.hostId, peerId, banned), new Set());
  pushWhenTellable(server, [peerId], { type: 'kicked', party_id: partyId, banned });
  keepKickNotice(server, partyId, peerId, banned);
}

/** The party's members (the host aside) whose peer id is bound to `key`. */
function membersWithKey(server: ServerContext, partyId: string, key: string): string[] {
  const party = server.service.require(partyId);
  const { bindings } = server.access;
  return [...party.peers.keys()].filter(
    (peerId) => peerId !== party.hostId && bindings.keyOf(peerId) === key,
  );
}

const notFound = (what: string): ControlPlaneError =>
  new ControlPlaneError(what, { code: ErrorCode.NOT_FOUND });

export const hostHandlers: Pick<HandlerMap, HostTypes> = {
  update_party(message, conn, server) {
    requireHostConn(message.party_id, conn, server);
    const password = message.settings.password;
    if (typeof password !== 'string') return applyUpdate(message, conn, server);
    // Hashed off the event loop, then everything is checked again on the party as it is then.
    return server.access.hashing
      .run(conn.address, () => hashPassword(password))
      .then((hash) => applyUpdate(message, conn, server, hash));
  },

  kick_peer(message, conn, server) {
    const party = requireHostConn(message.party_id, conn, server);
    const target = party.peers.get(message.peer_id);
    const banned = message.ban === true;
    removeMember(server, party.partyId, message.peer_id, banned);
    if (banned && target) {
      const key = server.access.bindings.keyOf(target.peerId) ?? null;
      const at = new Date(server.clock.now());
      server.access.bans.ban(party.partyId, target.peerId, target.name, key, at);
      // A ban holds the key: the same installation's other peer ids in the party go too.
      if (key !== null) {
        for (const other of membersWithKey(server, party.partyId, key)) {
          removeMember(server, party.partyId, other, true);
        }
      }
    }
    return { type: 'ack' };
  },

  unban(message, conn, server) {
    const party = requireHostConn(message.party_id, conn, server);
    if (!server.access.bans.unban(party.partyId, message.peer_id)) {
      throw notFound(`${message.peer_id} is not banned from this party`);
    }
    return { type: 'ack' };
  },

  list_bans(message, conn, server): ServerMessageInput {
    const party = requireHostConn(message.party_id, conn, server);
    return {
      type: 'ban_list',
      party_id: party.partyId,
      bans: server.access.bans.list(party.partyId),
    };
  },

  create_invite(message, conn, server) {
    const party = requireHostConn(message.party_id, conn, server);
    const { invites, publicUrl } = server.access;
    const invite = invites.create(party.partyId, message.max_uses, message.expires_in_s);
    if (!invite) {
      throw new ControlPlaneError('This party has too many invites: revoke some first', {
        code: ErrorCode.QUOTA_EXCEEDED,
      });
    }
    return { type: 'invite_created', party_id: party.partyId, ...inviteDict(invite, publicUrl) };
  },

  revoke_invite(message, conn, server) {
    const party = requireHostConn(message.party_id, conn, server);
    if (!server.access.invites.revoke(party.partyId, message.invite_id)) {
      throw notFound('No such invite (it may have expired or been used up)');
    }
    return { type: 'ack' };
  },

  list_invites(message, conn, server) {
    const party = requireHostConn(message.party_id, conn, server);
    const { invites, publicUrl } = server.access;
    return {
      type: 'invite_list',
      party_id: party.partyId,
      invites: invites.list(party.partyId).map((i) => inviteDict(i, publicUrl)),
    };
  },
};

/**
 * The kicked member may not be there to hear it (its app closed): it is told when it comes
 * back, by its session or its identity key, instead of rejoining on its resync.
 */
function keepKickNotice(server: ServerContext, partyId: string, peerId: string, banned: boolean) {
  const notice = { partyId, peerId, at: server.clock.now(), kicked: { banned } };
  const token = server.sessions.ownerOf(peerId);
  if (token !== undefined) server.access.notices.record(token, notice);
  const key = server.access.bindings.keyOf(peerId);
  if (key !== undefined) server.access.notices.recordForKey(key, notice);
}
