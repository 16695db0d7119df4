/**
 * Reading config.json without ever refusing to start: a file that cannot be read or is not
 * JSON is kept aside (`config.json.corrupt-<time>`) and the defaults are used; a setting
 * that is invalid is not used but kept in the file (refused.ts), an interval out of its
 * bounds (shared/time/intervals.ts) is clamped. Each of these is reported to the user, not only
 * logged.
 */
import { MuteShortcutSchema } from '../../../shared/media/mute-shortcut';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  CLEANUP_INTERVAL,
  clampInterval,
  HEARTBEAT_INTERVAL,
  PEER_TIMEOUT,
  type IntervalBounds,
} from '../../../shared/time/intervals';
import { NameSchema } from '../../../shared/values/names';
import { PortSchema } from '../../../shared/values/port';
import { VoiceVolumesSchema } from '../../../shared/media/voice-volume';
import {
  ControlServerTextSchema,
  isControlServerUrl,
  SERVER_URL_MESSAGE,
} from '../../../shared/values/server-url';
import type { Report } from '../notices';
import { intervalRefusal, refusalOf, type Refusal } from './refused';
import { damageWords, moveAsideSync, noFile } from '../state/set-aside';
import { parseJsonText } from '../state/json-text';
import { danglingTarget } from '../state/link-target';

/** As Settings reads it (a bare host:port gets ws://); empty or null: local mode. */
export const ControlServerSchema = ControlServerTextSchema.refine(
  (s) => s === '' || isControlServerUrl(s),
  { message: SERVER_URL_MESSAGE },
).nullable();

const seconds = (bounds: IntervalBounds) =>
  z
    .number()
    .min(bounds.min, `must be at least ${bounds.min} seconds`)
    .max(bounds.max, `must be at most ${bounds.max} seconds`);

const INTERVALS = {
  heartbeat_interval: HEARTBEAT_INTERVAL,
  cleanup_interval: CLEANUP_INTERVAL,
  peer_timeout: PEER_TIMEOUT,
} as const;

/** config.json: every key optional; keys this version does not know are kept on save. */
export const ConfigFileSchema = z.looseObject({
  peer_name: NameSchema.optional(),
  control_server: ControlServerSchema.optional(),
  heartbeat_interval: seconds(HEARTBEAT_INTERVAL).optional(),
  cleanup_interval: seconds(CLEANUP_INTERVAL).optional(),
  peer_timeout: seconds(PEER_TIMEOUT).optional(),
  /** The first-run welcome was finished or skipped. */
  welcome_done: z.boolean().optional(),
  /** Where the embedded server listens when this app hosts without a server. */
  lan_port: PortSchema.optional(),
  /** false: only this PC can reach the parties it hosts (listen on 127.0.0.1). */
  lan_listen: z.boolean().optional(),
  /** How loud each member's voice plays here, by peer id (shared/media/voice-volume.ts). */
  voice_volumes: VoiceVolumesSchema.optional(),
  /** Voice and screen sharing go through the server's relay only: members never see my address. */
  relay_only: z.boolean().optional(),
  /** Mutes or unmutes me in voice from any app (shared/media/mute-shortcut.ts); absent: none. */
  mute_shortcut: MuteShortcutSchema.optional(),
});
export type ConfigFile = z.infer<typeof ConfigFileSchema>;

const FIELDS = {
  peer_name: NameSchema,
  control_server: ControlServerSchema,
  welcome_done: z.boolean(),
  lan_port: PortSchema,
  lan_listen: z.boolean(),
  voice_volumes: VoiceVolumesSchema,
  relay_only: z.boolean(),
  mute_shortcut: MuteShortcutSchema,
} as const;

/** config.json as read: the settings used, and the values refused (kept in the file). */
export interface ReadConfig {
  file: ConfigFile;
  refused: Refusal[];
}

/** The file's settings; never throws for what is in the file (see the module comment). */
export function readConfigFile(path: string, now: number, report: Report): ReadConfig {
  let raw: unknown;
  try {
    raw = parseJsonText(readFileSync(path, 'utf8'));
  } catch (error) {
    if (noFile(error)) return { file: tellDangling(path, report), refused: [] };
    keepAside(path, now, `could not be read: ${damageWords(error)}`, report);
    return { file: {}, refused: [] };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    keepAside(path, now, `could not be read: ${damageWords(null)}`, report);
    return { file: {}, refused: [] };
  }
  return readFields(raw as Record<string, unknown>, path, report);
}

/** No file: none yet, or a link to a file that is gone (said: the welcome was all it showed). */
function tellDangling(path: string, report: Report): ConfigFile {
  const target = danglingTarget(path);
  if (target !== null) {
    report(
      `Your settings file ${path} is a link to ${target}, which does not exist: LANrage uses the default settings, and saving them writes that file.`,
    );
  }
  return {};
}

function readFields(raw: Record<string, unknown>, path: string, report: Report): ReadConfig {
  const file: Record<string, unknown> = { ...raw };
  const refused: Refusal[] = [];
  for (const [key, schema] of Object.entries(FIELDS)) {
    if (!(key in raw)) continue;
    const parsed = schema.safeParse(raw[key]);
    if (parsed.success) file[key] = parsed.data;
    else {
      delete file[key];
      refused.push(refusalOf(key, raw[key], parsed.error));
    }
  }
  for (const [key, bounds] of Object.entries(INTERVALS)) {
    if (!(key in raw)) continue;
    const value = raw[key];
    if (typeof value !== 'number') {
      delete file[key];
      refused.push(intervalRefusal(key, value, bounds));
      continue;
    }
    const clamped = clampInterval(value, bounds);
    file[key] = clamped.seconds;
    if (clamped.warning) report(`Settings file ${path}: ${clamped.warning}.`);
  }
  return { file, refused };
}

function keepAside(path: string, now: number, why: string, report: Report): void {
  const result = moveAsideSync(path, now);
  const kept = result.moved
    ? `LANrage kept it as ${result.aside} and uses the default settings.`
    : `It could not be moved aside (${result.why}). LANrage uses the default settings.`;
  report(`Your settings file ${path} ${why}. ${kept}`);
}
