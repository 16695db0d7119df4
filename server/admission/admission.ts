/**
 * Who may open a connection. Every TCP socket is counted per client address from accept to
 * close (HTTP, handshakes in progress and WebSockets alike), and an upgrade is refused with
 * an HTTP status: 503 when the server holds its maximum of WebSocket connections, 429 when
 * the address holds its share. 981 idle sockets from one address used to take every
 * descriptor of a `ulimit -n 1024` server. Sockets far past an address's share (twice it)
 * are cut at accept, before they cost a handshake.
 */
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { Logger } from '../../shared/logger';
import { clientAddress } from '../http/client-address';

export interface AdmissionOptions {
  /** WebSocket connections held at once; the next upgrade gets 503. */
  maxConnections: number;
  /** Sockets one address (IPv6: one /64) may hold at once; the next upgrade gets 429. */
  maxPerAddress: number;
  /**
   * After a connection from an address is cut for not reading, that address's upgrades get
   * 429 for this long, doubled for each further cut (see CutBackoff); 0 turns it off.
   */
  cutBackoffMs: number;
}

/** 20 000 peers with headroom; a NAT address shared by a whole LAN party fits 256. */
export const DEFAULT_ADMISSION: AdmissionOptions = {
  maxConnections: 25_000,
  maxPerAddress: 256,
  cutBackoffMs: 1000,
};

export const REFUSE_FULL = '503 Service Unavailable';
export const REFUSE_ADDRESS = '429 Too Many Requests';
/** Descriptors kept for the database, the writer thread, logs and HTTP requests. */
const FD_RESERVE = 256;
const LOG_EVERY_MS = 1000;

/** The key an address is counted under: IPv4 as is, IPv6 by its /64 (one subscriber). */
export function addressKey(remote: string | undefined): string {
  if (!remote) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(remote);
  if (mapped) return mapped[1]!;
  if (!remote.includes(':')) return remote;
  const [head = '', tail = ''] = remote.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = remote.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** The soft `ulimit -n` of this process (Linux), or null when it cannot be read. */
export function openFileLimit(): number | null {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const match = /^Max open files\s+(\d+|unlimited)/m.exec(limits);
    if (!match || match[1] === 'unlimited') return null;
    return Number(match[1]);
  } catch {
    return null;
  }
}

/**
 * The connection cap that fits the descriptors this process may open: a cap above
 * `ulimit -n` would let sockets take the descriptors the database and new clients need.
 */
export function fitToDescriptors(
  options: AdmissionOptions,
  logger: Logger,
  fdLimit = openFileLimit(),
): AdmissionOptions {
  if (fdLimit === null || options.maxConnections + FD_RESERVE <= fdLimit) return options;
  const maxConnections = Math.max(1, fdLimit - FD_RESERVE);
  logger.warn(
    `ulimit -n is ${fdLimit}: holding at most ${maxConnections} connections instead of ` +
      `${options.maxConnections}; raise it (e.g. LimitNOFILE=65536) to serve more`,
  );
  return { ...options, maxConnections };
}

export class Admission {
  private readonly perAddress = new Map<string, number>();
  private readonly backoff: CutBackoff;
  private refusedSinceLog = 0;
  private lastLogAt = -Infinity;

  constructor(
    readonly options: AdmissionOptions,
    private readonly logger: Logger,
    /** WebSocket connections currently held. */
    private readonly held: () => number,
    /** A socket that has sent nothing at all by then is cut. */
    private readonly silentMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.backoff = new CutBackoff(options.cutBackoffMs);
  }

  /** A connection from `key` (an addressKey) was cut because it did not read what it asked for. */
  cutForNotReading(key: string): void {
    const ms = this.backoff.cut(key, this.now());
    if (ms > 0) this.logger.warn(`Refusing new connections from ${key} for ${ms} ms`);
  }

  /** Counts a new TCP socket until it closes; cuts it at once when far over its share. */
  track(socket: Socket): void {
    const key = addressKey(clientAddress(socket));
    const count = (this.perAddress.get(key) ?? 0) + 1;
    this.perAddress.set(key, count);
    // The HTTP server's headersTimeout starts with a request's first byte; a socket that
    // never sends one is cut here.
    const silent = setTimeout(() => socket.bytesRead === 0 && socket.destroy(), this.silentMs);
    silent.unref();
    socket.once('close', () => {
      clearTimeout(silent);
      const left = (this.perAddress.get(key) ?? 1) - 1;
      if (left <= 0) this.perAddress.delete(key);
      else this.perAddress.set(key, left);
    });
    if (count > 2 * this.options.maxPerAddress) {
      this.noteRefusal(key, 'cut at accept, far over its per-address cap');
      socket.destroy();
    }
  }

  /** At the upgrade: null to admit, or the HTTP status to refuse with. */
  refusal(socket: Socket): string | null {
    const key = addressKey(clientAddress(socket));
    if (this.held() >= this.options.maxConnections) {
      this.noteRefusal(key, `${REFUSE_FULL}: ${this.options.maxConnections} connections held`);
      return REFUSE_FULL;
    }
    if ((this.perAddress.get(key) ?? 0) > this.options.maxPerAddress) {
      this.noteRefusal(key, `${REFUSE_ADDRESS}: per-address cap ${this.options.maxPerAddress}`);
      return REFUSE_ADDRESS;
    }
    if (this.backoff.isBackingOff(key, this.now())) {
      this.noteRefusal(key, `${REFUSE_ADDRESS}: backing off after a cut for not reading`);
      return REFUSE_ADDRESS;
    }
    return null;
  }

  /** One log line per second at most, with how many were refused since the last one. */
  private noteRefusal(key: string, why: string): void {
    this.refusedSinceLog += 1;
    const now = this.now();
    if (now - this.lastLogAt < LOG_EVERY_MS) return;
    this.logger.warn(
      `Refused a connection from ${key} (${why}); ${this.refusedSinceLog} refused since the last such line`,
    );
    this.refusedSinceLog = 0;
    this.lastLogAt = now;
  }
}

/** The longest back-off, however often an address was cut. */
export const MAX_CUT_BACKOFF_MS = 60_000;
/** An address not cut for this long starts again from the first back-off. */
export const CUT_MEMORY_MS = 10 * 60_000;
/** Addresses remembered at most; past it, forgotten ones are dropped, then the oldest. */
const MAX_REMEMBERED = 10_000;

interface Strikes {
  count: number;
  until: number;
  lastCutAt: number;
}

/**
 * Per-address back-off after cuts for not reading. A client cut at its unsent-bytes cap and
 * reconnecting at once gets a fresh connection and asks for the same snapshots again: 200
 * such clients were cut 716 times and sent 577 017 requests in one phase of bench:abuse.
 * Each cut refuses the address's new connections (its held ones are untouched) for
 * `baseMs`, doubled per further cut up to MAX_CUT_BACKOFF_MS. Cuts during a back-off do not
 * add to it: connections made before it was imposed are cut one after another, and a NAT
 * shared by a LAN party should not pay for one stalled member with a minute.
 */
export class CutBackoff {
  private readonly strikes = new Map<string, Strikes>();

  constructor(private readonly baseMs: number) {}

  /** Records a cut at `now`; returns the back-off it imposed (0 when none is new). */
  cut(key: string, now: number): number {
    if (this.baseMs <= 0) return 0;
    const earlier = this.strikes.get(key);
    if (earlier && now < earlier.until) return 0;
    const count = earlier && now - earlier.lastCutAt < CUT_MEMORY_MS ? earlier.count + 1 : 1;
    const ms = Math.min(this.baseMs * 2 ** Math.min(count - 1, 30), MAX_CUT_BACKOFF_MS);
    this.strikes.delete(key);
    this.strikes.set(key, { count, until: now + ms, lastCutAt: now });
    if (this.strikes.size > MAX_REMEMBERED) this.forget(now);
    return ms;
  }

  isBackingOff(key: string, now: number): boolean {
    const strikes = this.strikes.get(key);
    return strikes !== undefined && now < strikes.until;
  }

  private forget(now: number): void {
    for (const [key, s] of this.strikes) {
      if (now - s.lastCutAt >= CUT_MEMORY_MS) this.strikes.delete(key);
    }
    // Insertion order is cut order (re-inserted on each cut): the first is the oldest.
    for (const key of this.strikes.keys()) {
      if (this.strikes.size <= MAX_REMEMBERED) break;
      this.strikes.delete(key);
    }
  }
}
