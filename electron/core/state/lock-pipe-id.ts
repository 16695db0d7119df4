/**
 * The secret in the single-app lock's Windows pipe name (instance-lock.ts). Named pipes share
 * one namespace for the whole PC: a name made from the instance dir alone
 * (C:\Users\<name>\.lanrage) can be taken first by another user, and LANrage then refused to
 * start, "already running". A random id kept in the instance dir, which only its owner can
 * read, makes the name unguessable. Made on the first start that needs one, so an instance
 * dir from an older version gets one too. Linux abstract sockets share one namespace too: an
 * instance dir whose path is too long for a socket file locks one named with this id as well.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { atomicWriteSync } from './atomic-write';
import { moveAsideSync, noFile } from './set-aside';

export const LOCK_ID_FILE = 'app_lock_id';
const ID = /^[0-9a-f]{32}$/;

/** The id kept in `instanceDir`, made if there is none; throws when it can be neither. */
export function lockPipeId(instanceDir: string, warn: (why: string) => void): string {
  const path = join(instanceDir, LOCK_ID_FILE);
  // Whoever made it, we or another app starting at once, what is read back is the id.
  for (let attempt = 0; attempt < 3; attempt++) {
    const kept = readId(path);
    if (kept !== null && ID.test(kept)) return kept;
    if (kept !== null) setAside(path, warn);
    publish(path, randomBytes(16).toString('hex'));
  }
  throw new Error(`${path}: no lock id could be kept`);
}

/** A damaged id file is kept, as every damaged file is, and a new id made. */
function setAside(path: string, warn: (why: string) => void): void {
  const aside = moveAsideSync(path, Date.now());
  if (!aside.moved && !aside.gone) throw new Error(`${path} holds no lock id: ${aside.why}`);
  if (aside.moved) warn(`${path} held no lock id; it is kept as ${aside.aside}`);
}

function readId(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    if (noFile(error)) return null;
    throw error;
  }
}

/**
 * Puts `id` at `path` only if none is there, whole (a hard link to a written file): two apps
 * starting at once must not each keep an id of their own, and so a pipe of their own. When
 * another app's id got there first, it stays.
 */
function publish(path: string, id: string): void {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, `${id}\n`, { mode: 0o600 });
    linkSync(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    // A file system without hard links (FAT on a USB stick): written whole, not exclusively.
    if (readId(path) === null) atomicWriteSync(path, `${id}\n`, { mode: 0o600 });
  } finally {
    rmSync(temp, { force: true });
  }
}
