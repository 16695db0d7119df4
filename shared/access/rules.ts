/**
 * Who may enter a party (issue 10), as one pure decision the server applies: the server
 * finds the facts (is this key banned, is the invite good, is the password right) and this
 * says what they mean, in a fixed order. A ban and the member limit hold for everyone; an
 * invite lets its holder past a password, approval and invite-only; a lock stops all new
 * members, invited or not. A private invite-only party refuses anyone without a valid
 * invite before saying whether it is locked or full.
 */
import { JoinPolicy, type PartySettings } from '../party/settings';
import { isFull, summaryNeedsInvite } from '../party/summary';
import { ErrorCode } from '../protocol/protocol';

/** How long a join request waits for the host's answer before it expires (`join_expired`). */
export const APPROVAL_TIMEOUT_MS = 2 * 60 * 1000;
/** Join requests waiting per party: a crowd at the door must not grow without bound. */
export const MAX_PENDING_PER_PARTY = 50;

export interface JoinFacts {
  settings: PartySettings;
  /** Already a member: a rejoin after a reconnect, always let through. */
  member: boolean;
  memberCount: number;
  banned: boolean;
  /** null: the joiner brought no invite. */
  invite: 'valid' | 'invalid' | null;
  /** null: no password given (or the party has none). */
  password: 'right' | 'wrong' | null;
}

export type JoinRefusal =
  | typeof ErrorCode.BANNED
  | typeof ErrorCode.LOCKED
  | typeof ErrorCode.PARTY_FULL
  | typeof ErrorCode.INVITE_INVALID
  | typeof ErrorCode.PASSWORD_REQUIRED
  | typeof ErrorCode.WRONG_PASSWORD;

export type JoinDecision =
  | { kind: 'admit'; usesInvite: boolean }
  /** The host must answer (`join_request`). */
  | { kind: 'ask_host' }
  | { kind: 'refuse'; code: JoinRefusal };

const refuse = (code: JoinRefusal): JoinDecision => ({ kind: 'refuse', code });

export function decideJoin(f: JoinFacts): JoinDecision {
  // Banned first: a member whose key was banned is not let back in as a member.
  if (f.banned) return refuse(ErrorCode.BANNED);
  if (f.member) return { kind: 'admit', usesInvite: false };
  // Before the lock and the limit: a party that shows strangers nothing without an invite
  // (get_party) must not tell them through join_party whether it is locked or full.
  if (summaryNeedsInvite(f.settings) && f.invite !== 'valid') {
    return refuse(ErrorCode.INVITE_INVALID);
  }
  if (f.settings.locked) return refuse(ErrorCode.LOCKED);
  if (isFull(f.memberCount, f.settings.maxPeers)) return refuse(ErrorCode.PARTY_FULL);
  if (f.invite === 'valid') return { kind: 'admit', usesInvite: true };
  if (f.invite === 'invalid') return refuse(ErrorCode.INVITE_INVALID);
  switch (f.settings.joinPolicy) {
    case JoinPolicy.OPEN:
      return { kind: 'admit', usesInvite: false };
    case JoinPolicy.PASSWORD:
      if (f.password === null) return refuse(ErrorCode.PASSWORD_REQUIRED);
      return f.password === 'right'
        ? { kind: 'admit', usesInvite: false }
        : refuse(ErrorCode.WRONG_PASSWORD);
    case JoinPolicy.APPROVAL:
      return { kind: 'ask_host' };
    case JoinPolicy.INVITE_ONLY:
      return refuse(ErrorCode.INVITE_INVALID);
  }
}

/**
 * What a host's "let in" means when it arrives: the party may have filled up, been locked
 * or the joiner banned while the host was deciding.
 */
export function decideApproved(f: Omit<JoinFacts, 'invite' | 'password'>): JoinDecision {
  if (f.banned) return refuse(ErrorCode.BANNED);
  if (f.member) return { kind: 'admit', usesInvite: false };
  if (f.settings.locked) return refuse(ErrorCode.LOCKED);
  if (isFull(f.memberCount, f.settings.maxPeers)) return refuse(ErrorCode.PARTY_FULL);
  return { kind: 'admit', usesInvite: false };
}
