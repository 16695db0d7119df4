/**
 * How access control plugs into the server: its state built from the store's rows, what
 * goes when a party goes, the approval timer, and the `/join/…` page.
 */
import type { PartyInfo } from '../../shared/model';
import type { Clock } from '../../shared/time/clock';
import type { GroupCommitter } from '../store/group-commit';
import type { ServerContext } from '../connection/handlers';
import type { AccessRow, LoadedState } from '../store/store';
import type { Logger } from '../../shared/logger';
import { createAccess, type AccessContext } from './context';
import { AccessKind } from './records';
import type { AudienceCheck } from './identity/audience';
import type { GuessLimiter } from './guess-throttle';
import { partySummary, summaryNeedsInvite } from '../../shared/party/summary';
import { expireApprovals, tellJoiner } from './door';
import {
  JOIN_PAGE_HEADERS,
  parseJoinPath,
  renderJoinPage,
  renderRefusedLink,
  type JoinPageParty,
} from './join-page';
import { ErrorCode } from '../../shared/protocol/protocol';
import type { PageAnswer } from '../http/health';

export interface AccessOptions {
  /** The server's public https URL (`--public-url`): invites get web links, `/join/` pages. */
  publicUrl?: string;
  /** How often waiting joins are checked for expiry (default 5 s). */
  approvalCheckMs?: number;
  /** The origins identity proofs must name (1.7: an app's embedded server); default none. */
  audience?: AudienceCheck;
}

/** Where the access state's pieces come from besides the store. */
export interface AccessSources extends AccessOptions {
  /** A shared store's password throttle (default: this server's memory). */
  backend?: { guesses(now: () => number): GuessLimiter };
  /** Told of stored rows that cannot be read. */
  logger?: Logger;
}

/**
 * A row's key as the log may show it: an invite's key is its token (the link lets anyone in)
 * and a notice's a session token (it takes over the session), so neither is written out.
 */
function shownKey(row: AccessRow): string {
  if (row.kind === AccessKind.INVITE) return 'its key is an invite token, not logged';
  if (row.kind === AccessKind.NOTICE && !row.key.startsWith('key:')) {
    return 'its key is a session token, not logged';
  }
  return row.key.slice(0, 64);
}

/** Builds the access state; ids of parties loaded from an older store count as used. */
export function buildAccess(
  loaded: LoadedState,
  committer: GroupCommitter,
  clock: Clock,
  { backend, logger, ...options }: AccessSources,
): AccessContext {
  const rows = loaded.access ?? [];
  const now = (): number => clock.now();
  const guesses = backend?.guesses(now);
  const unreadable = (row: AccessRow): void =>
    logger?.warn(`Ignoring an unreadable ${row.kind} row (${shownKey(row)}) in the store`);
  const created = createAccess(rows, committer, now, options.publicUrl, guesses, unreadable);
  const access: AccessContext = { ...created, audience: options.audience ?? null };
  for (const party of loaded.parties.values()) {
    access.usedIds.add(party.partyId, party.createdAt, access.bindings.keyOf(party.hostId) ?? null);
  }
  return access;
}

/**
 * A party is gone: its password, invites and bans go; waiting joiners are told it ended.
 * `keepRules`: the party only stops being served for now and comes back (an app's embedded
 * server as its host quits: the host's app hosts it again on its next start), so its
 * password, invites and bans stay; without them it would come back asking a password it
 * no longer has, every guess "wrong", and with its bans lifted.
 */
export function forgetParty(context: ServerContext, partyId: string, keepRules = false): void {
  const { access } = context;
  if (!keepRules) {
    access.passwords.set(partyId, null);
    access.invites.dropParty(partyId);
    access.bans.dropParty(partyId);
  }
  for (const pending of access.approvals.dropParty(partyId)) {
    tellJoiner(context, pending, ErrorCode.PARTY_ENDED);
  }
}

/**
 * Checks waiting joins for expiry on the server that runs the sweeps (`leads`), so that a
 * request shared by several servers is expired, and its two sides told, once; returns what
 * stops the timer.
 */
export function startApprovalTimer(
  context: ServerContext,
  options: AccessOptions,
  leads: () => boolean,
): () => void {
  const timer = context.clock.setInterval(
    () => leads() && expireApprovals(context),
    options.approvalCheckMs ?? 5000,
  );
  return () => context.clock.clearInterval(timer);
}

/** What the join page shows of `party`: the rule get_party applies to strangers. */
function pageParty(party: PartyInfo | undefined, inviteValid: boolean): JoinPageParty {
  if (!party) return 'gone';
  return summaryNeedsInvite(party.settings) && !inviteValid ? 'needs_invite' : partySummary(party);
}

/**
 * What one `/join/` page spends of its address's snapshot budget, whatever it shows (more
 * than any page sends): a probe of a made-up id costs as much as one that finds a party.
 * Unbudgeted, the page answered at HTTP speed what get_party answers within the rate limit.
 */
export const JOIN_PAGE_BYTES = 4096;

/**
 * The `/join/<party_id>?invite=<token>` page, or null for any other path (or no public URL);
 * `retryAfterS` when `address` spent its snapshot budget. `target`: the request's as sent.
 */
export function joinPage(
  context: ServerContext,
  url: URL,
  address: string,
  target: string,
): PageAnswer | null {
  const { publicUrl } = context.access;
  if (publicUrl === null) return null;
  // An absolute-form target (`GET http://host/join/…`, through a proxy) has its path in `url`.
  const read = parseJoinPath(
    target.startsWith('/') ? target : url.pathname + url.search,
    publicUrl,
  );
  if (!read) return null;
  const retryAfterS = context.quotas.snapshotWait(address, JOIN_PAGE_BYTES);
  if (retryAfterS > 0) return { retryAfterS };
  const headers = { ...JOIN_PAGE_HEADERS };
  if (!read.ok) return { status: 400, headers, body: renderRefusedLink(read.message) };
  const path = { partyId: read.partyId, token: read.invite ?? null };
  const party = context.service.parties.get(path.partyId);
  const valid = path.token !== null && context.access.invites.isValid(path.partyId, path.token);
  return { headers, body: renderJoinPage(path, pageParty(party, valid), valid, publicUrl) };
}
