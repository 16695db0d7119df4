/** The JSON files' text as LANrage reads it (json-text.ts). */
import { describe, expect, it } from 'vitest';
import { parseJsonText } from './json-text';

describe('parseJsonText', () => {
  it('drops one leading byte order mark', () => {
    expect(parseJsonText('\uFEFF{"a": 1}')).toEqual({ a: 1 });
    expect(parseJsonText('{"a": 1}')).toEqual({ a: 1 });
  });

  it('is still damage with two, or one anywhere else', () => {
    expect(() => parseJsonText('\uFEFF\uFEFF{}')).toThrow(SyntaxError);
    expect(() => parseJsonText(' \uFEFF{}')).toThrow(SyntaxError);
    expect(parseJsonText('{"a": "\uFEFF"}')).toEqual({ a: '\uFEFF' });
  });
});
