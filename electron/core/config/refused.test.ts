/**
 * How a refused config.json value is shown in its notice (refused.ts quoted): on one line, at
 * most MAX_QUOTED characters, escaped, never a server's user name or password. The notices
 * whole, read from a file: config.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { MAX_QUOTED, quoted, refusalWords } from './refused';

describe('a refused value as its notice shows it', () => {
  it('is whole up to 40 characters, and cut with "…" to 40 beyond', () => {
    expect(MAX_QUOTED).toBe(40);
    expect(quoted('peer_name', 'x'.repeat(40))).toBe(`"${'x'.repeat(40)}"`);
    expect(quoted('peer_name', 'x'.repeat(41))).toBe(`"${'x'.repeat(39)}…"`);
    // Not a string: its JSON, by the same bound.
    const forty = ['y'.repeat(36)];
    expect(JSON.stringify(forty)).toHaveLength(40);
    expect(quoted('voice_volumes', forty)).toBe(JSON.stringify(forty));
    expect(quoted('voice_volumes', ['y'.repeat(37)])).toBe(`["${'y'.repeat(37)}…`);
  });

  it('is cut between characters, never inside one (an emoji is two UTF-16 units)', () => {
    const name = `${'a'.repeat(38)}😀bb`;
    expect(quoted('peer_name', name)).toBe(`"${'a'.repeat(38)}😀…"`);
  });

  it('has controls, invisible and line-breaking characters escaped, whatever its kind', () => {
    expect(quoted('peer_name', 'a\u2028b\u2029c\u202ed')).toBe('"a\\u2028b\\u2029c\\u202ed"');
    expect(quoted('peer_name', ['\u202eevil', '\u200b'])).toBe('["\\u202eevil","\\u200b"]');
    expect(quoted('voice_volumes', { '\u2028': 1 })).toBe('{"\\u2028":1}');
  });

  it('never shows a user name or password of a server address, however many there are', () => {
    const value = ['ws://ann:pw1@x.io', 'ws://bob:pw2@y.io'];
    const shown = quoted('control_server', value);
    expect(shown).toBe('["ws://…@x.io","ws://…@y.io"]');
    const words = refusalWords('/c.json', { key: 'control_server', value, rule: 'must be' }, 'x');
    expect(words).not.toMatch(/pw1|pw2|ann|bob/);
    expect(quoted('control_server', 'ann:pw@host:9000 bob:pw2@other')).toBe(
      '"…@host:9000 …@other"',
    );
  });
});
