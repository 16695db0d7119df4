/**
 * The embedded server's store: its parties and peer ownerships in one JSON file under the
 * LANrage home, in the spec's state file format (`parties`, `my_peer_id`, `my_party_id`)
 * plus `session_owners`, `party_seqs` (event numbers) and `access_rows` (identity bindings, used
 * ids, password hashes, invites, bans: server/access/records.ts), written atomically
 * after each group commit. No native module:
 * the desktop app ships none. A commit resolves only once its write is durable, so what
 * the server acknowledges survives a crash, as with the server's SQLite store; except when
 * the system refuses the write (a folder LANrage may not write, a full disk): then the
 * parties go on in memory and the user is told, since a LAN party must not stop for a file.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Logger } from '../../../../shared/logger';
import type { PartyInfo } from '../../../../shared/model';
import {
  isAccessKind,
  type AccessRow,
  type LoadedState,
  type PartyStore,
  type StoreBatch,
} from '../../../../server/store/store';
import { atomicWrite } from '../../state/atomic-write';
import { makeDirFor } from '../../state/make-dirs';
import { RecurringFault, type Report } from '../../notices';
import { parseStateFile } from '../../state/state-file';
import {
  damageWords,
  errorText,
  moveAsideSync,
  noFile,
  systemCode,
  writeWords,
} from '../../state/set-aside';
import { parseJsonText } from '../../state/json-text';

const OwnersSchema = z.record(z.string().max(128), z.string().min(16).max(128));
const SeqsSchema = z.record(z.string().max(128), z.number().int().min(0));
/** [kind, key, value]; a row of a kind this version does not know is dropped. */
const AccessRowsSchema = z.array(z.tuple([z.string(), z.string(), z.string()]));

export interface FilePartyStoreOptions {
  logger: Logger;
  report?: Report;
  now?: () => number;
  /** How the file is written (atomicWrite); the core bench counts its writes through it. */
  writeFile?: typeof atomicWrite;
}

export class FilePartyStore implements PartyStore {
  /** Writes the system refuses, told once while they last. */
  private readonly writeFault: RecurringFault;
  private readonly parties = new Map<string, PartyInfo>();
  private readonly owners = new Map<string, string>();
  /** party id → its last event number, so a restarted server numbers on. */
  private readonly seqs = new Map<string, number>();
  /** `<kind> <key>` → the access row. */
  private readonly access = new Map<string, AccessRow>();
  /** Called after each durable commit that changed a party. */
  onPartiesChanged: (parties: ReadonlyMap<string, PartyInfo>) => void = () => {};

  constructor(
    readonly path: string,
    private readonly options: FilePartyStoreOptions,
  ) {
    this.writeFault = new RecurringFault(options.report);
  }

  get current(): ReadonlyMap<string, PartyInfo> {
    return this.parties;
  }

  /** Missing → empty; unreadable or invalid → kept aside, reported, empty. */
  load(): LoadedState {
    this.clearAll();
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if (!noFile(error)) this.setAside(error);
      return this.loaded();
    }
    try {
      const raw: unknown = parseJsonText(text);
      const state = parseStateFile(raw);
      const extra = raw as {
        session_owners?: unknown;
        party_seqs?: unknown;
        access_rows?: unknown;
      };
      const owners = OwnersSchema.parse(extra.session_owners ?? {});
      const seqs = SeqsSchema.parse(extra.party_seqs ?? {});
      for (const [kind, key, value] of AccessRowsSchema.parse(extra.access_rows ?? [])) {
        if (isAccessKind(kind)) this.access.set(`${kind} ${key}`, { kind, key, value });
      }
      for (const [id, party] of state.parties) this.parties.set(id, party);
      for (const [peerId, token] of Object.entries(owners)) this.owners.set(peerId, token);
      for (const [id, seq] of Object.entries(seqs))
        if (this.parties.has(id)) this.seqs.set(id, seq);
    } catch (error) {
      this.clearAll();
      this.setAside(error);
    }
    return this.loaded();
  }

  async commit(batch: StoreBatch): Promise<void> {
    const parties = new Map(this.parties);
    const owners = new Map(this.owners);
    const seqs = new Map(this.seqs);
    const access = new Map(this.access);
    for (const row of batch.access ?? []) {
      if (row.value === null) access.delete(`${row.kind} ${row.key}`);
      else access.set(`${row.kind} ${row.key}`, row);
    }
    for (const change of batch.parties) {
      if (change.next) parties.set(change.partyId, change.next);
      else parties.delete(change.partyId);
    }
    for (const { peerId, token } of batch.owners) {
      if (token === null) owners.delete(peerId);
      else owners.set(peerId, token);
    }
    for (const { partyId, peerId, lastSeen } of batch.touches ?? []) {
      const party = parties.get(partyId);
      const peer = party?.peers.get(peerId);
      if (party && peer) {
        parties.set(
          partyId,
          party.with({ peers: new Map(party.peers).set(peerId, peer.with({ lastSeen })) }),
        );
      }
    }
    for (const [partyId, { seq }] of batch.seqs ?? []) seqs.set(partyId, seq);
    for (const id of seqs.keys()) if (!parties.has(id)) seqs.delete(id);
    // Written first, adopted after: a failed write leaves the store as it was.
    await this.persist(parties, owners, seqs, access);
    this.replace(this.parties, parties);
    this.replace(this.owners, owners);
    this.replace(this.seqs, seqs);
    this.replace(this.access, access);
    if (batch.parties.length > 0) this.onPartiesChanged(this.parties);
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  close(): void {}

  private loaded(): LoadedState {
    return {
      parties: new Map(this.parties),
      owners: new Map(this.owners),
      seqs: new Map(this.seqs),
      access: [...this.access.values()],
    };
  }

  private clearAll(): void {
    this.parties.clear();
    this.owners.clear();
    this.seqs.clear();
    this.access.clear();
  }

  /** write(); a write the system refuses is told once and not thrown (see the header). */
  private async persist(...state: Parameters<FilePartyStore['write']>): Promise<void> {
    try {
      await this.write(...state);
      this.writeFault.cleared();
    } catch (error) {
      if (systemCode(error) === null) throw error;
      const said = `The parties this PC hosts cannot be saved to ${this.path}: ${writeWords(error)}`;
      this.options.logger.error(`${said} (${errorText(error)})`);
      this.writeFault.tell(`${said}. They go on in memory and end when LANrage closes.`);
    }
  }

  private async write(
    parties: Map<string, PartyInfo>,
    owners: Map<string, string>,
    seqs: Map<string, number>,
    access: Map<string, AccessRow>,
  ): Promise<void> {
    const dicts = Object.fromEntries([...parties].map(([id, p]) => [id, p.toStoredDict()]));
    const file = {
      parties: dicts,
      my_peer_id: null,
      my_party_id: null,
      session_owners: Object.fromEntries(owners),
      party_seqs: Object.fromEntries(seqs),
      access_rows: [...access.values()].map((r) => [r.kind, r.key, r.value]),
    };
    makeDirFor(this.path);
    const writeFile = this.options.writeFile ?? atomicWrite;
    await writeFile(this.path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  }

  private replace<K, V>(target: Map<K, V>, source: Map<K, V>): void {
    target.clear();
    for (const [k, v] of source) target.set(k, v);
  }

  private setAside(error: unknown): void {
    const result = moveAsideSync(this.path, (this.options.now ?? Date.now)());
    const said = `The parties this PC hosts (${this.path}) could not be read: ${damageWords(error)}.`;
    const message = result.moved
      ? `${said} LANrage kept the file as ${result.aside}. The parties you host come back ` +
        'from your saved parties, without their passwords, invite links and bans: set them ' +
        'again in Party settings.'
      : `${said} It could not be moved aside (${result.why}).`;
    this.options.logger.warn(`${message} (${errorText(error)})`);
    this.options.report?.(message);
  }
}
