/**
 * The id this instance hosts parties under without a server: its own session with its embedded
 * server is saved under it (local_session.json), and its entries in discovery.json carry it.
 * It was a hash of the instance folder's path, so a LANrage folder moved, restored from a
 * backup or copied to another PC came back a stranger to its own server, and the party it
 * hosted could not be hosted again. It is now made once and kept in the folder itself.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import type { Config } from '../config/config';
import type { Report } from '../notices';
import { atomicWrite } from '../state/atomic-write';
import { JsonFile } from '../state/json-file';
import { makeDirFor } from '../state/make-dirs';
import { errorText } from '../state/set-aside';

export const INSTANCE_ID_FILE = 'instance_id.json';

const InstanceIdSchema = z.object({
  instance_id: z.string().regex(/^[0-9a-f]{16}$/),
  /** The LANRAGE_INSTANCE it was made for (null: the home itself). */
  instance: z.string().nullable(),
});

const WORDS = {
  loaded: 'The id LANrage hosts your parties under',
  lost: 'If a party you host does not come back, create it again.',
  saving: 'the id it hosts your parties under',
};

/** What versions before the file used, and still the first value: their parties come back. */
export function pathDerivedId(instanceDir: string): string {
  return createHash('sha256').update(instanceDir).digest('hex').slice(0, 16);
}

/**
 * The id kept in the instance folder, made (and saved) on first use. One kept for another
 * LANRAGE_INSTANCE is the folder of a copied instance: two instances of one home share
 * discovery.json, where one id would stand for both, so the copy gets its own.
 */
export async function loadInstanceId(
  config: Pick<Config, 'instanceDir' | 'instance'>,
  tell: { report: Report; warn: (message: string) => void },
  now: () => number,
): Promise<string> {
  const path = join(config.instanceDir, INSTANCE_ID_FILE);
  const file = new JsonFile(path, InstanceIdSchema, WORDS, tell.report, now);
  const kept = await file.load();
  if (kept && kept.instance === config.instance) return kept.instance_id;
  const made = { instance_id: pathDerivedId(config.instanceDir), instance: config.instance };
  try {
    makeDirFor(path);
    await atomicWrite(path, `${JSON.stringify(made, null, 2)}\n`);
  } catch (error) {
    // Logged, not told: the next start derives the same id from the same path, as every
    // start did before the file, and a folder LANrage cannot write is told already.
    tell.warn(`Could not save ${path}: ${errorText(error)}`);
  }
  return made.instance_id;
}
