/**
 * discovery.json: the parties hosted on this machine, in the spec's state file format,
 * each with where its host's embedded server listens (`control_url`, a loopback URL) and
 * which process serves it (`host_pid`). Each host rewrites only its own entries (atomic
 * writes, no lock): a host that finds its entries missing (two hosts wrote at once)
 * writes them again. Readers drop entries of processes that are gone (a crashed host).
 */
import { watch, type FSWatcher } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../../../shared/logger';
import type { PartySummaryDict } from '../../../shared/access/protocol';
import { PartyInfo } from '../../../shared/model';
import { atomicWrite } from '../state/atomic-write';
import { makeDirFor } from '../state/make-dirs';
import type { Report } from '../notices';
import type { Clock, TimerHandle } from '../../../shared/time/clock';
import { StateFileSchema } from '../state/state-file';
import { damageWords, errorText, moveAside, noFile } from '../state/set-aside';
import { parseJsonText } from '../state/json-text';

/** Where to reach a party's host, beside the spec's party dict. */
const HostSchema = z.object({
  control_url: z.string().regex(/^ws:\/\/(127\.0\.0\.1|\[::1\]):\d{1,5}\/ws$/),
  host_pid: z.number().int().positive(),
  /** Which instance's server (several may run in one process, e.g. in tests). */
  host_instance: z.string().regex(/^[0-9a-f]{8,32}$/),
});

export interface DiscoveredHost {
  party: PartyInfo;
  controlUrl: string;
  hostPid: number;
  hostInstance: string;
  /** Found in this PC's discovery.json (HostingPlane's locate), not announced on the LAN. */
  onThisPc?: true;
  /**
   * What its LAN announcement says of the party: `party` holds no members there (a stranger
   * knows none), so its host's name and its size come from here, and who may join when the
   * host told it (hosts before it did not).
   */
  announced?: Pick<PartySummaryDict, 'host_name' | 'peer_count' | 'max_peers'> &
    Partial<Pick<PartySummaryDict, 'join_policy'>>;
}

/** Who publishes: a live process, and one server in it. */
export interface Publisher {
  pid: number;
  instance: string;
}

export type Board = Map<string, DiscoveredHost>;

export interface DiscoveryBoardOptions {
  clock: Clock;
  logger: Logger;
  report?: Report;
  /** Whether a process is alive (default: signal 0). */
  isAlive?: (pid: number) => boolean;
  /** Safety net for filesystems where fs.watch misses changes (default 2 s). */
  pollMs?: number;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class DiscoveryBoard {
  /** The last fault reported, so one that stays (a file that cannot be moved) is told once. */
  private reported: string | null = null;

  constructor(
    readonly path: string,
    private readonly options: DiscoveryBoardOptions,
  ) {}

  /** Parties hosted by live processes on this machine; an unreadable file lists none. */
  async read(): Promise<Board> {
    const all = await this.readAll();
    const alive = this.options.isAlive ?? processAlive;
    return new Map([...all].filter(([, entry]) => alive(entry.hostPid)));
  }

  /**
   * Makes the file list exactly `parties` for this publisher, served at `controlUrl`,
   * keeping other live hosts' entries. Writes only when that changes something.
   */
  async publish(
    me: Publisher,
    parties: readonly PartyInfo[],
    controlUrl: string | null,
  ): Promise<void> {
    const current = await this.readAll();
    const alive = this.options.isAlive ?? processAlive;
    const next: Board = new Map();
    for (const [id, entry] of current) {
      if (entry.hostInstance !== me.instance && alive(entry.hostPid)) next.set(id, entry);
    }
    for (const party of controlUrl ? parties : []) {
      next.set(party.partyId, {
        party,
        controlUrl: controlUrl!,
        hostPid: me.pid,
        hostInstance: me.instance,
      });
    }
    if (sameBoard(current, next)) return;
    makeDirFor(this.path);
    await atomicWrite(this.path, serializeBoard(next));
  }

  /**
   * Calls `onChange` when the file may have changed: fs.watch on its folder (it is replaced
   * by rename), plus a bounded poll of its stat as a safety net. Returns stop.
   */
  watch(onChange: () => void): () => void {
    let last: string | null = null;
    const check = (): void => {
      void this.signature().then((signature) => {
        if (signature === last) return;
        last = signature;
        onChange();
      });
    };
    let watcher: FSWatcher | null = null;
    try {
      watcher = watch(dirname(this.path), (_event, file) => {
        if (file === null || file === basename(this.path)) check();
      });
      watcher.on('error', () => watcher?.close());
    } catch (error) {
      this.options.logger.warn(`Cannot watch ${this.path}: ${errorText(error)}; polling`);
    }
    const { clock } = this.options;
    const timer: TimerHandle = clock.setInterval(check, this.options.pollMs ?? 2000);
    check();
    return () => {
      watcher?.close();
      clock.clearInterval(timer);
    };
  }

  private async signature(): Promise<string> {
    try {
      const s = await stat(this.path);
      return `${s.ino}:${s.mtimeMs}:${s.size}`;
    } catch {
      return 'missing';
    }
  }

  /**
   * A corrupt file is set aside and reported as soon as it is read, by any instance: one that
   * only joins must hear of it too, not just the next host (its writes are atomic, so a
   * reader never sees one half written).
   */
  private async readAll(): Promise<Board> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if (noFile(error)) return new Map();
      // A folder in its place, no permission, a failing disk: as corrupt as bad JSON.
      await this.setAside(error);
      return new Map();
    }
    try {
      return parseBoard(parseJsonText(text));
    } catch (error) {
      await this.setAside(error);
      return new Map();
    }
  }

  private async setAside(error: unknown): Promise<void> {
    const result = await moveAside(this.path, this.options.clock.now());
    // Gone meanwhile: another instance on this PC moved it aside first, and said so.
    if (!result.moved && result.gone) return;
    const said = `The nearby-parties file ${this.path} could not be read: ${damageWords(error)}.`;
    const message = result.moved
      ? `${said} LANrage kept it as ${result.aside} and started a new one.`
      : `${said} It could not be moved aside (${result.why}): parties on this PC cannot be listed until it is removed.`;
    if (message === this.reported) return;
    this.reported = message;
    this.options.logger.warn(`${message} (${errorText(error)})`);
    this.options.report?.(message);
  }
}

/** Entries that are not a valid party with a host are skipped, not fatal. */
export function parseBoard(raw: unknown): Board {
  const file = StateFileSchema.parse(raw);
  const board: Board = new Map();
  for (const [id, dict] of Object.entries(file.parties)) {
    const host = HostSchema.safeParse(dict);
    if (!host.success) continue;
    try {
      const party = PartyInfo.fromDict(dict, `parties.${id}`);
      if (party.partyId !== id) continue;
      board.set(id, {
        party,
        controlUrl: host.data.control_url,
        hostPid: host.data.host_pid,
        hostInstance: host.data.host_instance,
      });
    } catch {
      continue;
    }
  }
  return board;
}

export function serializeBoard(board: Board): string {
  const parties: Record<string, unknown> = {};
  for (const [id, entry] of board) {
    parties[id] = {
      ...entry.party.toStoredDict(),
      control_url: entry.controlUrl,
      host_pid: entry.hostPid,
      host_instance: entry.hostInstance,
    };
  }
  return `${JSON.stringify({ parties, my_peer_id: null, my_party_id: null }, null, 2)}\n`;
}

function sameBoard(a: Board, b: Board): boolean {
  return a.size === b.size && serializeBoard(a) === serializeBoard(b);
}
