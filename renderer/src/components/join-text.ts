/** What the join dialog starts with, and when it asks for a password. */
import type { InvitePreview } from '../../../shared/app-state';
import { inviteLink } from '../../../shared/invite';
import { JoinPolicy } from '../../../shared/party-settings';

/** The refusals a password fixes: the dialog then shows its password field. */
const PASSWORD_REFUSALS: ReadonlySet<string> = new Set(['password_required', 'wrong_password']);

export function isPasswordRefusal(refusal: string | null): boolean {
  return refusal !== null && PASSWORD_REFUSALS.has(refusal);
}

/** The ID field's first value: the party shown (with the link's invite, when it had one). */
export function joinDialogStart(preview: InvitePreview | null): string {
  if (!preview) return '';
  return preview.invite_token
    ? inviteLink(preview.party_id, preview.invite_token)
    : preview.party_id;
}

/**
 * Ask for the password up front when the party is known to want one (and no invite lets
 * the user past it), or once the party said it needs one.
 */
export function asksPassword(preview: InvitePreview | null, refusal: string | null): boolean {
  if (isPasswordRefusal(refusal)) return true;
  return preview?.summary?.join_policy === JoinPolicy.PASSWORD && !preview.invite_token;
}
