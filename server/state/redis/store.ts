/**
 * The party store in Redis, shared by every server started with the same `--redis`:
 * each commit is one Lua script (commit.ts) that checks the parties' versions,
 * writes, and publishes the change to the other servers. Redis must run with append-only
 * persistence (`appendfsync always` for the same guarantee as the SQLite store: what is
 * acknowledged survives a crash of Redis).
 *
 * ioredis (maintained, used by colyseus' RedisPresence) was chosen over `redis` for its
 * reconnect strategy with a resubscribe after a reconnect, and script commands defined once
 * (EVALSHA, falling back to EVAL). Commands fail at once while Redis is away (no offline
 * queue): a commit that cannot be written is refused, never held in a growing queue.
 */
import { randomUUID } from 'node:crypto';
import type { ChainableCommander, Redis } from 'ioredis';
import type { PartyInfo } from '../../../shared/model';
import type { Logger } from '../../../shared/logger';
import { accessRowId, isAccessKind, type AccessRow } from '../../access/records';
import {
  StoreConflict,
  type LoadedState,
  type PartyStore,
  type StoreBatch,
} from '../../store/store';
import type { StoredAccess, StoredOwners, StoredParty } from '../backend';
import { COMMIT_SCRIPT, conflictIds } from './commit';
import { NoAnswer, within } from './within';
import { changesChannel, databaseOf } from './database';
import { connectRedis, waitReady, type PasswordSource } from './connect';
import { changeParts, partyWrites, readParty } from '../replication';

export const DEFAULT_PREFIX = 'lanrage:';
type Hash = Record<string, string>;
/** HMGET's answer: one value per field asked for, null where absent. */
type Fields = (string | null)[];
const PING_TIMEOUT_MS = 2000;
const CLOSE_TIMEOUT_MS = 1000;
/**
 * A commit Redis has not answered by then fails (`unavailable`, kept and tried again), as if
 * Redis were down: a hung Redis, or one behind a network dropping packets, keeps the
 * connection open, and requests waited unanswered for as long as it did. Under the app's
 * 10 s request timeout. Redis may still run it late; the retry then meets a conflict and the
 * server reads the party back.
 */
export const COMMIT_TIMEOUT_MS = 5000;

type CommitCommand = (
  prefix: string,
  checks: Buffer,
  head: string,
  parties: Buffer,
  tail: Buffer,
  channel: string,
) => Promise<string>;

/** The store's commit count as read (the commit script's P..'commits'; 0 before any). */
const commitCount = (value: string | null): number => Number(value ?? 0) || 0;

export class RedisPartyStore implements PartyStore {
  readonly replicates = true;
  /** This server's id in what it publishes (its own messages are not applied twice). */
  readonly instanceId = randomUUID();
  /** Where commits are published (databaseOf: each database has its own). */
  readonly channel: string;
  private readonly commitCommand: CommitCommand;
  /** A commit that timed out, until Redis answers it (send). */
  private unanswered: Promise<void> | null = null;
  /** The PING readiness probes wait for, until Redis answers it (ping). */
  private pinging: Promise<string> | null = null;

  constructor(
    readonly redis: Redis,
    readonly prefix: string = DEFAULT_PREFIX,
    private readonly logger?: Logger,
  ) {
    this.channel = changesChannel(prefix, databaseOf(redis));
    redis.defineCommand('lanrageCommit', { numberOfKeys: 0, lua: COMMIT_SCRIPT });
    const commands = redis as unknown as Record<string, CommitCommand>;
    this.commitCommand = commands.lanrageCommit!.bind(redis);
  }

  static async open(
    url: string,
    logger: Logger,
    prefix?: string,
    passwordFile: PasswordSource = null,
  ): Promise<RedisPartyStore> {
    const redis = connectRedis(url, logger, 'lanrage-store');
    await waitReady(redis, url, passwordFile);
    return new RedisPartyStore(redis, prefix, logger);
  }

  async load(): Promise<LoadedState> {
    const at = this.prefix;
    const [stored, seqs, versions, owners, access, commits] = (await this.readTogether((tx) =>
      tx
        .hgetall(`${at}party`)
        .hgetall(`${at}seq`)
        .hgetall(`${at}ver`)
        .hgetall(`${at}owners`)
        .hgetall(`${at}access`)
        .get(`${at}commits`),
    )) as [Hash, Hash, Hash, Hash, Hash, string | null];
    const loaded = await this.readParties(stored, seqs, versions, commitCount(commits));
    return {
      at: commitCount(commits),
      parties: new Map([...loaded].map(([id, p]) => [id, p.party])),
      seqs: new Map([...loaded].map(([id, p]) => [id, p.seq])),
      versions: new Map([...loaded].map(([id, p]) => [id, p.version])),
      owners: new Map(Object.entries(owners)),
      access: accessRows(access),
    };
  }

  /** These parties as stored now (null: gone), for a server whose copy fell behind. */
  async loadParties(ids: string[]): Promise<Map<string, StoredParty>> {
    const out = new Map<string, StoredParty>();
    if (ids.length === 0) return out;
    const at = this.prefix;
    const [values, numbers, labels, commits] = (await this.readTogether((tx) =>
      tx
        .hmget(`${at}party`, ...ids)
        .hmget(`${at}seq`, ...ids)
        .hmget(`${at}ver`, ...ids)
        .get(`${at}commits`),
    )) as [Fields, Fields, Fields, string | null];
    const read = commitCount(commits);
    const stored: Record<string, string> = {};
    const seqs: Record<string, string> = {};
    const versions: Record<string, string> = {};
    ids.forEach((id, i) => {
      if (values[i]) stored[id] = values[i];
      if (numbers[i]) seqs[id] = numbers[i];
      if (labels[i]) versions[id] = labels[i];
    });
    const loaded = await this.readParties(stored, seqs, versions, read);
    for (const id of ids) {
      out.set(id, loaded.get(id) ?? { party: null, seq: 0, version: '', at: read });
    }
    return out;
  }

  /**
   * Reads in one transaction (MULTI/EXEC): another server's commit cannot fall between
   * them, which would pair a party's JSON of one version with the number and version of the
   * next, and a change made on that copy would pass the version check.
   */
  private async readTogether(
    build: (tx: ChainableCommander) => ChainableCommander,
  ): Promise<unknown[]> {
    const results = await build(this.redis.multi()).exec();
    if (!results) throw new Error('Redis discarded the read');
    return results.map(([error, value]) => {
      if (error) throw error;
      return value;
    });
  }

  /** Who owns these peer ids now (null: nobody), and at which commit count. */
  async ownersOf(peerIds: string[]): Promise<StoredOwners> {
    if (peerIds.length === 0) return new Map();
    const [tokens, commits] = (await this.readTogether((tx) =>
      tx.hmget(`${this.prefix}owners`, ...peerIds).get(`${this.prefix}commits`),
    )) as [Fields, string | null];
    const owners = new Map(peerIds.map((id, i) => [id, tokens[i] ?? null]));
    return Object.assign(owners, { at: commitCount(commits) });
  }

  /** These access rows as stored now (value null: absent), and at which commit count. */
  async accessOf(rows: Pick<AccessRow, 'kind' | 'key'>[]): Promise<StoredAccess> {
    if (rows.length === 0) return { rows: [] };
    const fields = rows.map(accessRowId);
    const [values, commits] = (await this.readTogether((tx) =>
      tx.hmget(`${this.prefix}access`, ...fields).get(`${this.prefix}commits`),
    )) as [Fields, string | null];
    const read = rows.map((r, i) => ({ kind: r.kind, key: r.key, value: values[i] ?? null }));
    return { rows: read, at: commitCount(commits) };
  }

  private async readParties(
    stored: Record<string, string>,
    seqs: Record<string, string>,
    versions: Record<string, string>,
    read: number,
  ): Promise<Map<string, StoredParty & { party: PartyInfo }>> {
    const out = new Map<string, StoredParty & { party: PartyInfo }>();
    for (const [id, value] of Object.entries(stored)) {
      try {
        let party = readParty(value);
        const seen = await this.redis.hgetall(`${this.prefix}seen:${id}`);
        for (const [peerId, at] of Object.entries(seen)) {
          const peer = party.peers.get(peerId);
          const lastSeen = new Date(at);
          if (peer && Number.isFinite(lastSeen.getTime())) {
            party = party.with({
              peers: new Map(party.peers).set(peerId, peer.with({ lastSeen })),
            });
          }
        }
        const seq = Number(seqs[id] ?? 0) || 0;
        out.set(id, { party, seq, version: versions[id] ?? '', at: read });
      } catch (error) {
        this.logger?.warn(`Skipping unreadable party ${id} in Redis: ${String(error)}`);
      }
    }
    return out;
  }

  async commit(batch: StoreBatch): Promise<void> {
    // Before the batch is written out: during an outage every retry did that, then failed.
    this.assertSendable();
    const writes = partyWrites(batch);
    const args = {
      parties: writes.map(([id, base, , , baseVersion]) => [id, base, baseVersion]),
      owners: batch.owners.map((o) => [o.peerId, o.token ?? '', o.from ?? '']),
      seen: (batch.touches ?? []).map((t) => [t.partyId, t.peerId, t.lastSeen.toISOString()]),
      ...memberMoves(batch),
      access: (batch.access ?? []).map((r) => {
        const row = [accessRowId(r), r.value ?? ''];
        return r.base === undefined ? row : [...row, r.base ?? ''];
      }),
    };
    const { head, parties, tail } = changeParts(this.instanceId, batch, writes);
    try {
      // Bytes, encoded once: a string argument is measured, then encoded again to be sent.
      const checks = Buffer.from(JSON.stringify(args));
      const [partiesBytes, tailBytes] = [Buffer.from(parties), Buffer.from(tail)];
      await this.send(checks, head, partiesBytes, tailBytes);
    } catch (error) {
      const ids = conflictIds(String((error as Error).message));
      if (ids) throw new StoreConflict(...ids);
      throw error;
    }
  }

  /**
   * Runs the commit script, failing after COMMIT_TIMEOUT_MS. Until Redis answers a commit
   * that timed out, none is sent: the retry then sees whether it took effect (a conflict: read
   * back), and a hung Redis is not sent one more copy of the batch every second.
   */
  private async send(checks: Buffer, head: string, parties: Buffer, tail: Buffer): Promise<void> {
    const sent = this.commitCommand(this.prefix, checks, head, parties, tail, this.channel);
    try {
      await within(sent, COMMIT_TIMEOUT_MS, 'Redis did not answer the commit');
    } catch (error) {
      if (error instanceof NoAnswer) {
        const settled: Promise<void> = sent.then(
          () => void (this.unanswered = null),
          () => void (this.unanswered = null),
        );
        this.unanswered = settled;
      }
      throw error;
    }
  }

  private assertSendable(): void {
    this.assertConnected();
    if (this.unanswered) throw new Error('Redis has not answered the last commit yet');
  }

  /**
   * Fails at once, in words, while the connection is down: ioredis's own error said "Stream
   * isn't writeable and enableOfflineQueue options is false", every second, to the host.
   */
  private assertConnected(): void {
    if (this.redis.status !== 'ready') throw new Error('not connected to Redis; reconnecting');
  }

  /**
   * Readiness probes (`/readyz`, which anyone may ask) share one PING while it is unanswered:
   * within() stops waiting after 2 s, yet ioredis keeps the command queued, and a hung Redis
   * was sent one more per request, without limit.
   */
  async ping(): Promise<void> {
    this.assertConnected();
    this.pinging ??= this.redis.ping().finally(() => (this.pinging = null));
    await within(this.pinging, PING_TIMEOUT_MS, 'Redis did not answer');
  }

  /** QUIT, or (Redis not answering it: a drain must end) the connection dropped. */
  async close(): Promise<void> {
    await within(this.redis.quit(), CLOSE_TIMEOUT_MS, 'Redis did not answer QUIT').catch(() =>
      this.redis.disconnect(),
    );
  }
}

/**
 * The members each party of the batch gained (with their last seen) and lost: the commit
 * script keeps a party's last-seen hash to its members. It only ever added fields, so a
 * lasting party's hash kept one for every member it ever had (bench:soak on Redis: two a
 * cycle), and a touch written after its member left (queued before the leave, or from
 * another server) added one back; such a touch is now written only for a member.
 */
function memberMoves(batch: StoreBatch) {
  const joined: [string, string, string][] = [];
  const left: [string, string][] = [];
  for (const { partyId, base, next } of batch.parties) {
    if (!next) continue; // Gone: the script deletes its whole hash.
    for (const [id, peer] of next.peers) {
      if (!base?.peers.has(id)) joined.push([partyId, id, peer.lastSeen.toISOString()]);
    }
    for (const id of base?.peers.keys() ?? []) if (!next.peers.has(id)) left.push([partyId, id]);
  }
  return { joined, left };
}

/** The access hash's fields ('<kind> <key>') as rows; a field of no known kind is skipped. */
function accessRows(hash: Record<string, string>): AccessRow[] {
  const rows: AccessRow[] = [];
  for (const [field, value] of Object.entries(hash)) {
    const space = field.indexOf(' ');
    const kind = field.slice(0, space);
    if (space > 0 && isAccessKind(kind)) rows.push({ kind, key: field.slice(space + 1), value });
  }
  return rows;
}
