/**
 * Server quotas: what one address, peer or connection may create or churn. They bound what a
 * stranger can make the server store and fan out (one connection used to create ~900
 * parties a second). Each refusal is a `quota_exceeded` error with a message fit to show.
 * Address-keyed state lives in memory only: after a restart every address starts afresh.
 */
import { ControlPlaneError } from '../../shared/protocol/errors';
import type { PartyInfo } from '../../shared/model';
import { ErrorCode } from '../../shared/protocol/protocol';
import { RateDecision, TokenBucket } from './rate-limit';
import { SignalBudget } from './signal-budget';

export interface QuotaOptions {
  /** Parties one peer id may host at once (0 = no limit). */
  maxPartiesPerPeer: number;
  /** Parties created from one address that may exist at once (0 = no limit). */
  maxPartiesPerAddress: number;
  /** Party creations per address per minute, up to this many at once (0 = no limit). */
  creationsPerMinute: number;
  /**
   * New peer ids bound for good to an identity key, per address per minute (0 = no limit).
   * A binding is never pruned (access/identity/key-bindings.ts): 256 connections joining and
   * leaving with a fresh id each time at the churn limit bound ~7 700 ids a minute from one
   * address, ~4 MB at ~500 B each, for good.
   */
  peerIdsPerMinute: number;
  /** join_party + leave_party per connection per minute, up to this many at once (0 = no limit). */
  churnPerMinute: number;
  /** A peer's update_peer is applied at most once per this many ms (0 = every one). */
  updateIntervalMs: number;
  /** get_party answer bytes per connection per second, burst twice that (0 = no limit). */
  snapshotBytesPerSecond: number;
  /** The same for all connections from one address, burst four times that (0 = no limit). */
  addressSnapshotBytesPerSecond: number;
  /**
   * `signal` bytes one peer may send another per second, burst four times that; all it sends
   * together, SENDER_SHARE times that (signal-budget.ts).
   */
  signalBytesPerSecond: number;
  /**
   * Messages all connections from one address may send per second together, burst four times
   * that, a frame counting one more for each KiB it holds (0 = no limit); see spendMessages.
   */
  addressMessagesPerSecond: number;
}

/**
 * Sized for people, not scripts: the app hosts one party at a time, a LAN party behind one
 * NAT address may host a few dozen, and a person joins and leaves a few parties a minute.
 */
export const DEFAULT_QUOTAS: QuotaOptions = {
  maxPartiesPerPeer: 4,
  maxPartiesPerAddress: 64,
  creationsPerMinute: 20,
  peerIdsPerMinute: 60,
  churnPerMinute: 60,
  updateIntervalMs: 1000,
  snapshotBytesPerSecond: 512 * 1024,
  addressSnapshotBytesPerSecond: 2 * 1024 * 1024,
  signalBytesPerSecond: 32 * 1024,
  addressMessagesPerSecond: 200,
};

/** Everything off (benchmarks that measure raw throughput, tests of other rules). */
export const NO_QUOTAS: QuotaOptions = {
  maxPartiesPerPeer: 0,
  maxPartiesPerAddress: 0,
  creationsPerMinute: 0,
  peerIdsPerMinute: 0,
  churnPerMinute: 0,
  updateIntervalMs: 0,
  snapshotBytesPerSecond: 0,
  addressSnapshotBytesPerSecond: 0,
  signalBytesPerSecond: 0,
  addressMessagesPerSecond: 0,
};

const exceeded = (message: string): ControlPlaneError =>
  new ControlPlaneError(message, { code: ErrorCode.QUOTA_EXCEEDED });

/*
 * Party snapshots (`get_party` answers): a request of ~40 bytes is answered with up to
 * ~84 KiB; without a budget, clients asking within the message rate limit (and never
 * reading) made the server write ~750 MB/s. The address budget is shared by all its
 * connections: a client cut for not reading that reconnects gets a fresh connection budget,
 * not a fresh address budget. Its burst leaves room for a LAN party of ~50 behind one NAT
 * all fetching a full party at once.
 */

/** A connection's snapshot budget (burst twice the rate); null when unlimited. */
export function snapshotBucket(bytesPerSecond: number, now: number): TokenBucket | null {
  if (bytesPerSecond <= 0) return null;
  return new TokenBucket(
    { burst: 2 * bytesPerSecond, perSecond: bytesPerSecond, maxStrikes: Infinity },
    now,
  );
}

/** Made once: a flood meets it thousands of times a second (see connection.ts). */
const ADDRESS_SNAPSHOTS_REFUSED = new ControlPlaneError(
  'Too many party snapshots asked for from your address; slow down',
  { code: ErrorCode.RATE_LIMITED },
);

/** A bucket of `perMinute` tokens refilling over a minute; null when unlimited. */
export function perMinuteBucket(perMinute: number, now: number): TokenBucket | null {
  if (perMinute <= 0) return null;
  return new TokenBucket(
    { burst: perMinute, perSecond: perMinute / 60, maxStrikes: Infinity },
    now,
  );
}

export class Quotas {
  /** address → party id → its creation time (filtered against the live parties). */
  private readonly byAddress: PartyIndex = new Map();
  /** host peer id → party id → its creation time. */
  private readonly byHost: PartyIndex = new Map();
  private readonly creations = new Map<string, TokenBucket>();
  private readonly peerIds = new Map<string, TokenBucket>();
  private readonly snapshots = new Map<string, TokenBucket>();
  private readonly signals: SignalBudget;
  private readonly messages = new Map<string, TokenBucket>();

  /** `parties`: those loaded at start, which count against their hosts. */
  constructor(
    readonly options: QuotaOptions,
    private readonly now: () => number,
    parties: Iterable<PartyInfo> = [],
  ) {
    for (const party of parties) add(this.byHost, party.hostId, party);
    this.signals = new SignalBudget(options.signalBytesPerSecond, now);
  }

  /**
   * Checks that `address` may create a party hosted by `hostId` now, and spends one creation
   * (unless `spend` is false: a check again, after a wait, of a creation already spent).
   * @throws ControlPlaneError `quota_exceeded`
   */
  admitCreation(
    address: string,
    hostId: string,
    parties: ReadonlyMap<string, PartyInfo>,
    spend = true,
  ): void {
    const o = this.options;
    if (o.maxPartiesPerPeer > 0 && live(this.byHost, hostId, parties) >= o.maxPartiesPerPeer) {
      throw exceeded(`Peer ${hostId} already hosts ${o.maxPartiesPerPeer} parties; end one first`);
    }
    const fromAddress = live(this.byAddress, address, parties);
    if (o.maxPartiesPerAddress > 0 && fromAddress >= o.maxPartiesPerAddress) {
      throw exceeded(`Your address already hosts ${o.maxPartiesPerAddress} parties; end one first`);
    }
    if (spend && !this.spendCreation(address)) {
      throw exceeded(`Too many parties created from your address; try again in a minute`);
    }
  }

  private spendCreation(address: string): boolean {
    return this.spendPerMinute(this.creations, address, this.options.creationsPerMinute);
  }

  /**
   * Spends one of `address`'s new peer ids (one its key will hold for good).
   * @throws ControlPlaneError `quota_exceeded`
   */
  spendPeerId(address: string): void {
    if (!this.spendPerMinute(this.peerIds, address, this.options.peerIdsPerMinute)) {
      throw exceeded('Too many new player ids from your address; try again in a minute');
    }
  }

  private spendPerMinute(buckets: Map<string, TokenBucket>, key: string, perMinute: number) {
    let bucket = buckets.get(key);
    if (!bucket) {
      const fresh = perMinuteBucket(perMinute, this.now());
      if (!fresh) return true;
      buckets.set(key, (bucket = fresh));
    }
    return bucket.take(this.now()) === RateDecision.ALLOW;
  }

  /**
   * Spends `bytes` of `address`'s snapshot budget.
   * @throws ControlPlaneError `rate_limited` when it is used up.
   */
  spendSnapshot(address: string, bytes: number): void {
    const perSecond = this.options.addressSnapshotBytesPerSecond;
    if (!this.spendBytes(this.snapshots, address, perSecond, bytes)) {
      throw ADDRESS_SNAPSHOTS_REFUSED;
    }
  }

  /**
   * Spends `cost` of `address`'s message budget, before the frame is read: false when it is
   * used up. The rate limit is per connection and an address may hold 256: 16 of them each
   * sending frames that were slow to read (names NFKC expands, thousands of empty objects),
   * within their own limits, held a server's loop for seconds (an attacker's review).
   */
  spendMessages(address: string, cost: number): boolean {
    const perSecond = this.options.addressMessagesPerSecond;
    return perSecond <= 0 || this.spendBytes(this.messages, address, perSecond, cost);
  }

  /**
   * Spends `bytes` of `address`'s snapshot budget if it holds them, and answers 0; else spends
   * nothing and answers the seconds until it will (an HTTP answer's Retry-After).
   */
  snapshotWait(address: string, bytes: number): number {
    const perSecond = this.options.addressSnapshotBytesPerSecond;
    if (this.spendBytes(this.snapshots, address, perSecond, bytes)) return 0;
    return this.snapshots.get(address)?.secondsUntil(this.now(), bytes) ?? 0;
  }

  /** Spends `bytes` from `key`'s bucket in `buckets` (burst four times `perSecond`; 0: none). */
  private spendBytes(
    buckets: Map<string, TokenBucket>,
    key: string,
    perSecond: number,
    bytes: number,
  ): boolean {
    if (perSecond <= 0) return true;
    let bucket = buckets.get(key);
    if (!bucket) {
      const options = { burst: 4 * perSecond, perSecond, maxStrikes: Infinity };
      buckets.set(key, (bucket = new TokenBucket(options, this.now())));
    }
    return bucket.take(this.now(), bytes) === RateDecision.ALLOW;
  }

  /**
   * Spends `bytes` of what `from` may send `to` by `signal` (signal-budget.ts).
   * @throws ControlPlaneError `rate_limited`, to the sender
   */
  spendSignal(from: string, to: string, bytes: number): void {
    this.signals.spend(from, to, bytes);
  }

  /** The party now exists: it counts against its address and host until it ends. */
  recordCreation(address: string, party: PartyInfo): void {
    add(this.byAddress, address, party);
    add(this.byHost, party.hostId, party);
  }

  /** Forgets ended parties and full creation buckets (run with the stale sweep). */
  prune(parties: ReadonlyMap<string, PartyInfo>): void {
    for (const index of [this.byAddress, this.byHost]) {
      for (const key of [...index.keys()]) live(index, key, parties);
    }
    this.signals.prune();
    const all = [this.creations, this.peerIds, this.snapshots, this.messages];
    for (const buckets of all) {
      for (const [address, bucket] of buckets) {
        if (bucket.isFull(this.now())) buckets.delete(address);
      }
    }
  }
}

/**
 * Party ids are reused once a party ends, so an entry counts only while the live party with
 * that id is the one created then.
 */
type PartyIndex = Map<string, Map<string, number>>;

function add(index: PartyIndex, key: string, party: PartyInfo): void {
  let ids = index.get(key);
  if (!ids) index.set(key, (ids = new Map<string, number>()));
  ids.set(party.partyId, party.createdAt.getTime());
}

/** How many of `key`'s parties still exist; drops the ended ones from the index. */
function live(index: PartyIndex, key: string, parties: ReadonlyMap<string, PartyInfo>): number {
  const ids = index.get(key);
  if (!ids) return 0;
  for (const [id, createdAt] of ids) {
    if (parties.get(id)?.createdAt.getTime() !== createdAt) ids.delete(id);
  }
  if (ids.size === 0) index.delete(key);
  return ids.size;
}
