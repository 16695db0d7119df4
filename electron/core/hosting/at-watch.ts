/**
 * Parties this PC was in and reached at an address their invite link named (host-at.ts),
 * looked for there again after we left or they ended: nothing announces them on a network
 * that drops mDNS, so "Parties nearby" lost them, and with them one click to rejoin.
 *
 * Bounded: every EVERY_MS, for at most FOR_MS after the party last answered there, at most
 * MOST parties (the oldest is let go). Each look is a TLS handshake checked against the pin
 * kept for the party (pin-probe.ts: hung up before anything is sent; never plain), and only a
 * place showing it is asked `get_party` over the pinned link: what a stranger may learn of
 * the party (its summary), the same fields the LAN's announcement gives the list.
 */
import { PartySummaryDictSchema, type PartySummaryDict } from '../../../shared/access/protocol';
import { PartyInfo } from '../../../shared/model';
import type { Logger } from '../../../shared/logger';
import type { Clock, TimerHandle } from '../../../shared/time/clock';
import { probePin, type PinAnswer } from '../client/link/pin-probe';
import { WsClient } from '../client/link/ws-client';
import type { DiscoveredHost } from './discovery-board';
import type { HostSource } from './host-sources';

export const EVERY_MS = 7000;
export const FOR_MS = 30 * 60_000;
export const MOST = 4;
const ASK_MS = 3000;

/** What a place answered: its party's summary, or why there is none. */
export type AtAnswer = { summary: unknown } | { none: PinAnswer | 'gone' | 'unreadable' };

export interface AtWatchOptions {
  clock: Clock;
  logger: Logger;
  /** Asks the place `url` (pinned) for `partyId` (default: askAt). */
  ask?: (url: string, partyId: string) => Promise<AtAnswer>;
  everyMs?: number;
  forMs?: number;
}

interface Watched {
  host: DiscoveredHost;
  /** Its warnings already logged: a place that keeps answering the same way is told once. */
  warned: Set<string>;
  /** When the host last showed its pin there (or we left it). */
  lastThere: number;
  summary: PartySummaryDict | null;
}

export class AtWatch implements HostSource {
  private readonly watched = new Map<string, Watched>();
  private readonly listeners = new Set<() => void>();
  private timer: TimerHandle | null = null;
  private looking = false;
  /** Closed with its plane: a join failing after that gives its party back to nobody. */
  private closed = false;

  private readonly options: AtWatchOptions;

  constructor(clock: Clock, logger: Logger, tuned: Partial<AtWatchOptions> = {}) {
    this.options = { clock, logger, ...tuned };
  }

  /** `host` (reached at a link's address, pinned) is looked for there from now on. */
  remember(partyId: string, host: DiscoveredHost): void {
    if (this.closed) return;
    this.watched.delete(partyId);
    const lastThere = this.options.clock.now();
    this.watched.set(partyId, { host, lastThere, summary: null, warned: new Set() });
    for (const id of [...this.watched.keys()].slice(0, -MOST)) this.drop(id);
    this.timer ??= this.options.clock.setInterval(
      () => void this.look(),
      this.options.everyMs ?? EVERY_MS,
    );
  }

  /** Not looked for any more (joined again: it is our party's link now). */
  drop(partyId: string): void {
    const was = this.watched.get(partyId);
    if (!was) return;
    this.watched.delete(partyId);
    this.stopIfIdle();
    if (was.summary) this.changed();
  }

  /** The parties answering at their address now, each with its summary. */
  hosts(): ReadonlyMap<string, DiscoveredHost> {
    const listed = new Map<string, DiscoveredHost>();
    for (const [partyId, { host, summary }] of this.watched) {
      if (summary) listed.set(partyId, withSummary(host, summary));
    }
    return listed;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    this.watched.clear();
    this.stopIfIdle();
  }

  /** One look at each place; those past FOR_MS are let go, never asked again. */
  private async look(): Promise<void> {
    if (this.looking) return;
    this.looking = true;
    try {
      const now = this.options.clock.now();
      const forMs = this.options.forMs ?? FOR_MS;
      for (const [partyId, entry] of [...this.watched]) {
        // Closed, or dropped (joined again) while another place was asked: nobody dialled.
        if (this.watched.get(partyId) !== entry) continue;
        if (now - entry.lastThere > forMs) this.drop(partyId);
        else await this.lookAt(partyId, entry);
      }
    } finally {
      this.looking = false;
    }
  }

  private async lookAt(partyId: string, entry: Watched): Promise<void> {
    const logger = onceEach(this.options.logger, entry.warned);
    const wanted = (): boolean => this.watched.get(partyId) === entry;
    const ask =
      this.options.ask ?? ((url, id) => askAt(url, id, { ...this.options, logger, wanted }));
    const answer = await ask(entry.host.controlUrl, partyId).catch((): AtAnswer => ({
      none: 'silent',
    }));
    if (this.watched.get(partyId) !== entry) return;
    const summary = 'summary' in answer ? this.summaryOf(partyId, entry, answer.summary) : null;
    if (summary) entry.lastThere = this.options.clock.now();
    const before = entry.summary;
    entry.summary = summary;
    if (JSON.stringify(before) !== JSON.stringify(summary)) this.changed();
  }

  /** A summary that breaks the schema, or names another party, lists nothing. */
  private summaryOf(partyId: string, entry: Watched, raw: unknown): PartySummaryDict | null {
    const parsed = PartySummaryDictSchema.safeParse(raw);
    if (parsed.success && parsed.data.party_id === partyId) return parsed.data;
    const where = new URL(entry.host.controlUrl).host;
    const why = parsed.success ? `another party (${parsed.data.party_id})` : parsed.error.message;
    const said = `Party ${partyId} at ${where}: not listed, its summary was ${why}`;
    onceEach(this.options.logger, entry.warned).warn(said);
    return null;
  }

  private stopIfIdle(): void {
    if (this.watched.size > 0 || this.timer === null) return;
    this.options.clock.clearInterval(this.timer);
    this.timer = null;
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/** `logger` telling each warning once (a hostile place answers every look: 257 in 30 min). */
function onceEach(logger: Logger, warned: Set<string>): Logger {
  const warn = (message: string): void => {
    if (warned.has(message) || warned.size >= 16) return;
    warned.add(message);
    logger.warn(message);
  };
  const error = (message: string): void => logger.error(message);
  return { debug: (m) => logger.debug(m), info: (m) => logger.info(m), warn, error };
}

/** `host` with what its summary says, as a LAN announcement would have it. */
function withSummary(host: DiscoveredHost, summary: PartySummaryDict): DiscoveredHost {
  const { host_name, peer_count, max_peers, join_policy } = summary;
  const party = new PartyInfo({
    partyId: summary.party_id,
    name: summary.name,
    hostId: '',
    createdAt: new Date(0),
    peers: new Map(),
  });
  return { ...host, party, announced: { host_name, peer_count, max_peers, join_policy } };
}

/**
 * The place `url` (its pin in it) asked for `partyId`: a handshake first, hung up (another
 * certificate or none: nothing is sent); shown, its summary over the pinned link, no plain.
 */
export async function askAt(
  url: string,
  partyId: string,
  options: { clock: Clock; logger: Logger; wanted?: () => boolean },
): Promise<AtAnswer> {
  const shown = await probePin(url, ASK_MS);
  if (shown !== 'shown') return { none: shown };
  // Let go meanwhile (the watch closed with the app): no link is opened for it.
  if (options.wanted?.() === false) return { none: 'gone' };
  const client = await WsClient.connect(url, {
    ...options,
    connectTimeoutMs: ASK_MS,
    requestTimeoutMs: ASK_MS,
    plainFallback: false,
    onPush: () => undefined,
    onClose: () => undefined,
  });
  try {
    if (options.wanted?.() === false) return { none: 'gone' };
    const answer = await client.request({ type: 'get_party', party_id: partyId });
    if (answer.type !== 'party_summary') return { none: 'unreadable' };
    const { type: _type, request_id: _id, ...summary } = answer;
    return { summary };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'not_found') return { none: 'gone' };
    throw error;
  } finally {
    client.close();
  }
}
