/**
 * Bans: the host removes a member for good. A ban holds the peer id and, when it had one,
 * its identity key, so neither a new session nor a new peer id from the same installation
 * gets back in; `unban` lifts both.
 */
import { z } from 'zod';
import type { BanDict } from '../../shared/access/protocol';
import { AccessKind, readJson, type AccessSink, type RowTable } from './records';
import { keyFingerprint } from './identity/identity-proof';

const BanRowSchema = z.object({
  party_id: z.string(),
  peer_id: z.string(),
  name: z.string(),
  public_key: z.string().nullable(),
  banned_at: z.string(),
});
type Ban = z.infer<typeof BanRowSchema>;

const rowKey = (partyId: string, peerId: string): string => `${partyId}\u0000${peerId}`;

export class Bans implements RowTable {
  private readonly byParty = new Map<string, Map<string, Ban>>();

  constructor(
    rows: ReadonlyMap<string, string>,
    private readonly sink: AccessSink,
  ) {
    for (const [key, value] of rows) this.applyRow(key, value);
  }

  applyRow(key: string, value: string | null): boolean {
    if (value === null) {
      const [partyId = '', peerId = ''] = key.split('\u0000');
      const party = this.byParty.get(partyId);
      if (party?.delete(peerId) && party.size === 0) this.byParty.delete(partyId);
      return true;
    }
    const parsed = BanRowSchema.safeParse(readJson(value));
    if (parsed.success) this.index(parsed.data);
    return parsed.success;
  }

  rowKeys(): string[] {
    const keys: string[] = [];
    for (const party of this.byParty.values()) {
      for (const ban of party.values()) keys.push(rowKey(ban.party_id, ban.peer_id));
    }
    return keys;
  }

  private index(ban: Ban): void {
    let party = this.byParty.get(ban.party_id);
    if (!party) this.byParty.set(ban.party_id, (party = new Map<string, Ban>()));
    party.set(ban.peer_id, ban);
  }

  /** Whether this peer id, or this identity key under any peer id, is banned from the party. */
  isBanned(partyId: string, peerId: string, publicKey: string | null): boolean {
    const party = this.byParty.get(partyId);
    if (!party) return false;
    if (party.has(peerId)) return true;
    if (publicKey === null) return false;
    for (const ban of party.values()) if (ban.public_key === publicKey) return true;
    return false;
  }

  ban(partyId: string, peerId: string, name: string, publicKey: string | null, at: Date): void {
    const ban: Ban = {
      party_id: partyId,
      peer_id: peerId,
      name,
      public_key: publicKey,
      banned_at: at.toISOString(),
    };
    this.index(ban);
    this.sink.recordAccess(AccessKind.BAN, rowKey(partyId, peerId), JSON.stringify(ban));
  }

  unban(partyId: string, peerId: string): boolean {
    const party = this.byParty.get(partyId);
    if (!party?.delete(peerId)) return false;
    if (party.size === 0) this.byParty.delete(partyId);
    this.sink.recordAccess(AccessKind.BAN, rowKey(partyId, peerId), null);
    return true;
  }

  list(partyId: string): BanDict[] {
    return [...(this.byParty.get(partyId)?.values() ?? [])].map((b) => ({
      peer_id: b.peer_id,
      name: b.name,
      key_fingerprint: b.public_key === null ? null : keyFingerprint(b.public_key),
      banned_at: b.banned_at,
    }));
  }

  /** The party is gone: its id is never used again, so its bans can go. */
  dropParty(partyId: string): void {
    for (const peerId of [...(this.byParty.get(partyId)?.keys() ?? [])])
      this.unban(partyId, peerId);
  }
}
