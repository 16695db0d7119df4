/** A bound on waiting for Redis: a hung Redis keeps its connections open and never answers. */

/** What within() throws: the command may still run. */
export class NoAnswer extends Error {}

/** `promise`, or a NoAnswer saying `what` did not answer within `ms`. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new NoAnswer(`${what} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
