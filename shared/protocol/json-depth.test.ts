import { describe, expect, it } from 'vitest';
import { exceedsJsonDepth, MAX_JSON_DEPTH, parseJsonFrame } from './json-depth';

const nestedArrays = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
const nestedObjects = (depth: number): string => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

describe('exceedsJsonDepth', () => {
  it('counts a scalar as depth 0 and each array or object level as one', () => {
    expect(exceedsJsonDepth(5, 0)).toBe(false);
    expect(exceedsJsonDepth([], 0)).toBe(true);
    expect(exceedsJsonDepth([], 1)).toBe(false);
    expect(exceedsJsonDepth({ a: [{ b: 1 }] }, 2)).toBe(true);
    expect(exceedsJsonDepth({ a: [{ b: 1 }] }, 3)).toBe(false);
  });

  it('finds a deep branch beside shallow ones', () => {
    const value = { shallow: [1, 2], deep: JSON.parse(nestedArrays(40)) as unknown };
    expect(exceedsJsonDepth(value, MAX_JSON_DEPTH)).toBe(true);
  });
});

describe('parseJsonFrame', () => {
  it('accepts a protocol frame at the limit and refuses one level more', () => {
    expect(parseJsonFrame(nestedArrays(MAX_JSON_DEPTH))).toMatchObject({ ok: true });
    expect(parseJsonFrame(nestedArrays(MAX_JSON_DEPTH + 1))).toEqual({
      ok: false,
      error: 'too_deep',
    });
  });

  it('refuses 100 000 levels of arrays or objects without overflowing the stack', () => {
    expect(parseJsonFrame(nestedArrays(100_000))).toEqual({ ok: false, error: 'too_deep' });
    expect(parseJsonFrame(nestedObjects(100_000))).toEqual({ ok: false, error: 'too_deep' });
  });

  it('reports text that is not JSON', () => {
    expect(parseJsonFrame('{"type":')).toEqual({ ok: false, error: 'invalid_json' });
  });

  it('returns the parsed value', () => {
    expect(parseJsonFrame('{"type":"hello"}')).toEqual({ ok: true, value: { type: 'hello' } });
  });
});
