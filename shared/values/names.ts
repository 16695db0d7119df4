/**
 * The one rule for names (display names and party names), used by Settings, config.json,
 * the model (and so the protocol, the state files and the server):
 *
 * - Unicode NFKC, so look-alike compatibility forms (fullwidth letters, ligatures) become one;
 * - line breaks and tabs become a space, every other control (Cc) and format (Cf)
 *   character is removed: bidi overrides would reverse how the rest of a line reads and
 *   zero-width characters would make two names look identical while differing; so is a lone
 *   surrogate (Cs), half of a character, which every page showed as U+FFFD;
 * - at most MAX_MARKS_PER_CHARACTER combining marks in a row, the rest removed: piled marks
 *   ("Zalgo" text) drew a name over the lines above and below it in everyone's member list,
 *   while no script's letters carry more than three or four;
 * - blanks at either end are trimmed and runs of blanks become one space;
 * - a name that starts with a combining mark gets a dotted circle (U+25CC, Unicode's base for
 *   showing a mark alone) before it: the browser put the mark on whatever came before the name
 *   ("Host:" struck through by a name starting with U+0336), and a name of marks alone showed
 *   as an empty row;
 * - 1 to MAX_NAME_LENGTH characters (code points, after the above, the circle not counted, so
 *   no name accepted before is refused now). A longer name is an error the user sees, never
 *   silently cut;
 * - at most MAX_NAME_INPUT UTF-16 units as given, checked before any of the above: NFKC
 *   expands some characters eighteenfold (U+FDFA), and normalizing 21 000 of them, one 64 KiB
 *   frame's worth, took a server 30-70 ms, so a few connections froze it for everyone.
 *
 * Inside a party two members never show the same name: see uniqueMemberName.
 */
import { z } from 'zod';

export const MAX_NAME_LENGTH = 64;
/**
 * What a name may be before it is normalized, in UTF-16 units: four per character leaves room
 * for marks, emoji and invisible characters that are removed; normalizing that many costs at
 * most ~0.25 ms (~1 µs per U+FDFA, the worst case).
 */
export const MAX_NAME_INPUT = 4 * MAX_NAME_LENGTH;

/**
 * `text` cut to MAX_NAME_INPUT UTF-16 units, the bound a name is read with, never between the
 * two halves of a character (a lone half shows as U+FFFD): a name from elsewhere (a server's)
 * kept where that bound reads it back.
 */
export function cutToNameInput(text: string): string {
  if (text.length <= MAX_NAME_INPUT) return text;
  const last = text.charCodeAt(MAX_NAME_INPUT - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? MAX_NAME_INPUT - 1 : MAX_NAME_INPUT);
}

const LINE_BREAKS_AND_TABS = /[\t\n\v\f\r\u0085\u2028\u2029]/gu;
const CONTROL_AND_FORMAT = /[\p{Cc}\p{Cf}\p{Cs}]/gu;
const BLANK_RUNS = /\s+/gu;
export const MAX_MARKS_PER_CHARACTER = 4;
const MARK_PILES = new RegExp(`(\\p{M}{${MAX_MARKS_PER_CHARACTER}})\\p{M}+`, 'gu');
const LEADING_MARK = /^\p{M}/u;
const DOTTED_CIRCLE = '\u25cc';
/** The circle normalizeName put before a leading mark. */
const ADDED_CIRCLE = /^\u25cc\p{M}/u;

/**
 * Printable ASCII words with single spaces between them: a name every step of normalizeName
 * leaves as it is (NFKC keeps ASCII; no control, mark or blank run to change). Most names
 * are such, and the full rule cost a join ~5 µs of the server's CPU.
 */
const PLAIN_ASCII_NAME = /^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/;

/** The canonical form of a name (may be empty or too long: check with nameProblem). */
export function normalizeName(text: string): string {
  if (PLAIN_ASCII_NAME.test(text)) return text;
  return oneLineText(text.normalize('NFKC')).replace(LEADING_MARK, `${DOTTED_CIRCLE}$&`);
}

/**
 * Text from elsewhere (a server's error sentence) as one plain line: the name rule's cleaning
 * without NFKC, which would turn the sentence's "…" into "...". No bidi override reverses
 * what follows it, no mark pile draws over the lines around it.
 */
export function oneLineText(text: string): string {
  return text
    .replace(LINE_BREAKS_AND_TABS, ' ')
    .replace(CONTROL_AND_FORMAT, '')
    .replace(MARK_PILES, '$1')
    .replace(BLANK_RUNS, ' ')
    .trim();
}

/** Length in characters (code points), the unit MAX_NAME_LENGTH is given in. */
export function nameLength(name: string): number {
  return [...name].length;
}

/** Why a normalized name is not acceptable, or null when it is. */
export function nameProblem(normalized: string): string | null {
  if (normalized === '') return 'must not be empty';
  const length = nameLength(normalized) - (ADDED_CIRCLE.test(normalized) ? 1 : 0);
  return length > MAX_NAME_LENGTH ? tooLong(length) : null;
}

const tooLong = (length: number): string =>
  `must be at most ${MAX_NAME_LENGTH} characters (this one has ${length})`;

/** Code points of a name refused before normalizing, counted without an array of them. */
function codePoints(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      count--;
      i++;
    }
  }
  return count;
}

/** The canonical form of a name, or why it is refused (see the rule above). */
function checkName(text: string): { name: string; problem: null } | { problem: string } {
  if (text.length > MAX_NAME_INPUT) return { problem: tooLong(codePoints(text)) };
  const name = normalizeName(text);
  const problem = nameProblem(name);
  return problem === null ? { name, problem } : { problem };
}

/**
 * A name as the schemas accept it: normalized, then checked (never cut). `label` starts
 * the message for forms ("Display name must not be empty").
 */
export function nameSchema(label?: string): z.ZodType<string, string> {
  return z.string().transform((text, ctx) => {
    const checked = checkName(text);
    if (checked.problem !== null) {
      const { problem } = checked;
      ctx.addIssue({ code: 'custom', message: label ? `${label} ${problem}` : problem });
      return z.NEVER;
    }
    return checked.name;
  });
}

export const NameSchema = nameSchema();

/** A name fitted to the rule for a default (e.g. the OS user name), where cutting is harmless. */
export function fallbackName(text: string, otherwise: string): string {
  const name = [...normalizeName(text)].slice(0, MAX_NAME_LENGTH).join('').trim();
  return name === '' ? otherwise : name;
}

/*
 * One collator for every comparison: `localeCompare` with options builds a new one per call,
 * and a join compares the name with every member's (2.5 % of the server's CPU under churn
 * in parties of 64).
 */
const NAME_COLLATOR = new Intl.Collator(undefined, { sensitivity: 'accent' });
/**
 * Cyrillic and Greek letters drawn like Latin ones, as the Latin letter (after Unicode's
 * confusables, UTS #39, for these scripts): "Hоst" with a Cyrillic о stood beside the host's
 * "Host" in everyone's member list. Case is left to the collator.
 */
const LOOK_ALIKE_FROM = 'аеорсухіјѕԁһӏԛԝАВЕКМНОРСТХУІЈЅԚԜαορινκΑΒΕΖΗΙΚΜΝΟΡΤΥΧ';
const LOOK_ALIKE_TO = 'aeopcyxijsdhlqwABEKMHOPCTXYIJSQWaopivkABEZHIKMNOPTYX';
const LATIN_OF = new Map([...LOOK_ALIKE_FROM].map((c, i) => [c, LOOK_ALIKE_TO[i]!]));
const HAS_LOOK_ALIKE = new RegExp(`[${LOOK_ALIKE_FROM}]`, 'u');
const LOOK_ALIKES = new RegExp(`[${LOOK_ALIKE_FROM}]`, 'gu');
/**
 * Between two printable ASCII names the collator's rule is equality ignoring case (every
 * such character has a weight of its own; names.test.ts holds the two to agree), and a
 * join compares its name with every member's: ~0.8 µs each through the collator.
 */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** A name with its look-alike letters made Latin; the name itself when it has none. */
const skeleton = (name: string): string =>
  HAS_LOOK_ALIKE.test(name) ? name.replace(LOOK_ALIKES, (c) => LATIN_OF.get(c)!) : name;

/**
 * Whether two names read as the same (case ignored, accents not, letters of other scripts
 * drawn like Latin ones taken as those): the one rule for it.
 */
export const sameName = (a: string, b: string): boolean =>
  PRINTABLE_ASCII.test(a) && PRINTABLE_ASCII.test(b)
    ? a.length === b.length && a.toLowerCase() === b.toLowerCase()
    : NAME_COLLATOR.compare(skeleton(a), skeleton(b)) === 0;

/**
 * `name`, or `name (2)`, `name (3)`, … : the first that none of `taken` shows (compared
 * ignoring case). The suffix always stays visible: a long base is shortened to fit it.
 */
export function uniqueMemberName(name: string, taken: readonly string[]): string {
  if (!taken.some((t) => sameName(t, name))) return name;
  // Among taken.length + 1 suffixes at least one is free.
  let candidate = name;
  for (let n = 2; n <= taken.length + 2; n++) {
    const suffix = ` (${n})`;
    const room = MAX_NAME_LENGTH - nameLength(suffix);
    candidate = `${[...name].slice(0, room).join('').trimEnd()}${suffix}`;
    if (!taken.some((t) => sameName(t, candidate))) break;
  }
  return candidate;
}
