/**
 * What the structures that grow by design cost per entry, measured here the same way as the
 * soak's heap (after full GCs): removal notices (kept a day, at most MAX_NOTICE_SESSIONS
 * sessions), used party ids and identity key bindings (both kept for good, on purpose). The
 * soak subtracts their growth from the heap's; what is left is growth nothing explains.
 */
import { discardAccess } from '../../server/access/test-util/discard-access';
import { KeyBindings } from '../../server/access/identity/key-bindings';
import { UsedPartyIds } from '../../server/access/used-ids';
import { TimeoutNotices } from '../../server/presence/timeout-notices';
import { randomToken } from '../../shared/values/ids';
import { retainedHeap } from './heap';

export interface EntryCosts {
  /** A session with one removal notice, its 32-character token included. */
  notice_session: number;
  used_id: number;
  /** A peer id bound to a key of its own (the soak's ids each prove a new key). */
  binding: number;
}

/** The size names in structureSizes() whose growth these costs explain. */
export const BY_DESIGN_SIZES: Record<keyof EntryCosts, string> = {
  notice_session: 'notices.sessions',
  used_id: 'usedIds (by design, forever)',
  binding: 'bindings (by design, forever)',
};

export const ENTRIES = 20_000;

interface Entries {
  fill: (i: number) => void;
  /** After the last fill (e.g. a store's commit of the rows filled). */
  finish?: () => Promise<void>;
  keep: unknown;
}

/** Bytes retained per entry made by `fill` (ENTRIES of them), kept alive by `keep`. */
export async function perEntry(make: () => Entries | Promise<Entries>): Promise<number> {
  const made = await make();
  const before = (await retainedHeap()).heap_used;
  for (let i = 0; i < ENTRIES; i++) made.fill(i);
  await made.finish?.();
  const after = (await retainedHeap()).heap_used;
  void made.keep; // Used after the reading: the structure is still alive during it.
  return Math.round((after - before) / ENTRIES);
}

export async function entryCosts(): Promise<EntryCosts> {
  const at = Date.now();
  const notice_session = await perEntry(() => {
    const notices = new TimeoutNotices(ENTRIES + 1, discardAccess);
    const fill = (i: number): void =>
      notices.record(randomToken(32), { partyId: 'soak-open-party', peerId: `gone-${i}`, at });
    return { fill, keep: notices };
  });
  const used_id = await perEntry(() => {
    const used = new UsedPartyIds(new Map(), discardAccess);
    return { fill: (i) => used.add(`soak-e-${i}`, new Date(at), null), keep: used };
  });
  const binding = await perEntry(() => {
    const bindings = new KeyBindings(new Map(), discardAccess);
    const key = (i: number): string => `${String(i).padStart(42, 'k')}A=`;
    return { fill: (i) => bindings.bind(`eh-${i}`, key(i)), keep: bindings };
  });
  return { notice_session, used_id, binding };
}
