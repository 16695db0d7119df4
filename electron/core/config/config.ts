/**
 * LANrage's settings: `config.json` in $LANRAGE_HOME (default ~/.lanrage), with
 * environment overrides. This module is the one place core code reads the environment.
 */
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ControlPlaneError } from '../../../shared/errors';
import { atomicWrite } from '../state/atomic-write';
import { makeDir } from '../state/make-dirs';
import { writeWords } from '../state/set-aside';
import { CLEANUP_INTERVAL, HEARTBEAT_INTERVAL, PEER_TIMEOUT } from '../../../shared/intervals';
import { fallbackName, NameSchema } from '../../../shared/names';
import { DEFAULT_LAN_PORT, PortTextSchema } from '../../../shared/port';
import {
  ConfigFileSchema,
  ControlServerSchema,
  readConfigFile,
  type ConfigFile,
} from './config-file';
import type { Report } from '../notices';

const InstanceSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, 'must be 1-32 letters, digits, "_" or "-"');

export const DEFAULT_HEARTBEAT_INTERVAL = HEARTBEAT_INTERVAL.defaultSeconds;
export const DEFAULT_CLEANUP_INTERVAL = CLEANUP_INTERVAL.defaultSeconds;
export const DEFAULT_PEER_TIMEOUT = PEER_TIMEOUT.defaultSeconds;

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
  /** The first-run welcome was finished or skipped: it is never shown again. */
  welcomeDone?: boolean;
  /** The embedded server's preferred port (0: any free port). */
  lanPort?: number;
  /** Whether the embedded server listens on the LAN (else on 127.0.0.1 only). */
  lanListen?: boolean;
  /** Keys of config.json this version does not know, written back untouched. */
  extra?: Readonly<Record<string, unknown>>;
  /**
   * LANRAGE_CA_FILE: a PEM certificate the app trusts for a wss:// control server (a
   * self-signed one). Packaged builds ignore NODE_EXTRA_CA_CERTS (the NODE_OPTIONS fuse).
   */
  caFile?: string | null;
}

export type ConfigChanges = Partial<
  Pick<
    ConfigFields,
    | 'peerName'
    | 'controlServer'
    | 'heartbeatInterval'
    | 'cleanupInterval'
    | 'peerTimeout'
    | 'welcomeDone'
  >
>;

export interface ConfigLoadOptions {
  env?: Record<string, string | undefined>;
  /** Overrides LANRAGE_HOME. */
  home?: string;
  /** Tells the user about a settings file kept aside, a setting ignored or clamped. */
  report?: Report;
  /** For the name of a kept-aside file (default: now). */
  now?: number;
}

export class Config {
  readonly home: string;
  readonly instance: string | null;
  readonly peerName: string;
  readonly controlServer: string | null;
  readonly heartbeatInterval: number;
  readonly cleanupInterval: number;
  readonly peerTimeout: number;
  readonly caFile: string | null;
  readonly welcomeDone: boolean;
  readonly lanPort: number;
  readonly lanListen: boolean;
  private readonly extra: Readonly<Record<string, unknown>>;

  constructor(fields: ConfigFields) {
    this.home = fields.home;
    this.instance = fields.instance;
    this.peerName = fields.peerName;
    this.controlServer = fields.controlServer === '' ? null : fields.controlServer;
    this.heartbeatInterval = fields.heartbeatInterval;
    this.cleanupInterval = fields.cleanupInterval;
    this.peerTimeout = fields.peerTimeout;
    this.welcomeDone = fields.welcomeDone ?? false;
    this.lanPort = fields.lanPort ?? DEFAULT_LAN_PORT;
    this.lanListen = fields.lanListen ?? true;
    this.extra = fields.extra ?? {};
    this.caFile = fields.caFile ?? null;
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
      welcome_done: this.welcomeDone,
      lan_port: this.lanPort,
      lan_listen: this.lanListen,
    };
  }

  /** Writes config.json atomically. */
  async save(): Promise<void> {
    makeDir(this.home);
    await atomicWrite(this.configFile, `${JSON.stringify(this.toFile(), null, 2)}\n`);
  }

  /**
   * save(); when the disk refuses, the settings still apply for this run and `report` says
   * why in words (as parties are kept in memory): a gamer whose LANrage folder is not
   * writable is not stuck on the welcome screen with "Something went wrong".
   */
  async saveOrReport(report: Report): Promise<void> {
    try {
      await this.save();
    } catch (error) {
      report(
        `Your settings could not be saved to ${this.configFile}: ${writeWords(error)}. ` +
          'They apply until LANrage closes.',
      );
    }
  }

  static load(options: ConfigLoadOptions = {}): Config {
    const env = options.env ?? process.env;
    const home = options.home ?? nonEmpty(env.LANRAGE_HOME) ?? join(homedir(), '.lanrage');
    const report = options.report ?? ((message: string) => console.warn(message));
    const file = readConfigFile(join(home, 'config.json'), options.now ?? Date.now(), report);
    const {
      peer_name,
      control_server,
      heartbeat_interval,
      cleanup_interval,
      peer_timeout,
      welcome_done,
      lan_port,
      lan_listen,
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
      // Someone who already chose a name before the welcome existed is not new here.
      welcomeDone: welcome_done ?? peer_name !== undefined,
      lanPort: lan_port,
      lanListen: lan_listen,
      extra,
    };
    applyEnvOverrides(fields, env);
    fields.caFile = nonEmpty(env.LANRAGE_CA_FILE) ?? null;
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
      welcomeDone: this.welcomeDone,
      lanPort: this.lanPort,
      lanListen: this.lanListen,
      extra: this.extra,
      caFile: this.caFile,
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
    const parsed = ControlServerSchema.safeParse(server);
    if (!parsed.success) throw envError('LANRAGE_CONTROL_SERVER', parsed.error);
    fields.controlServer = parsed.data === '' ? null : parsed.data;
  }
  const port = nonEmpty(env.LANRAGE_LAN_PORT);
  if (port !== undefined) {
    const parsed = PortTextSchema.safeParse(port);
    if (!parsed.success) throw envError('LANRAGE_LAN_PORT', parsed.error);
    fields.lanPort = parsed.data;
  }
  const listen = nonEmpty(env.LANRAGE_LAN_LISTEN);
  if (listen !== undefined) {
    if (listen !== '0' && listen !== '1') {
      throw new ControlPlaneError(
        'Invalid LANRAGE_LAN_LISTEN: must be 1 (LAN) or 0 (this PC only)',
        {
          code: 'bad_config',
          field: 'LANRAGE_LAN_LISTEN',
        },
      );
    }
    fields.lanListen = listen === '1';
  }
  const name = nonEmpty(env.LANRAGE_PEER_NAME);
  if (name !== undefined) {
    const parsed = NameSchema.safeParse(name);
    if (!parsed.success) throw envError('LANRAGE_PEER_NAME', parsed.error);
    fields.peerName = parsed.data;
  }
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
