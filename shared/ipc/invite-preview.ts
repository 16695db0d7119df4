/**
 * The one way an InvitePreview is made, by the core for a clicked link and by the renderer
 * for a party picked from Browse or Parties nearby: every field the join dialog reads is
 * written here, so a new one cannot be forgotten in one of them.
 */
import type { PartySummaryDict } from '../access/protocol';
import type { InvitePreview } from './app-state';

/** What is known beside the party's summary: see InvitePreview. */
export interface PreviewFacts {
  token?: string | null;
  /** The look-up answered that there is no such party. */
  missing?: boolean;
  /** Not announced on this PC or the LAN yet: looked up again when it is. */
  looking?: boolean;
  /** Another server than the configured one. */
  server?: string | null;
  /** The certificate pin of the PC hosting a party without a server. */
  pin?: string | null;
  /** Where that PC answers over TLS, as the link says. */
  at?: readonly string[] | null;
  /** The server shows the party only to an invite's holder, and the link holds none that works. */
  needsInvite?: boolean;
}

export function previewOf(
  partyId: string,
  summary: PartySummaryDict | null,
  facts: PreviewFacts = {},
): InvitePreview {
  const { token = null, missing = false, looking = false } = facts;
  const { server = null, pin = null, at = null, needsInvite = false } = facts;
  return {
    party_id: partyId,
    name: summary?.name ?? null,
    host_name: summary?.host_name ?? null,
    peer_count: summary?.peer_count ?? null,
    summary,
    invite_token: token,
    missing,
    looking,
    server,
    host_pin: pin,
    host_at: at === null ? null : [...at],
    needs_invite: needsInvite,
  };
}
