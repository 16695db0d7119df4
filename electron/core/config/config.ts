/**
 * LANrage's settings: `config.json` in $LANRAGE_HOME (default ~/.lanrage), with
 * environment overrides. This module is the one place core code reads the environment.
 */
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import { ControlPlaneError } from '../../../shared/protocol/errors';
import { atomicWrite } from '../state/atomic-write';
import { makeDir } from '../state/make-dirs';
import { writeWords } from '../state/set-aside';
import { CLEANUP_INTERVAL, HEARTBEAT_INTERVAL, PEER_TIMEOUT } from '../../../shared/time/intervals';
import { fallbackName } from '../../../shared/values/names';
import { DEFAULT_LAN_PORT } from '../../../shared/values/port';
import type { VoiceVolumes } from '../../../shared/media/voice-volume';
import { ConfigFileSchema, readConfigFile, type ConfigFile } from './config-file';
import { inUseWords, refusalWords, stillRefused, type Refusal } from './refused';
import {
  applyEnvOverrides,
  nonEmpty,
  readInstance,
  stillShadowed,
  unshadow,
  type Shadowed,
} from './env-overrides';
import type { Report } from '../notices';
import { consoleLogger } from '../logger';

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
  /** How loud each other member's voice plays here (shared/media/voice-volume.ts). */
  voiceVolumes?: VoiceVolumes;
  /** Calls through the server's relay only (`relay_only`), never straight to a member. */
  relayOnly?: boolean;
  /** Mutes or unmutes me in voice from any app (`mute_shortcut`); null: none. */
  muteShortcut?: string | null;
  /** Keys of config.json this version does not know, written back untouched. */
  extra?: Readonly<Record<string, unknown>>;
  /** config.json's values this version refuses (refused.ts), written back until replaced. */
  refused?: Readonly<Record<string, unknown>>;
  /** config.json's own values of the settings the environment overrides this run. */
  shadowed?: Shadowed;
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
    | 'voiceVolumes'
    | 'relayOnly'
    | 'muteShortcut'
  >
>;

export interface ConfigLoadOptions {
  /** The process's environment, passed in by the shell or headless entry (core reads none). */
  env: Record<string, string | undefined>;
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
  readonly voiceVolumes: VoiceVolumes;
  readonly relayOnly: boolean;
  readonly muteShortcut: string | null;
  private readonly extra: Readonly<Record<string, unknown>>;
  private readonly refused: Readonly<Record<string, unknown>>;
  private readonly shadowed: Shadowed;

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
    this.voiceVolumes = fields.voiceVolumes ?? {};
    this.relayOnly = fields.relayOnly ?? false;
    this.muteShortcut = fields.muteShortcut ?? null;
    this.extra = fields.extra ?? {};
    this.refused = fields.refused ?? {};
    this.shadowed = fields.shadowed ?? {};
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
    const changed = new Config({ ...this.fields(), ...changes });
    const parsed = ConfigFileSchema.safeParse(changed.current());
    if (!parsed.success) throw configError('Invalid settings', parsed.error);
    const shadowed = stillShadowed(this.shadowed, this, changed);
    const refused = stillRefused(this.refused, this.current(), changed.current());
    return new Config({ ...changed.fields(), shadowed, refused });
  }

  /**
   * config.json's content: the settings plus any keys this version does not know; a setting
   * the environment overrides (and the user did not change) as the file had it; a value
   * refused (and not set since) as the file has it.
   */
  toFile(): ConfigFile {
    return { ...unshadow(this.current(), this.shadowed), ...this.refused };
  }

  /** Every setting as it holds in this run. */
  private current(): ConfigFile {
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
      // Only once a volume was set: most users never touch one.
      ...(Object.keys(this.voiceVolumes).length > 0 ? { voice_volumes: this.voiceVolumes } : {}),
      ...(this.relayOnly ? { relay_only: true } : {}),
      ...(this.muteShortcut === null ? {} : { mute_shortcut: this.muteShortcut }),
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

  static load({ env, ...options }: ConfigLoadOptions): Config {
    const home = options.home ?? nonEmpty(env.LANRAGE_HOME) ?? join(homedir(), '.lanrage');
    // The app passes its notices; without them (a tool, a test) a warning in the app's log.
    const report = options.report ?? ((message: string) => consoleLogger.warn(message));
    const path = join(home, 'config.json');
    const { file, refused } = readConfigFile(path, options.now ?? Date.now(), report);
    const {
      peer_name,
      control_server,
      heartbeat_interval,
      cleanup_interval,
      peer_timeout,
      welcome_done,
      lan_port,
      lan_listen,
      voice_volumes,
      relay_only,
      mute_shortcut,
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
      voiceVolumes: voice_volumes,
      relayOnly: relay_only,
      muteShortcut: mute_shortcut,
      extra,
      refused: Object.fromEntries(refused.map((r) => [r.key, r.value])),
    };
    fields.shadowed = applyEnvOverrides(fields, file, env);
    fields.caFile = nonEmpty(env.LANRAGE_CA_FILE) ?? null;
    return new Config(fields).told(refused, report);
  }

  /** Tells `report` of each refused value, with what this config uses instead. */
  private told(refused: readonly Refusal[], report: Report): this {
    for (const r of refused) report(refusalWords(this.configFile, r, inUseWords(r.key, this)));
    return this;
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
      voiceVolumes: this.voiceVolumes,
      relayOnly: this.relayOnly,
      muteShortcut: this.muteShortcut,
      extra: this.extra,
      refused: this.refused,
      shadowed: this.shadowed,
      caFile: this.caFile,
    };
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

function defaultPeerName(): string {
  try {
    return fallbackName(userInfo().username, 'Player');
  } catch {
    return 'Player';
  }
}
