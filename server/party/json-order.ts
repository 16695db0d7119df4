/**
 * Building JSON objects from cached pieces must list keys as JSON.stringify of the object
 * would, so the bytes are the same whichever way they were made.
 */
const MAX_ARRAY_INDEX = 2 ** 32 - 2;

/** Whether a JavaScript object orders `key` as an array index (before every other key). */
function isArrayIndex(key: string): boolean {
  return /^(0|[1-9]\d{0,9})$/.test(key) && Number(key) <= MAX_ARRAY_INDEX;
}

/**
 * The entries in the order an object made from them lists its keys: array-index keys first,
 * ascending, then the others as inserted. That is the order toDict's `peers` object has.
 */
export function inObjectKeyOrder<V>(map: ReadonlyMap<string, V>): Array<[string, V]> {
  const entries = [...map];
  if (!entries.some(([key]) => isArrayIndex(key))) return entries;
  const indexed = entries.filter(([key]) => isArrayIndex(key));
  indexed.sort(([a], [b]) => Number(a) - Number(b));
  return [...indexed, ...entries.filter(([key]) => !isArrayIndex(key))];
}
