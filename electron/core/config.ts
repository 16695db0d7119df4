/**
 * LANrage's settings: `config.json` in $LANRAGE_HOME (default ~/.lanrage), with
 * environment overrides. This module is the one place core code reads the environment.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ControlPlaneError } from '../../shared/errors';
import { atomicWrite } from './atomic-write';
import { fallbackName, NameSchema } from '../../shared/names';
import { isControlServerUrl } from '../../shared/server-url';

const ControlServer = z
  .string()
  .trim()
  .max(512)
  .refine((s) => s === '' || isControlServerUrl(s), {
    message: 'must be a ws://, wss://, http:// or https:// URL (or empty for local mode)',
  })
  .nullable();

const Seconds = z
  .number()
  .positive('must be a positive number of seconds')
  .max(86_400 * 7);

const InstanceSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, 'must be 1-32 letters, digits, "_" or "-"');

/** config.json: every key optional; keys this version does not know are kept on save. */
export const ConfigFileSchema = z.looseObject({
  peer_name: NameSchema.optional(),
  control_server: ControlServer.optional(),
  heartbeat_interval: Seconds.optional(),
  cleanup_interval: Seconds.optional(),
  peer_timeout: Seconds.optional(),
});
export type ConfigFile = z.infer<typeof ConfigFileSchema>;

export const DEFAULT_HEARTBEAT_INTERVAL = 30;
export const DEFAULT_CLEANUP_INTERVAL = 60;
export const DEFAULT_PEER_TIMEOUT = 300;

export interface ConfigFields {
  home: string;
  instance: string | null;
  peerName: string;
  /** Control server URL; null means local mode. */
  controlServer: string | null;
  /** Seconds. */
  heartbeatInterval: number;
  cleanupInterval: number;
  peerTimeout: number;
  /** Keys of config.json this version does not know, written back untouched. */
  extra?: Readonly<Record<string, unknown>>;
}

export type ConfigChanges = Partial<
  Pick<
    ConfigFields,
    'peerName' | 'controlServer' | 'heartbeatInterval' | 'cleanupInterval' | 'peerTimeout'
  >
>;

export interface ConfigLoadOptions {
  env?: Record<string, string | undefined>;
  /** Overrides LANRAGE_HOME. */
  home?: string;
}

export class Config {
  readonly home: string;
  readonly instance: string | null;
  readonly peerName: string;
  readonly controlServer: string | null;
  readonly heartbeatInterval: number;
  readonly cleanupInterval: number;
  readonly peerTimeout: number;
  private readonly extra: Readonly<Record<string, unknown>>;

  constructor(fields: ConfigFields) {
    this.home = fields.home;
    this.instance = fields.instance;
    this.peerName = fields.peerName;
    this.controlServer = fields.controlServer === '' ? null : fields.controlServer;
    this.heartbeatInterval = fields.heartbeatInterval;
    this.cleanupInterval = fields.cleanupInterval;
    this.peerTimeout = fields.peerTimeout;
    this.extra = fields.extra ?? {};
  }

  get configFile(): string {
    return join(this.home, 'config.json');
  }

  /** Where this instance's own files live: $home, or $home/instances/<instance>. */
  get instanceDir(): string {
    return this.instance === null ? this.home : join(this.home, 'instances', this.instance);
  }

  get stateFile(): string {
    return join(this.instanceDir, 'control_state.json');
  }

  /** Shared by every local instance on this machine, whatever their instance id. */
  get discoveryFile(): string {
    return join(this.home, 'discovery.json');
  }

  get keysDir(): string {
    return join(this.instanceDir, 'keys');
  }

  get heartbeatIntervalMs(): number {
    return this.heartbeatInterval * 1000;
  }

  get cleanupIntervalMs(): number {
    return this.cleanupInterval * 1000;
  }

  get peerTimeoutMs(): number {
    return this.peerTimeout * 1000;
  }

  /** A new Config with some settings replaced (validated like config.json). */
  with(changes: ConfigChanges): Config {
    const next = new Config({ ...this.fields(), ...changes });
    const parsed = ConfigFileSchema.safeParse(next.toFile());
    if (!parsed.success) throw configError('Invalid settings', parsed.error);
    return next;
  }

  /** config.json's content: the settings plus any keys this version does not know. */
  toFile(): ConfigFile {
    return {
      ...this.extra,
      peer_name: this.peerName,
      control_server: this.controlServer,
      heartbeat_interval: this.heartbeatInterval,
      cleanup_interval: this.cleanupInterval,
      peer_timeout: this.peerTimeout,
    };
  }

  /** Writes config.json atomically. */
  async save(): Promise<void> {
    mkdirSync(this.home, { recursive: true });
    await atomicWrite(this.configFile, `${JSON.stringify(this.toFile(), null, 2)}\n`);
  }

  static load(options: ConfigLoadOptions = {}): Config {
    const env = options.env ?? process.env;
    const home = options.home ?? nonEmpty(env.LANRAGE_HOME) ?? join(homedir(), '.lanrage');
    const file = readConfigFile(join(home, 'config.json'));
    const {
      peer_name,
      control_server,
      heartbeat_interval,
      cleanup_interval,
      peer_timeout,
      ...extra
    } = file;
    const fields: ConfigFields = {
      home,
      instance: readInstance(env.LANRAGE_INSTANCE),
      peerName: peer_name ?? defaultPeerName(),
      controlServer: control_server ?? null,
      heartbeatInterval: heartbeat_interval ?? DEFAULT_HEARTBEAT_INTERVAL,
      cleanupInterval: cleanup_interval ?? DEFAULT_CLEANUP_INTERVAL,
      peerTimeout: peer_timeout ?? DEFAULT_PEER_TIMEOUT,
      extra,
    };
    applyEnvOverrides(fields, env);
    return new Config(fields);
  }

  private fields(): ConfigFields {
    return {
      home: this.home,
      instance: this.instance,
      peerName: this.peerName,
      controlServer: this.controlServer,
      heartbeatInterval: this.heartbeatInterval,
      cleanupInterval: this.cleanupInterval,
      peerTimeout: this.peerTimeout,
      extra: this.extra,
    };
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function readInstance(value: string | undefined): string | null {
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

function applyEnvOverrides(fields: ConfigFields, env: Record<string, string | undefined>): void {
  const server = env.LANRAGE_CONTROL_SERVER;
  if (server !== undefined) {
    const parsed = ControlServer.safeParse(server);
    if (!parsed.success) throw envError('LANRAGE_CONTROL_SERVER', parsed.error);
    fields.controlServer = parsed.data === '' ? null : parsed.data;
  }
  const name = nonEmpty(env.LANRAGE_PEER_NAME);
  if (name !== undefined) {
    const parsed = NameSchema.safeParse(name);
    if (!parsed.success) throw envError('LANRAGE_PEER_NAME', parsed.error);
    fields.peerName = parsed.data;
  }
}

function readConfigFile(path: string): ConfigFile {
  if (!existsSync(path)) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ControlPlaneError(`Malformed config file ${path}: not valid JSON (${reason})`, {
      code: 'bad_config',
      cause: error,
    });
  }
  const parsed = ConfigFileSchema.safeParse(raw);
  if (!parsed.success) throw configError(`Malformed config file ${path}`, parsed.error);
  return parsed.data;
}

function configError(what: string, error: z.ZodError): ControlPlaneError {
  const issue = error.issues[0];
  const field = (issue?.path ?? []).map(String).join('.') || '(root)';
  return new ControlPlaneError(`${what}: field "${field}": ${issue?.message ?? 'is invalid'}`, {
    code: 'bad_config',
    field,
  });
}

function envError(variable: string, error: z.ZodError): ControlPlaneError {
  return new ControlPlaneError(`Invalid ${variable}: ${error.issues[0]?.message ?? 'invalid'}`, {
    code: 'bad_config',
    field: variable,
  });
}

function defaultPeerName(): string {
  try {
    return fallbackName(userInfo().username, 'Player');
  } catch {
    return 'Player';
  }
}
