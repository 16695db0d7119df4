/**
 * A setting in config.json that LANrage refuses (a hand edit, say): told in the words the
 * Settings form uses for the same rule (shared/), never zod's, and kept: the file holds the
 * value as written until the user changes that setting in the app (Config.with). Before, the next
 * save of any setting wrote the file without it, and the hand edit was gone without a word.
 */
import type { z } from 'zod';
import type { IntervalBounds } from '../../../shared/time/intervals';
import { MAX_VOICE_VOLUMES } from '../../../shared/media/voice-volume';
import { PORT_MESSAGE } from '../../../shared/values/port';
import { SERVER_URL_MESSAGE } from '../../../shared/values/server-url';

/** A value of config.json the app does not use, as the file has it. */
export interface Refusal {
  key: string;
  value: unknown;
  /** What the value must be, in the Settings form's words, without the setting's name. */
  rule: string;
}

/** The form's sentences start with the field's label ("Control server must be …"). */
const withoutLabel = (message: string): string => message.replace(/^[^:]*? (?=must )/, '');

const YES_OR_NO = 'must be true or false';

/** For a value of the wrong kind, whose issue is zod's own ("Invalid input: expected …"). */
const KIND_RULES: Readonly<Record<string, string>> = {
  peer_name: 'must be text',
  control_server: withoutLabel(SERVER_URL_MESSAGE),
  welcome_done: YES_OR_NO,
  lan_listen: YES_OR_NO,
  relay_only: YES_OR_NO,
  mute_shortcut: 'must be a key combination such as Control+Alt+M',
  voice_volumes:
    `must give each member's id a whole-number volume from 0 to 100 ` +
    `(at most ${MAX_VOICE_VOLUMES} members)`,
};

/**
 * Why `value` of `key` is refused. The rules of names, server addresses and shortcuts word
 * their own issues (custom ones, from shared/); every other issue is zod's, and a port's
 * words are the same whatever the issue.
 */
export function refusalOf(key: string, value: unknown, error: z.ZodError): Refusal {
  if (key === 'lan_port') return { key, value, rule: PORT_MESSAGE };
  const issue = error.issues[0];
  const own = issue !== undefined && (issue.code === 'custom' || key === 'control_server');
  const rule = own && typeof value === 'string' ? withoutLabel(issue.message) : KIND_RULES[key];
  return { key, value, rule: rule ?? 'is not a value LANrage can use' };
}

/** An interval that is not a number (one out of its bounds is clamped instead). */
export function intervalRefusal(key: string, value: unknown, bounds: IntervalBounds): Refusal {
  return { key, value, rule: `must be a number of seconds from ${bounds.min} to ${bounds.max}` };
}

/** The settings the app itself sets (Settings, the welcome, the voice panel). */
const SET_IN_APP = new Set([
  'peer_name',
  'control_server',
  'welcome_done',
  'voice_volumes',
  'relay_only',
  'mute_shortcut',
]);

/**
 * The notice: the file, the key as written, the value shortened, what it must be, what LANrage
 * uses instead (`inUse`, as the user reads it) and that the file keeps the value.
 */
export function refusalWords(path: string, refusal: Refusal, inUse: string): string {
  const { key } = refusal;
  const rule = refusal.rule.replace(/\.$/, '');
  const joint = rule.startsWith('must ') || rule.startsWith('is ') ? ' ' : ': ';
  const uses = SET_IN_APP.has(key)
    ? `${inUse} until you change it. The file keeps your value until then.`
    : `${inUse}. The file keeps your value until you correct it there.`;
  return `Settings file ${path}: ${key} ${quoted(key, refusal.value)}${joint}${rule}; LANrage uses ${uses}`;
}

/** At most this many characters of a refused value are shown. */
export const MAX_QUOTED = 40;

/** Characters that would break, hide or reverse the line they are shown on. */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/gu;

const escaped = (text: string): string =>
  text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * `value` as JSON on one line, at most ~MAX_QUOTED characters (cut with "…"), controls and
 * invisible characters escaped. A server address's user name and password (an older version
 * kept them) are never shown, whatever the value's kind.
 */
export function quoted(key: string, value: unknown): string {
  const hide = (text: string) =>
    key === 'control_server' ? text.replace(CREDENTIALS, '…@') : text;
  if (typeof value !== 'string') return cut(escaped(hide(JSON.stringify(value) ?? String(value))));
  // Cut before escaping: an escape is never cut in half.
  const shown = hide(value);
  const chars = [...shown];
  const text = chars.length > MAX_QUOTED ? `${chars.slice(0, MAX_QUOTED - 1).join('')}…` : shown;
  return `"${escaped(JSON.stringify(text).slice(1, -1))}"`;
}

/** `user:password@` in a URL, or before a bare host. */
const CREDENTIALS = /[^\s/,"]*@/g;

const cut = (text: string): string =>
  text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED - 1)}…` : text;

/** Refused values (by key) still kept after a change: those of settings it left as they were. */
export function stillRefused(
  refused: Readonly<Record<string, unknown>>,
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(refused).filter(([key]) => same(before[key], after[key])),
  );
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The settings as in use, for the words of what LANrage uses instead of a refused value. */
export interface InUse {
  peerName: string;
  controlServer: string | null;
  heartbeatInterval: number;
  cleanupInterval: number;
  peerTimeout: number;
  welcomeDone: boolean;
  lanPort: number;
  lanListen: boolean;
  voiceVolumes: Readonly<Record<string, number>>;
  relayOnly: boolean;
  muteShortcut: string | null;
}

/** What LANrage uses for `key`, as the user reads it. */
export function inUseWords(key: string, config: InUse): string {
  const words: Readonly<Record<string, () => string>> = {
    peer_name: () => quoted(key, config.peerName),
    control_server: () =>
      config.controlServer === null ? 'no server (local mode)' : quoted(key, config.controlServer),
    heartbeat_interval: () => `${config.heartbeatInterval} s`,
    cleanup_interval: () => `${config.cleanupInterval} s`,
    peer_timeout: () => `${config.peerTimeout} s`,
    welcome_done: () => String(config.welcomeDone),
    lan_port: () => String(config.lanPort),
    lan_listen: () => String(config.lanListen),
    // Volumes come from the file alone: when refused, there are none.
    voice_volumes: () => 'every member at 100 %',
    relay_only: () => String(config.relayOnly),
    mute_shortcut: () => (config.muteShortcut === null ? 'no shortcut' : config.muteShortcut),
  };
  return words[key]?.() ?? 'the default';
}
