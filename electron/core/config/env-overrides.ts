/**
 * The environment's overrides of config.json (LANRAGE_CONTROL_SERVER, LANRAGE_PEER_NAME,
 * LANRAGE_LAN_PORT, LANRAGE_LAN_LISTEN). They hold for this run only: the file's own values
 * are remembered (`Shadowed`) so that saving other settings does not write a launch's
 * environment into config.json for every later start.
 */
import { z } from 'zod';
import { ControlPlaneError } from '../../../shared/protocol/errors';
import { NameSchema } from '../../../shared/values/names';
import { PortTextSchema } from '../../../shared/values/port';
import { ControlServerSchema, type ConfigFile } from './config-file';

/** The settings an environment variable may override, by their config.json key. */
export interface Overridable {
  peerName: string;
  controlServer: string | null;
  lanPort?: number;
  lanListen?: boolean;
}

const FILE_KEY = {
  peerName: 'peer_name',
  controlServer: 'control_server',
  lanPort: 'lan_port',
  lanListen: 'lan_listen',
} as const satisfies Record<keyof Overridable, keyof ConfigFile>;

type FileKey = (typeof FILE_KEY)[keyof Overridable];

/** config.json's own value (undefined: absent) of each setting the environment overrides. */
export type Shadowed = Readonly<Partial<Record<FileKey, unknown>>>;

type Env = Record<string, string | undefined>;

export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

const InstanceSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, 'must be 1-32 letters, digits, "_" or "-"');

/** LANRAGE_INSTANCE: another app on this PC with its own files (null: the usual one). */
export function readInstance(value: string | undefined): string | null {
  if (nonEmpty(value) === undefined) return null;
  const parsed = InstanceSchema.safeParse(value);
  if (!parsed.success) {
    throw new ControlPlaneError(`Invalid LANRAGE_INSTANCE: ${parsed.error.issues[0]?.message}`, {
      code: 'bad_request',
      field: 'LANRAGE_INSTANCE',
    });
  }
  return parsed.data;
}

function envError(variable: string, error: z.ZodError): ControlPlaneError {
  return new ControlPlaneError(`Invalid ${variable}: ${error.issues[0]?.message ?? 'invalid'}`, {
    code: 'bad_config',
    field: variable,
  });
}

function readListen(listen: string): boolean {
  if (listen !== '0' && listen !== '1') {
    throw new ControlPlaneError('Invalid LANRAGE_LAN_LISTEN: must be 1 (LAN) or 0 (this PC only)', {
      code: 'bad_config',
      field: 'LANRAGE_LAN_LISTEN',
    });
  }
  return listen === '1';
}

/** The overrides the environment sets (a variable that does not parse is refused). */
function readOverrides(env: Env): Partial<Overridable> {
  const out: Partial<Overridable> = {};
  const server = env.LANRAGE_CONTROL_SERVER;
  if (server !== undefined) {
    const parsed = ControlServerSchema.safeParse(server);
    if (!parsed.success) throw envError('LANRAGE_CONTROL_SERVER', parsed.error);
    out.controlServer = parsed.data === '' ? null : parsed.data;
  }
  const port = nonEmpty(env.LANRAGE_LAN_PORT);
  if (port !== undefined) {
    const parsed = PortTextSchema.safeParse(port);
    if (!parsed.success) throw envError('LANRAGE_LAN_PORT', parsed.error);
    out.lanPort = parsed.data;
  }
  const listen = nonEmpty(env.LANRAGE_LAN_LISTEN);
  if (listen !== undefined) out.lanListen = readListen(listen);
  const name = nonEmpty(env.LANRAGE_PEER_NAME);
  if (name !== undefined) {
    const parsed = NameSchema.safeParse(name);
    if (!parsed.success) throw envError('LANRAGE_PEER_NAME', parsed.error);
    out.peerName = parsed.data;
  }
  return out;
}

/** Applies the environment's overrides to `fields`; returns the file values they hide. */
export function applyEnvOverrides(fields: Overridable, file: ConfigFile, env: Env): Shadowed {
  const overrides = readOverrides(env);
  const shadowed: Partial<Record<FileKey, unknown>> = {};
  for (const key of Object.keys(overrides) as (keyof Overridable)[]) {
    shadowed[FILE_KEY[key]] = file[FILE_KEY[key]];
  }
  Object.assign(fields, overrides);
  return shadowed;
}

/**
 * What is still shadowed after a change from `before` to `after`: a setting the user changed
 * (to a value other than the environment's) is theirs, and is saved.
 */
export function stillShadowed(
  shadowed: Shadowed,
  before: Overridable,
  after: Overridable,
): Shadowed {
  const next: Partial<Record<FileKey, unknown>> = { ...shadowed };
  for (const key of Object.keys(FILE_KEY) as (keyof Overridable)[]) {
    if (before[key] !== after[key]) delete next[FILE_KEY[key]];
  }
  return next;
}

/** config.json's content with each shadowed setting as the file had it (absent stays absent). */
export function unshadow(content: ConfigFile, shadowed: Shadowed): ConfigFile {
  const out: Record<string, unknown> = { ...content };
  for (const [key, value] of Object.entries(shadowed)) {
    if (value === undefined) delete out[key];
    else out[key] = value;
  }
  return out;
}
