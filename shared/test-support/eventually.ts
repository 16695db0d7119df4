/**
 * Test support: waits for something that arrives on its own (a frame, a file, another
 * server's change) by asking `check` again every `everyMs`, for at most `ms`. A fixed sleep
 * instead passes vacuously or fails on a loaded machine, and wastes time on a fast one.
 *
 * `check` passes once it returns without throwing and not `false`: a boolean test, or a
 * block of `expect`s (the last failure is the error given at the deadline).
 */
export async function eventually(
  check: () => boolean | void | Promise<boolean | void>,
  ms: number,
  what: string,
  everyMs = 20,
): Promise<void> {
  const deadline = performance.now() + ms;
  for (;;) {
    let failure: unknown = null;
    try {
      if ((await check()) !== false) return;
    } catch (error) {
      failure = error;
    }
    if (performance.now() >= deadline) {
      const why = failure instanceof Error ? `: ${failure.message}` : '';
      throw new Error(`Not within ${ms} ms: ${what}${why}`, { cause: failure });
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** The first value `probe` gives that is not undefined or false, waited for as by `eventually`. */
export async function eventuallyValue<T>(
  probe: () => T | undefined | false,
  ms: number,
  what: string,
): Promise<T> {
  let value: T | undefined | false;
  await eventually(() => (value = probe()) !== undefined && value !== false, ms, what);
  return value as T;
}
