/** What the join dialog starts with, and when it asks for a password. */
import type { InvitePreview } from '../../../../shared/ipc/app-state';
import { inviteLink, parseInvite } from '../../../../shared/invite';
import { usesServer } from '../../../../shared/values/server-url';
import { JoinPolicy } from '../../../../shared/party/settings';
import { IpcErrorCode } from '../../../../shared/ipc/contract';
import { RefusalCode } from '../../../../shared/protocol/refusals';

/** A join's refusal code (the store's errorCodes.join), null while there is none. */
type Refusal = IpcErrorCode | null;

/** The refusals a password fixes: the dialog then shows its password field. */
const PASSWORD_REFUSALS: ReadonlySet<IpcErrorCode> = new Set<IpcErrorCode>([
  RefusalCode.PASSWORD_REQUIRED,
  RefusalCode.WRONG_PASSWORD,
]);

export function isPasswordRefusal(refusal: Refusal): boolean {
  return refusal !== null && PASSWORD_REFUSALS.has(refusal);
}

/** The refusals a different ID or link fixes: only these mark the ID field as wrong. */
const INVITE_REFUSALS: ReadonlySet<IpcErrorCode> = new Set<IpcErrorCode>([
  IpcErrorCode.BAD_REQUEST,
  IpcErrorCode.NOT_FOUND,
  RefusalCode.INVITE_INVALID,
]);

/**
 * Where the join dialog puts an error: the field it marks wrong (none for a refusal neither
 * field fixes, as "too many wrong passwords, try again in 23 s" or a full party) and the field
 * that takes focus, the password when it is asked for.
 */
export function joinErrorPlace(refusal: Refusal, needsPassword: boolean) {
  const wrong = isPasswordRefusal(refusal)
    ? 'password'
    : refusal !== null && INVITE_REFUSALS.has(refusal)
      ? 'invite'
      : null;
  return { wrong, focus: wrong ?? (needsPassword ? 'password' : 'invite') } as const;
}

/** The ID field's first value: the party shown (with the link's invite, when it had one). */
export function joinDialogStart(preview: InvitePreview | null): string {
  if (!preview) return '';
  const { invite_token: token, server, host_pin: pin, host_at: at } = preview;
  return token || server || pin
    ? inviteLink(preview.party_id, token ?? undefined, server, pin, at)
    : preview.party_id;
}

/**
 * Ask for the password up front when the party is known to want one (and no invite lets
 * the user past it), or once the party said it needs one. `listed`: the policy "Parties
 * nearby" listed, for a pick whose preview has no summary.
 */
export function asksPassword(
  preview: InvitePreview | null,
  refusal: Refusal,
  listed: JoinPolicy | null = null,
): boolean {
  if (isPasswordRefusal(refusal)) return true;
  const policy = preview?.summary?.join_policy ?? listed;
  return policy === JoinPolicy.PASSWORD && !preview?.invite_token;
}

/** The server the typed invite says its party is on, when LANrage uses another (or none). */
export function otherServer(invite: string, configured: string | null): string | null {
  const parsed = parseInvite(invite);
  if (!parsed.ok || parsed.server === undefined) return null;
  return usesServer(configured, parsed.server) ? null : parsed.server;
}
