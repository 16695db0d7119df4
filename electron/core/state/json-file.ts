/**
 * A small JSON file the app keeps beside its state (a waiting join, my party's activity):
 * read once at start through its schema, written whole and atomically, writes in call order.
 * A file that cannot be read is kept aside and the user told, never silently dropped; a write
 * that fails is told too, in words (once until one succeeds).
 */
import { readFile, rm } from 'node:fs/promises';
import type { z } from 'zod';
import { RecurringFault, type Report } from '../notices';
import { atomicWrite } from './atomic-write';
import { makeDirFor } from './make-dirs';
import { damageWords, moveAside, noFile, writeWords } from './set-aside';
import { parseJsonText } from './json-text';

/** What the notices call the file's content, and what the user can do once it is lost. */
export interface JsonFileWords {
  /** What was read at start, e.g. "The join you were waiting on when LANrage last closed". */
  readonly loaded: string;
  /** Said after a file set aside, e.g. "If you asked to join a party, ask again." */
  readonly lost: string;
  /** What a failed write was keeping, e.g. "the join you are waiting on". */
  readonly saving: string;
}

export class JsonFile<T> {
  /** Writes and removals in call order: the last one asked for is what stays. */
  private chain: Promise<void> = Promise.resolve();
  /** A disk that refuses every write is told once, not once a save. */
  private readonly writeFault: RecurringFault;

  constructor(
    readonly path: string,
    private readonly schema: z.ZodType<T>,
    private readonly words: JsonFileWords,
    private readonly report: Report,
    private readonly now: () => number,
  ) {
    this.writeFault = new RecurringFault(report);
  }

  /** What the last run saved; null when nothing was (or it was damaged: kept aside, told). */
  async load(): Promise<T | null> {
    try {
      const parsed = this.schema.safeParse(parseJsonText(await readFile(this.path, 'utf8')));
      if (parsed.success) return parsed.data;
      return await this.setAside(parsed.error);
    } catch (error) {
      if (noFile(error)) return null;
      return this.setAside(error);
    }
  }

  /** Keeps `value` (null: the file goes). Resolves once it is on disk, or its failure told. */
  save(value: T | null): Promise<void> {
    const write = async () => {
      if (value === null) return rm(this.path, { force: true });
      makeDirFor(this.path);
      await atomicWrite(this.path, `${JSON.stringify(value, null, 2)}\n`);
    };
    const run = this.chain.then(write).then(() => this.writeFault.cleared());
    this.chain = run.catch((error: unknown) =>
      this.writeFault.tell(`LANrage could not save ${this.words.saving} (${writeWords(error)}).`),
    );
    return this.chain;
  }

  /** Resolves once every save asked for so far is on disk (or reported). */
  flushed(): Promise<void> {
    return this.chain;
  }

  private async setAside(error: unknown): Promise<null> {
    const result = await moveAside(this.path, this.now());
    const said = `${this.words.loaded} (${this.path}) could not be read: ${damageWords(error)}.`;
    const kept = result.moved
      ? `LANrage kept it as ${result.aside}.`
      : `It could not be moved aside (${result.why}).`;
    this.report(`${said} ${kept} ${this.words.lost}`);
    return null;
  }
}
