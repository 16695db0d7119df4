/**
 * A LANrage home in the seed's format: `control_state.json` (and config.json, discovery.json),
 * no `keys/`. The spec's client kept its peer id only in the state file, so a new one made
 * for keys/ left its parties under an id nobody had any more: the party it hosted was served
 * again for that id, offered as someone else's, and lost to its owner without a word. Its
 * peer id is adopted instead: bound to no key yet, it is the new identity key's to take.
 */
import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ID_PATTERN } from '../../../shared/values/ids';
import { parseJsonText } from '../state/json-text';

/**
 * Files only an app with identity keys writes: with one of them there, keys/ was deleted, and
 * its old peer id stays bound to the lost key on the servers it used (a new one is needed).
 */
const KEYED_ERA_FILES = [
  'control_session.json',
  'local_session.json',
  'local_server.json',
  'instance_id.json',
];

function present(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The state file's `my_peer_id`, when it is one; null for anything else (read, not judged). */
function savedPeerId(stateFile: string): string | null {
  try {
    const json = parseJsonText(readFileSync(stateFile, 'utf8'));
    const id = (json as { my_peer_id?: unknown } | null)?.my_peer_id;
    return typeof id === 'string' && ID_PATTERN.test(id) ? id : null;
  } catch {
    // Damaged or unreadable: the state store sets it aside and says so.
    return null;
  }
}

/**
 * The peer id a seed-format home saved, for the identity to adopt; null when the home has
 * keys/ (or anything where it goes), a file of the identity keys' era, or no saved id.
 */
export function seedPeerIdToAdopt(dirs: { instanceDir: string; keysDir: string }): string | null {
  if (present(dirs.keysDir)) return null;
  if (KEYED_ERA_FILES.some((name) => present(join(dirs.instanceDir, name)))) return null;
  return savedPeerId(join(dirs.instanceDir, 'control_state.json'));
}
