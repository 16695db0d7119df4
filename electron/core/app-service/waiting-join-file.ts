/**
 * My join waiting for the host, kept on disk (`pending_join.json`) while it waits: an app
 * that closes or crashes meanwhile asks where it stands when it starts again (join-resume.ts),
 * instead of forgetting a join the host may since have accepted.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { PartyIdSchema } from '../../../shared/values/ids';
import type { PendingJoin } from '../../../shared/ipc/access';
import { cutToNameInput, MAX_NAME_INPUT } from '../../../shared/values/names';
import type { Report } from '../notices';
import { JsonFile } from '../state/json-file';

export const WAITING_JOIN_FILE = 'pending_join.json';

const WaitingJoinSchema = z.object({
  party_id: PartyIdSchema,
  party_name: z.string().max(MAX_NAME_INPUT).nullable(),
  expires_at: z.iso.datetime({ offset: true }),
});

const WORDS = {
  loaded: 'The join you were waiting on when LANrage last closed',
  lost: 'If you asked to join a party, ask again.',
  saving: 'the join you are waiting on',
};

export class WaitingJoinFile {
  private readonly file: JsonFile<PendingJoin>;

  constructor(instanceDir: string, report: Report, now: () => number) {
    const path = join(instanceDir, WAITING_JOIN_FILE);
    this.file = new JsonFile(path, WaitingJoinSchema, WORDS, report, now);
  }

  get path(): string {
    return this.file.path;
  }

  /** The join saved by the last run; null when none. A damaged file is kept aside, reported. */
  load(): Promise<PendingJoin | null> {
    return this.file.load();
  }

  /** Keeps `pending` (null: the join no longer waits, the file goes). */
  save(pending: PendingJoin | null): Promise<void> {
    // Its name is the server's: cut to what the schema reads back, whole characters only.
    const name = pending?.party_name == null ? null : cutToNameInput(pending.party_name);
    return this.file.save(pending && { ...pending, party_name: name });
  }

  /** Resolves once every save asked for so far is on disk (or reported). */
  flushed(): Promise<void> {
    return this.file.flushed();
  }
}
