/**
 * normalizeName and sameName answer plain ASCII names without the full rule (a join's
 * cost on the server): these properties hold the short cuts to the full rule's answers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeName, oneLineText, sameName } from './names';

/** normalizeName's full rule, step by step, as names.ts applies it to any other text. */
const fullRule = (text: string): string =>
  oneLineText(text.normalize('NFKC')).replace(/^\p{M}/u, '\u25cc$&');

const collator = new Intl.Collator(undefined, { sensitivity: 'accent' });

/** ASCII text rich in what the short cuts must notice: spaces, tabs, case, punctuation. */
const asciiText = fc.string({
  unit: fc.constantFrom(...' \t\n aAbBzZ09-_.()~!\x7f\x00'.split('')),
  maxLength: 12,
});
const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 10,
});

describe('the name rule for plain ASCII names', () => {
  it('normalizes exactly as the full rule does, ASCII or not', () => {
    const anyText = fc.oneof(asciiText, fc.string({ unit: 'grapheme', maxLength: 8 }));
    fc.assert(
      fc.property(anyText, (text) => {
        expect(normalizeName(text)).toBe(fullRule(text));
      }),
      { numRuns: 3000 },
    );
    // The cases the short cut must send to the full rule.
    for (const text of ['a  b', ' a', 'a ', 'a\tb', 'ab\x7f', ''])
      expect(normalizeName(text)).toBe(fullRule(text));
  });

  it('compares two printable ASCII names as the collator does (case only ignored)', () => {
    fc.assert(
      fc.property(printable, printable, (a, b) => {
        expect(sameName(a, b)).toBe(collator.compare(a, b) === 0);
      }),
      { numRuns: 5000 },
    );
    // Every pair of printable characters, and each beside the one-shorter name.
    for (let x = 0x20; x < 0x7f; x++) {
      for (let y = 0x20; y < 0x7f; y++) {
        const a = `n${String.fromCharCode(x)}`;
        const b = `n${String.fromCharCode(y)}`;
        expect(sameName(a, b)).toBe(collator.compare(a, b) === 0);
      }
      expect(sameName(`n${String.fromCharCode(x)}`, 'n')).toBe(false);
    }
    expect(sameName('HOST', 'host')).toBe(true);
    expect(sameName('Host', 'Hоst')).toBe(true); // Cyrillic о: the full rule's skeleton
  });
});
