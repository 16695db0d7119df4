/** Runs async tasks with bounded concurrency and counts outcomes instead of throwing. */

export interface PoolOutcome {
  ok: number;
  failed: number;
  firstError: string | null;
}

export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T) => Promise<void>,
): Promise<PoolOutcome> {
  const outcome: PoolOutcome = { ok: 0, failed: 0, firstError: null };
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!;
      try {
        await task(item);
        outcome.ok++;
      } catch (error) {
        outcome.failed++;
        outcome.firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  return outcome;
}
