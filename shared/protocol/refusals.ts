/**
 * Why a party would not let me in, as the app says it: one plain sentence per refusal
 * code (the wire's ErrorCode and the IPC's IpcErrorCode share these names).
 */
import { AppErrorCode } from './errors';
import { ErrorCode } from './protocol';

export const RefusalCode = {
  PASSWORD_REQUIRED: ErrorCode.PASSWORD_REQUIRED,
  WRONG_PASSWORD: ErrorCode.WRONG_PASSWORD,
  PARTY_FULL: ErrorCode.PARTY_FULL,
  LOCKED: ErrorCode.LOCKED,
  BANNED: ErrorCode.BANNED,
  INVITE_INVALID: ErrorCode.INVITE_INVALID,
  REJECTED: ErrorCode.REJECTED,
  JOIN_EXPIRED: ErrorCode.JOIN_EXPIRED,
  JOIN_ENDED: ErrorCode.JOIN_ENDED,
  PARTY_ENDED: ErrorCode.PARTY_ENDED,
  CANCELLED: AppErrorCode.CANCELLED,
} as const;
export type RefusalCode = (typeof RefusalCode)[keyof typeof RefusalCode];

const SENTENCES: Readonly<Record<RefusalCode, string>> = {
  password_required: 'This party asks for a password: type the one your host gave you.',
  wrong_password: 'That password is not right. Check it with your host and try again.',
  party_full: 'This party is full. Ask the host to make room or raise the limit.',
  locked: 'The host has locked this party: nobody new can join right now.',
  banned: 'The host has banned you from this party.',
  invite_invalid:
    'This party only lets in people with an invite, and that invite has expired, been used up or been revoked. Ask the host for a new one.',
  rejected: 'The host did not let you in.',
  join_expired: 'The host did not answer in time. Try again later.',
  join_ended:
    'While you were away, the host did not let you in or did not answer in time. Ask to join again if you like.',
  party_ended: 'The party ended before the host let you in.',
  cancelled: 'You stopped waiting to join.',
};

export function isRefusalCode(code: string): code is RefusalCode {
  return Object.prototype.hasOwnProperty.call(SENTENCES, code);
}

/** `invite_invalid` for a join that brought no invite at all: nothing expired. */
const NO_INVITE =
  'This party only lets in people with an invite link: the party ID alone is not enough. Ask the host for one.';

/**
 * The sentence the app shows for a refusal; `hadInvite` false: the join carried no invite
 * (one code, `invite_invalid`, answers both a missing and a spent invite).
 */
export function refusalSentence(code: RefusalCode, hadInvite = true): string {
  return code === RefusalCode.INVITE_INVALID && !hadInvite ? NO_INVITE : SENTENCES[code];
}

/** Why the host's Accept came too late: what changed since the player asked, and the way on. */
const TOO_LATE: Partial<Readonly<Record<RefusalCode, string>>> = {
  party_full: 'the party is full. Raise the limit in Party settings or make room',
  locked: 'the party is locked. Unlock it',
  banned: 'they are banned. Unban them in Party settings',
};

/**
 * What the host is told when Accept could not let `name` in (the request is gone then, and
 * the player told why); null for a code this sentence does not cover.
 */
export function acceptRefusedSentence(name: string, code: string): string | null {
  const why = isRefusalCode(code) ? TOO_LATE[code] : undefined;
  return why === undefined
    ? null
    : `${name} could not come in: ${why}, then ask them to join again.`;
}
