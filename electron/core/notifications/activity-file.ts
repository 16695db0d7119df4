/**
 * My party's activity list on disk (`activity.json`), so an app restarted in the same party
 * still shows what happened before it closed. Lines come in bursts (a party's members going
 * offline together): a burst is one write, at most SAVE_DELAY_MS after its first line, and
 * closing writes what waits.
 */
import { join } from 'node:path';
import { z } from 'zod';
import type { Clock, TimerHandle } from '../../../shared/time/clock';
import { PartyIdSchema } from '../../../shared/values/ids';
import { ActivityEntrySchema, MAX_ACTIVITY } from '../../../shared/ipc/app-state';
import type { Report } from '../notices';
import { JsonFile } from '../state/json-file';

export const ACTIVITY_FILE = 'activity.json';
export const SAVE_DELAY_MS = 1_000;

const SavedActivitySchema = z.object({
  party_id: PartyIdSchema,
  activity: z.array(ActivityEntrySchema).max(MAX_ACTIVITY),
});
export type SavedActivity = z.infer<typeof SavedActivitySchema>;

const WORDS = {
  loaded: "Your party's activity list from when LANrage last closed",
  lost: 'The list starts again from now.',
  saving: "your party's activity list",
};

/** Nothing waits to be written. */
const NOTHING = Symbol('nothing');

export class ActivityFile {
  private readonly file: JsonFile<SavedActivity>;
  private timer: TimerHandle | null = null;
  private waiting: SavedActivity | null | typeof NOTHING = NOTHING;

  constructor(
    instanceDir: string,
    report: Report,
    private readonly clock: Clock,
    private readonly delayMs = SAVE_DELAY_MS,
  ) {
    const path = join(instanceDir, ACTIVITY_FILE);
    this.file = new JsonFile(path, SavedActivitySchema, WORDS, report, () => clock.now());
  }

  /** The list the last run kept; null when none (a damaged file is kept aside and told). */
  load(): Promise<SavedActivity | null> {
    return this.file.load();
  }

  /** Keeps `saved` (null: the file goes) within the delay; the last one asked for wins. */
  changed(saved: SavedActivity | null): void {
    this.waiting = saved;
    this.timer ??= this.clock.setTimeout(() => void this.flush(), this.delayMs);
  }

  /** Writes what waits now; resolves once every write is on disk (or its failure told). */
  flush(): Promise<void> {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = null;
    if (this.waiting === NOTHING) return this.file.flushed();
    const saved = this.waiting;
    this.waiting = NOTHING;
    return this.file.save(saved);
  }
}
