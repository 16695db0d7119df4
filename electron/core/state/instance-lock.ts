/**
 * One app core per instance dir. Two of them (a headless app beside the desktop one, or two
 * headless apps on one home with `--port 0`) would each save their own picture of the same
 * state files over the other's. Electron's single-instance lock covers only the desktop app.
 *
 * The lock is a listening local socket (a Unix socket in the instance dir, a named pipe with
 * a secret in its name on Windows): the kernel closes it when the process ends, however it
 * ends, so a crash leaves nothing a user must clear, where a pid file can name a pid the
 * system has since given to another process. No native module: the desktop app may not
 * carry one. An instance dir whose path is too long for a socket gets a short address named
 * after it (see lockAddress): without one, two apps ran on one home, each saving over the other.
 */
import { createHash } from 'node:crypto';
import { realpathSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, win32 } from 'node:path';
import { lockPipeId } from './lock-pipe-id';
import { makeDir } from './make-dirs';
import { moveAsideSync, writeWords } from './set-aside';

export interface InstanceLock {
  release(): void;
}

/** What is said when another app holds the instance dir. */
export function heldMessage(instanceDir: string): string {
  return (
    `LANrage is already running with ${instanceDir}: close that one first, ` +
    'or give this one its own LANRAGE_INSTANCE (or LANRAGE_HOME).'
  );
}

/**
 * A Unix socket's path holds at most 107 bytes on Linux, 103 on macOS; with room for the
 * clearing socket's suffix (see take).
 */
const MAX_SOCKET_PATH = 100;
/** The second socket, held while a crashed app's socket is cleared (see takeStale). */
const CLEARING = '.clearing';

const NO_LOCK: InstanceLock = { release: () => {} };

const fits = (path: string): boolean => Buffer.byteLength(path + CLEARING) <= MAX_SOCKET_PATH;

/**
 * Where the lock listens: a Unix socket in the instance dir, or on Windows a named pipe whose
 * name holds the instance's secret id (lock-pipe-id.ts), made there if missing. Where the dir's
 * path is too long for a socket, a short address named by the dir's real path and that id (so
 * every spelling of the dir is one lock, and another user of the PC cannot take it first): on
 * Linux an abstract socket (no file), elsewhere a socket in the temp folder; null when even
 * that is too long. Decided on the real path, so two spellings never get two kinds of lock.
 */
export function lockAddress(
  instanceDir: string,
  platform = process.platform,
  warn: (why: string) => void = () => {},
  tempDir = tmpdir(),
): string | null {
  if (platform === 'win32') return pipeName(instanceDir, lockPipeId(instanceDir, warn));
  const real = realPath(instanceDir);
  const path = join(real, 'app.lock');
  if (fits(path)) return path;
  const id = lockPipeId(instanceDir, warn);
  const hash = createHash('sha256').update(`${id}\0${real}`).digest('hex').slice(0, 32);
  if (platform === 'linux') return `\0lanrage-${hash}`;
  const short = join(tempDir, `lanrage-${hash}.sock`);
  return fits(short) ? short : null;
}

/** The dir's real path (links resolved); as given, made absolute, before it exists. */
function realPath(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return resolve(dir);
  }
}

/** A Linux abstract socket: a name, not a file. */
const isAbstract = (address: string): boolean => address.startsWith('\0');

/** The address as `ss` and `lsof` show it: an abstract socket with `@` for its leading NUL. */
const shownAddress = (address: string): string =>
  isAbstract(address) ? `@${address.slice(1)}` : address;

/** The pipe for an instance dir and its id. */
export function pipeName(instanceDir: string, id: string): string {
  // Windows paths are not case-sensitive: one pipe for each spelling of the dir. The dir is
  // in it too, so a copy of an instance dir (its id with it) is locked on its own.
  const dir = win32.resolve(instanceDir).toLowerCase();
  const hash = createHash('sha256').update(`${id}\0${dir}`).digest('hex').slice(0, 32);
  return `\\\\.\\pipe\\lanrage-${hash}`;
}

/** The lock's address, with the instance dir made, or why there is none. */
function addressFor(instanceDir: string, warn: (why: string) => void): string | Error {
  try {
    makeDir(instanceDir);
    const address = lockAddress(instanceDir, process.platform, warn);
    return address ?? new Error('its path is too long for a socket, and so is the temp folder’s');
  } catch (error) {
    // The app still starts (the state files say why they fail too); lockInstance tells why.
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** What the user is told when the app starts without its lock. */
function unlockedWords(where: string, why: string): string {
  return `LANrage could not take its single-app lock ${where} (${why}): a second LANrage started on the same files would not be refused.`;
}

const listen = (server: Server, address: string) =>
  new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(address, () => {
      server.off('error', fail);
      done();
    });
  });

/** Whether a process answers on `address` (a socket left by a crash does not). */
const answers = (address: string) =>
  new Promise<boolean>((done) => {
    const socket = createConnection(address);
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
  });

/**
 * Takes the instance dir for this process, or throws heldMessage when another app holds it.
 * Where no lock can be taken (a file system without sockets, a temp folder too deep) the app
 * starts unlocked, `warn` says so and `report` tells the user: refusing to start would be
 * worse than the risk. Something else in the lock's place (a folder named app.lock) is moved
 * aside, told, and the lock taken: it turned the lock off, and two apps shared a home.
 */
export async function lockInstance(
  instanceDir: string,
  warn: (why: string) => void,
  report: (message: string) => void = () => {},
): Promise<InstanceLock> {
  const address = addressFor(instanceDir, warn);
  if (address instanceof Error) {
    warn(`No single-app lock in ${instanceDir}: ${address.message}`);
    report(unlockedWords(`for ${instanceDir}`, writeWords(address)));
    return NO_LOCK;
  }
  const server = createServer((socket) => socket.destroy());
  const movedAside = (aside: string) =>
    report(
      `Something that is not LANrage's lock was at ${address} (a folder, say): LANrage kept it as ${aside} and took its lock there.`,
    );
  try {
    await take(server, address, movedAside);
  } catch (error) {
    if (!(error instanceof Held)) {
      warn(`No single-app lock at ${shownAddress(address)}: ${String(error)}`);
      report(unlockedWords(`at ${shownAddress(address)}`, writeWords(error)));
      return NO_LOCK;
    }
    throw new Error(heldMessage(instanceDir), { cause: error });
  }
  server.unref();
  return { release: () => void server.close() };
}

/** Another app holds the lock (or is taking it this instant). */
class Held extends Error {}

const inUse = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === 'EADDRINUSE';

/** Listens on `address`, or throws Held when another app does. */
async function take(server: Server, address: string, movedAside: Moved): Promise<void> {
  try {
    return await listen(server, address);
  } catch (error) {
    if (!inUse(error)) throw error;
    if (await answers(address)) throw new Held('held', { cause: error });
  }
  // A socket left by an app that ended without closing it. Clearing it is check-then-act:
  // two apps that both found it dead would each clear the socket the other just made, and
  // both run. So one app at a time clears, and looks again first.
  const clearing = await exclusive(address + CLEARING);
  try {
    if (await answers(address)) throw new Held('held');
    clearStale(address, movedAside);
    await listen(server, address);
  } catch (error) {
    // One that found no file at all took it between our clearing and our listening.
    throw inUse(error) ? new Held('held', { cause: error }) : error;
  } finally {
    clearing.close();
  }
}

/**
 * A socket held only while clearing; Held when another app is clearing now. One left by an
 * app that crashed just then is cleared once (a race only if another crashed mid-clearing).
 */
async function exclusive(path: string): Promise<Server> {
  const mutex = createServer((socket) => socket.destroy());
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await listen(mutex, path);
      return mutex.unref();
    } catch (error) {
      if (!inUse(error)) throw error;
      if (attempt > 0 || (await answers(path))) throw new Held('held', { cause: error });
      clearStale(path);
    }
  }
  throw new Held('held');
}

/** Told where something in the lock's place went. */
type Moved = (aside: string) => void;

/**
 * A socket file left by an app that ended without closing it: no one holds it. Anything
 * else there that cannot be removed (a directory of that name) no app holds either: it is
 * moved aside (`movedAside` told), or, if it cannot be, the error says why.
 */
function clearStale(address: string, movedAside: Moved = () => {}): void {
  if (isAbstract(address)) return;
  try {
    unlinkSync(address);
  } catch (error) {
    // Gone already, or (Windows) a pipe, which the next listen reports.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || process.platform === 'win32') return;
    const moved = moveAsideSync(address, Date.now());
    if (!moved.moved) throw error;
    movedAside(moved.aside);
  }
}
