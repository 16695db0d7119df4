/**
 * Building JSON objects from cached pieces must list keys as JSON.stringify of the object
 * would, so the bytes are the same whichever way they were made.
 */
const MAX_ARRAY_INDEX = 2 ** 32 - 2;

/** Whether a JavaScript object orders `key` as an array index (before every other key). */
export function isArrayIndex(key: string): boolean {
  const first = key.charCodeAt(0);
  // Most ids start with a letter: no regex for them (this runs per member per snapshot).
  if (!(first >= 0x30 && first <= 0x39)) return false;
  return /^(0|[1-9]\d{0,9})$/.test(key) && Number(key) <= MAX_ARRAY_INDEX;
}

/**
 * The entries in the order an object made from them lists its keys: array-index keys first,
 * ascending, then the others as inserted. That is the order toDict's `peers` object has.
 */
export function inObjectKeyOrder<V>(map: ReadonlyMap<string, V>): Iterable<[string, V]> {
  let any = false;
  for (const key of map.keys()) if ((any = isArrayIndex(key))) break;
  if (!any) return map;
  const entries = [...map];
  const indexed = entries.filter(([key]) => isArrayIndex(key));
  indexed.sort(([a], [b]) => Number(a) - Number(b));
  return [...indexed, ...entries.filter(([key]) => !isArrayIndex(key))];
}
