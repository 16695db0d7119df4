/**
 * A file LANrage cannot use is moved aside, never overwritten, and the user is told in plain
 * words. The words are for a gamer: a JSON parser's position or a schema's issue list (zod's
 * is a JSON array) says nothing to them, so it goes to the log beside the same sentence.
 */
import { rename } from 'node:fs/promises';
import { renameSync } from 'node:fs';

/** A name for a set-aside file that sorts by time and is valid on every filesystem. */
export function corruptPathFor(path: string, now: number): string {
  return `${path}.corrupt-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
}

/** The technical text of an error, for the log. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const ERRNO_WORDS: Record<string, string> = {
  EISDIR: 'a folder is in its place',
  EACCES: 'LANrage is not allowed to read it',
  EPERM: 'LANrage is not allowed to read it',
  EIO: 'the disk failed to read it',
};

/** A system call's code (`EISDIR`); null for other errors, whose `code` may be ours. */
export function systemCode(error: unknown): string | null {
  const e = error as NodeJS.ErrnoException | null;
  return typeof e?.errno === 'number' && typeof e.code === 'string' ? e.code : null;
}

/**
 * The read found no file: none yet (ENOENT), or none can be there, a file standing where its
 * folder should be (ENOTDIR: nothing to read or set aside; the save that follows says why).
 */
export function noFile(error: unknown): boolean {
  const code = systemCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * Why a file could not be used, as the end of "… could not be read: <words>". A file that
 * cannot be opened says how; any other fault is in its content.
 */
export function damageWords(error: unknown): string {
  const code = systemCode(error);
  if (code !== null) return ERRNO_WORDS[code] ?? `the system refused it (${code})`;
  if (error instanceof SyntaxError) return 'it is damaged (not valid JSON)';
  return 'it does not hold what LANrage saves there';
}

const WRITE_WORDS: Record<string, string> = {
  EACCES: 'LANrage is not allowed to write in its folder',
  EPERM: 'LANrage is not allowed to write in its folder',
  EROFS: 'its disk is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'your disk quota is used up',
  ENOTDIR: 'a file is where its folder should be',
  EEXIST: 'a file is where its folder should be',
  EISDIR: 'a folder is in its place',
  ENOENT: 'its folder cannot be made there',
  EIO: 'the disk failed to write it',
};

/**
 * Why a file could not be written, for "… could not be saved (<words>)": the system's text
 * names a temporary file the user never made ("open '…/.control_state.json.8586.tmp'").
 */
export function writeWords(error: unknown): string {
  const code = systemCode(error);
  if (code === null) return errorText(error);
  return WRITE_WORDS[code] ?? `the system refused (${code})`;
}

/** Where the file went: `aside` on success; `gone` when it vanished first; else why not. */
export type AsideResult =
  { moved: true; aside: string } | { moved: false; gone: boolean; why: string };

const MOVE_WORDS: Record<string, string> = {
  EACCES: 'LANrage is not allowed to change its folder',
  EPERM: 'LANrage is not allowed to change its folder',
  EBUSY: 'another program holds it',
  EROFS: 'its disk is read-only',
};

function failed(error: unknown): AsideResult {
  const code = systemCode(error);
  const why =
    code === null ? errorText(error) : (MOVE_WORDS[code] ?? `the system refused (${code})`);
  return { moved: false, gone: code === 'ENOENT', why };
}

/** Moves `path` to its `.corrupt-<time>` name; never throws. */
export async function moveAside(path: string, now: number): Promise<AsideResult> {
  const aside = corruptPathFor(path, now);
  try {
    await rename(path, aside);
    return { moved: true, aside };
  } catch (error) {
    return failed(error);
  }
}

/** moveAside for the readers that load before the app's loop runs. */
export function moveAsideSync(path: string, now: number): AsideResult {
  const aside = corruptPathFor(path, now);
  try {
    renameSync(path, aside);
    return { moved: true, aside };
  } catch (error) {
    return failed(error);
  }
}
