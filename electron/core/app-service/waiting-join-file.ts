/**
 * My join waiting for the host, kept on disk (`pending_join.json`) while it waits: an app
 * that closes or crashes meanwhile asks where it stands when it starts again (join-resume.ts),
 * instead of forgetting a join the host may since have accepted.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { PartyIdSchema } from '../../../shared/ids';
import type { PendingJoin } from '../../../shared/ipc/access';
import type { Report } from '../notices';
import { atomicWrite } from '../state/atomic-write';
import { makeDirFor } from '../state/make-dirs';
import { damageWords, moveAside, writeWords, noFile } from '../state/set-aside';

export const WAITING_JOIN_FILE = 'pending_join.json';

const WaitingJoinSchema = z.object({
  party_id: PartyIdSchema,
  party_name: z.string().max(256).nullable(),
  expires_at: z.iso.datetime({ offset: true }),
});

export class WaitingJoinFile {
  readonly path: string;
  /** Writes and removals in call order: the last word on the wait is what stays. */
  private chain: Promise<void> = Promise.resolve();

  constructor(
    instanceDir: string,
    private readonly report: Report,
    private readonly now: () => number,
  ) {
    this.path = join(instanceDir, WAITING_JOIN_FILE);
  }

  /** The join saved by the last run; null when none. A damaged file is kept aside, reported. */
  async load(): Promise<PendingJoin | null> {
    try {
      const parsed = WaitingJoinSchema.safeParse(JSON.parse(await readFile(this.path, 'utf8')));
      if (parsed.success) return parsed.data;
      return await this.setAside(parsed.error);
    } catch (error) {
      if (noFile(error)) return null;
      return this.setAside(error);
    }
  }

  /** Keeps `pending` (null: the join no longer waits, the file goes). */
  save(pending: PendingJoin | null): Promise<void> {
    const write = async () => {
      if (pending === null) return rm(this.path, { force: true });
      const data = { ...pending, party_name: pending.party_name?.slice(0, 256) ?? null };
      makeDirFor(this.path);
      await atomicWrite(this.path, `${JSON.stringify(data, null, 2)}\n`);
    };
    const run = this.chain.then(write);
    this.chain = run.catch((error: unknown) =>
      this.report(`LANrage could not save the join you are waiting on (${writeWords(error)}).`),
    );
    return this.chain;
  }

  /** Resolves once every save asked for so far is on disk (or reported). */
  flushed(): Promise<void> {
    return this.chain;
  }

  private async setAside(error: unknown): Promise<null> {
    const result = await moveAside(this.path, this.now());
    const said = `The join you were waiting on when LANrage last closed (${this.path}) could not be read: ${damageWords(error)}.`;
    const kept = result.moved
      ? `LANrage kept it as ${result.aside}.`
      : `It could not be moved aside (${result.why}).`;
    this.report(`${said} ${kept} If you asked to join a party, ask again.`);
    return null;
  }
}
