/**
 * Bounded JSON parsing for everything that arrives over the network. `JSON.parse` itself
 * copes with deep nesting, but the schemas that run next (zod's `z.json()`, `toDict`
 * copies) recurse, and a few kilobytes of `[[[[…` overflow the stack. So the depth is
 * measured without recursion before any schema sees the value.
 */

/**
 * Deepest nesting any frame may have: the protocol needs about 6; 32 leaves room for signal
 * payloads.
 */
export const MAX_JSON_DEPTH = 32;

export type JsonFrameResult =
  { ok: true; value: unknown } | { ok: false; error: 'invalid_json' | 'too_deep' };

/**
 * Whether `value` nests objects or arrays more than `maxDepth` levels deep. A scalar has
 * depth 0, `[]` and `{}` depth 1. Iterative, and stops at the first branch over the limit.
 */
export function exceedsJsonDepth(value: unknown, maxDepth: number = MAX_JSON_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    const inner = depth + 1;
    if (inner > maxDepth) return true;
    const children: unknown[] = Array.isArray(node) ? node : Object.values(node);
    for (const child of children) {
      if (typeof child === 'object' && child !== null) stack.push([child, inner]);
    }
  }
  return false;
}

/** Parses one text frame; refuses invalid JSON and anything nested deeper than `maxDepth`. */
export function parseJsonFrame(text: string, maxDepth: number = MAX_JSON_DEPTH): JsonFrameResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: 'invalid_json' };
  }
  if (exceedsJsonDepth(value, maxDepth)) return { ok: false, error: 'too_deep' };
  return { ok: true, value };
}
