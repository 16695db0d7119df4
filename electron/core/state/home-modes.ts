/**
 * The LANrage home is its user's alone. Even its files that hold no secret say a lot:
 * discovery.json names the parties hosted on this PC, their members, their addresses and the
 * embedded server's loopback URL, through which another user of the PC could join an open
 * party. Folders the app makes are 0700 (make-dirs.ts) and its files 0600 (atomic-write.ts);
 * a home made by an older version (0755) is made owner-only here, at start. Every instance
 * runs as the same user, so none loses access.
 */
import { chmodSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { errorText } from './set-aside';

/** The home, and each folder from it down to the instance dir (instances/, instances/<id>). */
export function homeFolders(home: string, instanceDir: string): string[] {
  const below = relative(home, instanceDir);
  if (below === '' || below.startsWith('..') || isAbsolute(below)) return [home];
  const parts = below.split(sep);
  return [home, ...parts.map((_, i) => join(home, ...parts.slice(0, i + 1)))];
}

/** Takes group's and others' bits off the home and the instance's folders; says what it did. */
export function keepHomePrivate(
  home: string,
  instanceDir: string,
  warn: (why: string) => void,
  platform = process.platform,
): void {
  // Windows: its ACLs, not these bits, decide (a user's profile folder is already theirs).
  if (platform === 'win32') return;
  for (const dir of homeFolders(home, instanceDir)) ownerOnly(dir, warn);
}

function ownerOnly(dir: string, warn: (why: string) => void): void {
  let mode: number;
  try {
    const stat = statSync(dir);
    if (!stat.isDirectory()) return;
    mode = stat.mode & 0o777;
  } catch {
    // None yet (made 0700 when first needed), or unreadable: the state files say why.
    return;
  }
  if ((mode & 0o077) === 0) return;
  const was = mode.toString(8);
  const now = (mode & 0o700).toString(8);
  try {
    chmodSync(dir, mode & 0o700);
  } catch (error) {
    warn(
      `${dir} is open to other users (mode ${was}) and could not be made ${now} ` +
        `(${errorText(error)}): chmod ${now} ${dir}`,
    );
    return;
  }
  warn(`${dir} was mode ${was}; made it ${now}, so other users of this PC cannot read it`);
}
