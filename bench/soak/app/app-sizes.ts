/**
 * What the app soak reads of the app at a checkpoint besides its heap: what it shows (my
 * party's members and presence, activity, notices, people waiting, parties nearby), the
 * handles the process holds (timers, sockets: a reconnect that leaves one behind shows
 * here first) and the files it keeps in LANRAGE_HOME. Once the churn has settled, each that
 * follows the live state must be back to its warm-up size.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { ACTIVITY_FILE } from '../../../electron/core/notifications/activity-file';
import { join } from 'node:path';
import type { AppService } from '../../../electron/core/app-service/types';

export interface Seen {
  events: number;
  eventBytes: number;
  notifications: number;
  connects: number;
}

/** Sizes by name; `files:` ones are bytes on disk, `seen:` ones only count up. */
export async function appSizes(service: AppService, seen: Seen): Promise<Record<string, number>> {
  const state = service.snapshot();
  const sizes: Record<string, number> = {
    'party.members': Object.keys(state.party?.peers ?? {}).length,
    'party.presence': Object.keys(state.party?.presence ?? {}).length,
    'tray.presence': service.trayInputs().presence.size,
    activity: state.activity.length,
    notices: state.notices.length,
    join_requests: state.join_requests.length,
    discovered: state.discovered.length,
    'seen:state events': seen.events,
    'seen:notifications': seen.notifications,
    'seen:connects': seen.connects,
  };
  const home = process.env.LANRAGE_HOME;
  const filesBefore = home ? fileSizes(home) : {};
  for (const [type, n] of await steadyHandles()) sizes[`handles:${type}`] = n;
  if (home) {
    Object.assign(sizes, steadyFiles(filesBefore, fileSizes(home)));
    Object.assign(sizes, embeddedStoreSizes(join(home, STORE_FILE)));
  }
  return sizes;
}

/**
 * The files there in both listings, 2 s apart, at their later size: a save's temporary file
 * lives for milliseconds (a listing under load caught one), one left behind is in both.
 */
function steadyFiles(
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> {
  return Object.fromEntries(Object.entries(after).filter(([name]) => name in before));
}

/** The embedded server's store (local mode; file-party-store.ts). */
const STORE_FILE = 'local_server.json';

/**
 * Rows the embedded server keeps on purpose beyond the live state, as the server does
 * (bench/soak/by-design.ts): a removal notice for a day, a used party id for good. The file
 * holding them grows with them, so its bytes are not judged either.
 */
export const STORE_BY_DESIGN: Record<string, string> = {
  notice: 'a day',
  used_id: 'forever',
};
export const BY_DESIGN_MARK = '(by design';

/** What the embedded server's file holds: its parties, sessions, numbering and access rows. */
function embeddedStoreSizes(path: string): Record<string, number> {
  if (!existsSync(path)) return {};
  const file = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const count = (value: unknown): number =>
    Array.isArray(value)
      ? value.length
      : value && typeof value === 'object'
        ? Object.keys(value).length
        : 0;
  const sizes: Record<string, number> = {
    [`files:${STORE_FILE} ${BY_DESIGN_MARK}: its rows)`]: statSync(path).size,
    'store:parties': count(file.parties),
    'store:session_owners': count(file.session_owners),
    'store:party_seqs': count(file.party_seqs),
  };
  const rows = Array.isArray(file.access_rows) ? (file.access_rows as unknown[][]) : [];
  for (const [kind] of rows) {
    const kept = STORE_BY_DESIGN[String(kind)];
    const name = `store:${String(kind)} rows${kept ? ` ${BY_DESIGN_MARK}, ${kept})` : ''}`;
    sizes[name] = (sizes[name] ?? 0) + 1;
  }
  return sizes;
}

function countBy(items: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

/**
 * The handles of each type the process holds all along, the fewest over 2 s of samples: a
 * timer that happens to be armed at one moment (a debounce, a notification window) is not
 * held, one that leaked is there in every sample.
 */
async function steadyHandles(): Promise<Map<string, number>> {
  const fewest = countBy(process.getActiveResourcesInfo());
  for (let sample = 0; sample < 20; sample++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = countBy(process.getActiveResourcesInfo());
    for (const [type, n] of fewest) fewest.set(type, Math.min(n, now.get(type) ?? 0));
  }
  return fewest;
}

/** Every file under `dir` (bytes), and how many there are. */
function fileSizes(dir: string, prefix = ''): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const name = `${prefix}${entry.name}`;
    if (entry.isDirectory()) Object.assign(sizes, fileSizes(path, `${name}/`));
    else if (entry.name === ACTIVITY_FILE) sizes[ACTIVITY_LINES] = activityLines(path);
    else if (entry.isFile() && name !== STORE_FILE) sizes[`files:${name}`] = statSync(path).size;
  }
  return sizes;
}

/** The activity file's lines: judged against the list's cap, since its bytes follow names. */
export const ACTIVITY_LINES = `files:${ACTIVITY_FILE} lines`;

function activityLines(path: string): number {
  try {
    const saved = JSON.parse(readFileSync(path, 'utf8')) as { activity?: unknown };
    return Array.isArray(saved.activity) ? saved.activity.length : Number.POSITIVE_INFINITY;
  } catch (error) {
    // Removed since the listing (the app left its party): no lines. Damaged: over any cap.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    return Number.POSITIVE_INFINITY;
  }
}
