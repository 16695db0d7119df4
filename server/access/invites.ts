/**
 * Party invites: a secret token (28 characters of a 31-letter alphabet, ~138 random bits)
 * that lets its holder past a password, approval and invite-only, until it expires, is
 * used up or is revoked. Kept durable, so links survive a restart.
 */
import { z } from 'zod';
import { DEFAULT_INVITE_SECONDS, type InviteDict } from '../../shared/access/protocol';
import { randomToken } from '../../shared/values/ids';
import { inviteWebLink } from '../../shared/invite';
import { AccessKind, readJson, type AccessSink, type RowTable } from './records';

const TOKEN_LENGTH = 28;
const INVITE_ID_LENGTH = 8;
/** Live invites per party: enough for any host, bounded for the server. */
export const MAX_INVITES_PER_PARTY = 100;

const InviteRowSchema = z.object({
  invite_id: z.string(),
  party_id: z.string(),
  expires_at: z.number(),
  max_uses: z.number().nullable(),
  uses: z.number(),
});
type InviteRow = z.infer<typeof InviteRowSchema>;
interface Invite extends InviteRow {
  token: string;
}

export class Invites implements RowTable {
  private readonly byToken = new Map<string, Invite>();
  private readonly byParty = new Map<string, Map<string, Invite>>();

  constructor(
    rows: ReadonlyMap<string, string>,
    private readonly sink: AccessSink,
    private readonly now: () => number,
  ) {
    for (const [token, value] of rows) this.applyRow(token, value);
  }

  applyRow(token: string, value: string | null): boolean {
    const before = this.byToken.get(token);
    if (before) this.unindex(before);
    const parsed = value === null ? null : InviteRowSchema.safeParse(readJson(value));
    if (parsed?.success) this.index({ ...parsed.data, token });
    return parsed?.success !== false;
  }

  rowKeys(): string[] {
    return [...this.byToken.keys()];
  }

  private unindex(invite: Invite): void {
    this.byToken.delete(invite.token);
    this.byParty.get(invite.party_id)?.delete(invite.invite_id);
    if (this.byParty.get(invite.party_id)?.size === 0) this.byParty.delete(invite.party_id);
  }

  private index(invite: Invite): void {
    this.byToken.set(invite.token, invite);
    let party = this.byParty.get(invite.party_id);
    if (!party) this.byParty.set(invite.party_id, (party = new Map<string, Invite>()));
    party.set(invite.invite_id, invite);
  }

  /** `base`: the row this change was made on (checked by a shared store), if any. */
  private save(invite: Invite, base?: string | null): void {
    this.sink.recordAccess(AccessKind.INVITE, invite.token, stored(invite), base);
  }

  private remove(invite: Invite, base?: string): void {
    this.unindex(invite);
    this.sink.recordAccess(AccessKind.INVITE, invite.token, null, base);
  }

  private live(invite: Invite): boolean {
    const usedUp = invite.max_uses !== null && invite.uses >= invite.max_uses;
    return !usedUp && invite.expires_at > this.now();
  }

  /** null when the party already has MAX_INVITES_PER_PARTY live invites. */
  create(partyId: string, maxUses?: number, expiresInS?: number): Invite | null {
    this.expire(partyId);
    if ((this.byParty.get(partyId)?.size ?? 0) >= MAX_INVITES_PER_PARTY) return null;
    const invite: Invite = {
      invite_id: randomToken(INVITE_ID_LENGTH),
      party_id: partyId,
      token: randomToken(TOKEN_LENGTH),
      expires_at: this.now() + (expiresInS ?? DEFAULT_INVITE_SECONDS) * 1000,
      max_uses: maxUses ?? null,
      uses: 0,
    };
    this.index(invite);
    this.save(invite, null);
    return invite;
  }

  /** Whether `token` is a live invite to `partyId`. */
  isValid(partyId: string, token: string): boolean {
    const invite = this.byToken.get(token);
    return invite !== undefined && invite.party_id === partyId && this.live(invite);
  }

  /**
   * Counts one use (call once the join it let in is applied). The count is checked against
   * the stored row when committed: of two servers counting the last use at once, one commit
   * is refused, and its join is decided again on the invite as the store has it.
   */
  use(token: string): void {
    const invite = this.byToken.get(token);
    if (!invite) return;
    const base = stored(invite);
    invite.uses += 1;
    if (invite.max_uses !== null && invite.uses >= invite.max_uses) this.remove(invite, base);
    else this.save(invite, base);
  }

  revoke(partyId: string, inviteId: string): boolean {
    const invite = this.byParty.get(partyId)?.get(inviteId);
    if (!invite) return false;
    this.remove(invite);
    return true;
  }

  /** The party's live invites, newest last. */
  list(partyId: string): Invite[] {
    this.expire(partyId);
    return [...(this.byParty.get(partyId)?.values() ?? [])];
  }

  /** The party is gone: so are its invites. */
  dropParty(partyId: string): void {
    for (const invite of [...(this.byParty.get(partyId)?.values() ?? [])]) this.remove(invite);
  }

  /** Removes the party's (or every party's) expired and used-up invites. */
  expire(partyId?: string): void {
    const parties = partyId === undefined ? [...this.byParty.keys()] : [partyId];
    for (const id of parties) {
      for (const invite of [...(this.byParty.get(id)?.values() ?? [])]) {
        if (!this.live(invite)) this.remove(invite);
      }
    }
  }
}

/** The row's stored value. */
function stored(invite: Invite): string {
  const { token: _token, ...row } = invite;
  return JSON.stringify(row);
}

/** The wire form; `url` is the server's https link when it knows its public URL. */
export function inviteDict(invite: Invite, publicUrl: string | null): InviteDict {
  return {
    invite_id: invite.invite_id,
    token: invite.token,
    expires_at: new Date(invite.expires_at).toISOString(),
    max_uses: invite.max_uses,
    uses: invite.uses,
    url: publicUrl === null ? null : inviteWebLink(publicUrl, invite.party_id, invite.token),
  };
}
