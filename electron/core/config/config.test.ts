import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ControlPlaneError } from '../../../shared/protocol/errors';
import { Config } from './config';
import { settingsChanges } from './settings-view';
import { makeTempDir } from '../test-util/temp-dir';

const T = Date.UTC(2026, 0, 29, 12);
let home: string;
let cleanup: () => void;
beforeEach(() => ({ dir: home, cleanup } = makeTempDir()));
afterEach(() => cleanup());

function writeConfig(content: unknown): void {
  writeFileSync(join(home, 'config.json'), JSON.stringify(content));
}

function loadError(env: Record<string, string>): ControlPlaneError {
  try {
    Config.load({ env });
  } catch (error) {
    if (error instanceof ControlPlaneError) return error;
    throw error;
  }
  throw new Error('Config.load did not throw');
}

describe('Config.load', () => {
  it('uses the spec defaults when config.json is missing', () => {
    const config = Config.load({ env: { LANRAGE_HOME: home } });
    expect(config.home).toBe(home);
    expect(config.controlServer).toBeNull();
    expect(config.heartbeatInterval).toBe(30);
    expect(config.cleanupInterval).toBe(60);
    expect(config.peerTimeout).toBe(300);
    expect(config.peerName.length).toBeGreaterThan(0);
    expect(config.instance).toBeNull();
    expect(config.stateFile).toBe(join(home, 'control_state.json'));
    expect(config.discoveryFile).toBe(join(home, 'discovery.json'));
    expect(config.keysDir).toBe(join(home, 'keys'));
  });

  it('defaults home to ~/.lanrage', () => {
    expect(Config.load({ env: {} }).home).toBe(join(homedir(), '.lanrage'));
  });

  it('reads config.json', () => {
    writeConfig({
      peer_name: 'Alice',
      control_server: 'https://control.example:8443',
      heartbeat_interval: 10,
      cleanup_interval: 20,
      peer_timeout: 90,
    });
    const config = Config.load({ env: { LANRAGE_HOME: home } });
    expect(config.peerName).toBe('Alice');
    expect(config.controlServer).toBe('https://control.example:8443');
    expect([config.heartbeatInterval, config.cleanupInterval, config.peerTimeout]).toEqual([
      10, 20, 90,
    ]);
    expect(config.peerTimeoutMs).toBe(90_000);
  });

  it('lets the environment override config.json; an empty control server means local', () => {
    writeConfig({ peer_name: 'Alice', control_server: 'ws://a.example' });
    const config = Config.load({
      env: { LANRAGE_HOME: home, LANRAGE_PEER_NAME: 'Bob', LANRAGE_CONTROL_SERVER: '' },
    });
    expect(config.peerName).toBe('Bob');
    expect(config.controlServer).toBeNull();
    const remote = Config.load({
      env: { LANRAGE_HOME: home, LANRAGE_CONTROL_SERVER: 'ws://b.example:1' },
    });
    expect(remote.controlServer).toBe('ws://b.example:1');
  });

  it('the home option beats LANRAGE_HOME', () => {
    expect(Config.load({ env: { LANRAGE_HOME: '/nonexistent' }, home }).home).toBe(home);
  });

  it('puts an instance’s own files under instances/<id> but shares discovery.json', () => {
    const config = Config.load({ env: { LANRAGE_HOME: home, LANRAGE_INSTANCE: 'b' } });
    expect(config.instance).toBe('b');
    expect(config.stateFile).toBe(join(home, 'instances', 'b', 'control_state.json'));
    expect(config.keysDir).toBe(join(home, 'instances', 'b', 'keys'));
    expect(config.discoveryFile).toBe(join(home, 'discovery.json'));
  });

  it('rejects a bad LANRAGE_INSTANCE naming the variable', () => {
    const error = loadError({ LANRAGE_HOME: home, LANRAGE_INSTANCE: '../x' });
    expect(error.field).toBe('LANRAGE_INSTANCE');
  });

  it('keeps a config.json that is not JSON aside, tells the user, and starts with defaults', () => {
    writeFileSync(join(home, 'config.json'), '{"peer_name": ');
    const reports: string[] = [];
    const config = Config.load({
      env: { LANRAGE_HOME: home },
      report: (m) => reports.push(m),
      now: T,
    });
    const aside = join(home, 'config.json.corrupt-2026-01-29T12-00-00-000Z');
    expect(readFileSync(aside, 'utf8')).toBe('{"peer_name": ');
    expect(existsSync(join(home, 'config.json'))).toBe(false);
    expect(reports).toEqual([
      `Your settings file ${join(home, 'config.json')} could not be read: it is damaged (not valid JSON). LANrage kept it as ${aside} and uses the default settings.`,
    ]);
    expect(config.heartbeatInterval).toBe(30);
  });

  // Notepad's "UTF-8 with BOM" and PowerShell 5's Set-Content -Encoding UTF8 write one: it
  // was read as damaged, set aside, and every setting reset.
  it('reads a config.json that starts with a UTF-8 byte order mark', () => {
    const text = JSON.stringify({ peer_name: 'Bea', welcome_done: true, heartbeat_interval: 10 });
    writeFileSync(join(home, 'config.json'), `\uFEFF${text}`);
    const reports: string[] = [];
    const config = Config.load({ env: { LANRAGE_HOME: home }, report: (m) => reports.push(m) });
    expect(config).toMatchObject({ peerName: 'Bea', welcomeDone: true, heartbeatInterval: 10 });
    expect(reports).toEqual([]);
    expect(existsSync(join(home, 'config.json'))).toBe(true);
  });

  it('says so when config.json is a link to a file that is missing', () => {
    symlinkSync(join(home, 'nowhere', 'config.json'), join(home, 'config.json'));
    const reports: string[] = [];
    const config = Config.load({ env: { LANRAGE_HOME: home }, report: (m) => reports.push(m) });
    expect(config.welcomeDone).toBe(false);
    expect(reports).toEqual([
      `Your settings file ${join(home, 'config.json')} is a link to ${join(home, 'nowhere', 'config.json')}, which does not exist: LANrage uses the default settings, and saving them writes that file.`,
    ]);
  });

  it('keeps a config.json that is a folder aside and starts', () => {
    mkdirSync(join(home, 'config.json'));
    const reports: string[] = [];
    Config.load({ env: { LANRAGE_HOME: home }, report: (m) => reports.push(m), now: T });
    expect(reports[0]).toMatch(/could not be read: a folder is in its place\. LANrage kept it as/);
    expect(statSync(join(home, 'config.json.corrupt-2026-01-29T12-00-00-000Z')).isDirectory()).toBe(
      true,
    );
  });

  // zod's own words ("Invalid input: expected boolean", "Too big") were shown before.
  const KEPT_HERE = 'until you change it. The file keeps your value until then.';
  const KEPT_THERE = '. The file keeps your value until you correct it there.';
  it.each([
    [
      'heartbeat_interval',
      { heartbeat_interval: 'thirty' },
      `heartbeat_interval "thirty" must be a number of seconds from 0.1 to 300; LANrage uses 30 s${KEPT_THERE}`,
    ],
    [
      'peer_name',
      { peer_name: 'x'.repeat(65) },
      `peer_name "${'x'.repeat(39)}…" must be at most 64 characters (this one has 65); LANrage uses "<name>" ${KEPT_HERE}`,
    ],
    [
      'peer_name',
      { peer_name: '' },
      `peer_name "" must not be empty; LANrage uses "<name>" ${KEPT_HERE}`,
    ],
    [
      'control_server',
      { control_server: 'ftp://nope' },
      `control_server "ftp://nope" must be host:port or a ws://, wss://, http:// or https:// URL; LANrage uses no server (local mode) ${KEPT_HERE}`,
    ],
    [
      'control_server',
      { control_server: 'x'.repeat(513) },
      `control_server "${'x'.repeat(39)}…" must be at most 512 characters (this one has 513); LANrage uses no server (local mode) ${KEPT_HERE}`,
    ],
    [
      'lan_port',
      { lan_port: 70000 },
      `lan_port 70000 must be a whole number from 0 (any free port) to 65535; LANrage uses 8668${KEPT_THERE}`,
    ],
    [
      'lan_port',
      { lan_port: '8668' },
      `lan_port "8668" must be a whole number from 0 (any free port) to 65535; LANrage uses 8668${KEPT_THERE}`,
    ],
    [
      'lan_listen',
      { lan_listen: 'yes' },
      `lan_listen "yes" must be true or false; LANrage uses true${KEPT_THERE}`,
    ],
    [
      'voice_volumes',
      { voice_volumes: { peer_bob: 150 } },
      `voice_volumes {"peer_bob":150} must give each member's id a whole-number volume from 0 to 100 (at most 500 members); LANrage uses every member at 100 % ${KEPT_HERE}`,
    ],
    [
      'mute_shortcut',
      { mute_shortcut: 'Shift+M' },
      `mute_shortcut "Shift+M": Hold Ctrl, Alt or the Windows key with it: a key on its own would be taken from your games; LANrage uses no shortcut ${KEPT_HERE}`,
    ],
  ])('does not use a bad %s, and says why in the Settings form’s words', (_, content, words) => {
    writeConfig({ ...content, peer_name_keep: 1 });
    const reports: string[] = [];
    const config = Config.load({ env: { LANRAGE_HOME: home }, report: (m) => reports.push(m) });
    const name = JSON.stringify(config.peerName).slice(1, -1);
    expect(reports).toEqual([
      `Settings file ${join(home, 'config.json')}: ${words.replace('<name>', name)}`,
    ]);
    expect(config.heartbeatInterval).toBe(30);
    expect(config.controlServer).toBeNull();
  });

  it('reads a control server given as host:port, as Settings does', () => {
    writeConfig({ control_server: 'lan.example:9000' });
    const reports: string[] = [];
    const config = Config.load({ env: { LANRAGE_HOME: home }, report: (m) => reports.push(m) });
    expect(config.controlServer).toBe('ws://lan.example:9000');
    expect(reports).toEqual([]);
  });

  it('shows a refused value shortened, escaped, and never a server password', () => {
    const name = `\u202Eevil\u0000${'y'.repeat(300)}`;
    writeConfig({ peer_name: name, control_server: 'ftp://ann:hunter2@x.example' });
    const reports: string[] = [];
    Config.load({ env: { LANRAGE_HOME: home }, report: (m) => reports.push(m) });
    expect(reports[0]).toContain(`peer_name "\\u202eevil\\u0000${'y'.repeat(33)}…" must be`);
    expect(reports[1]).toContain('control_server "ftp://…@x.example" must be');
    expect(reports.join('\n')).not.toContain('hunter2');
    for (const report of reports) expect(report).not.toMatch(/[\p{Cc}\u202e]/u);
    writeConfig({ control_server: ['wss://ann:hunter2@x.example'] });
    reports.length = 0;
    Config.load({ env: { LANRAGE_HOME: home }, report: (m) => reports.push(m) });
    expect(reports[0]).toContain('control_server ["wss://…@x.example"] must be');
  });

  it('clamps intervals to their documented bounds, with a warning (1e-6 s is not obeyed)', () => {
    writeConfig({ heartbeat_interval: 1e-6, cleanup_interval: 1e-6, peer_timeout: 1e10 });
    const reports: string[] = [];
    const config = Config.load({ env: { LANRAGE_HOME: home }, report: (m) => reports.push(m) });
    expect([config.heartbeatInterval, config.cleanupInterval, config.peerTimeout]).toEqual([
      0.1, 0.1, 86_400,
    ]);
    expect(reports).toHaveLength(3);
    expect(reports[0]).toContain('heartbeat_interval 0.000001 s is outside 0.1–300 s; using 0.1 s');
  });

  it('reads a display name with a tab and invisible characters as the name rule says', () => {
    writeConfig({ peer_name: 'Big\tBoss\u202E' });
    expect(Config.load({ env: { LANRAGE_HOME: home } }).peerName).toBe('Big Boss');
  });

  it('rejects a bad environment override naming the variable', () => {
    const error = loadError({ LANRAGE_HOME: home, LANRAGE_CONTROL_SERVER: 'not a url' });
    expect(error.field).toBe('LANRAGE_CONTROL_SERVER');
    expect(loadError({ LANRAGE_HOME: home, LANRAGE_LAN_PORT: 'x' }).field).toBe('LANRAGE_LAN_PORT');
    expect(loadError({ LANRAGE_HOME: home, LANRAGE_LAN_LISTEN: 'yes' }).field).toBe(
      'LANRAGE_LAN_LISTEN',
    );
  });

  it('the embedded server listens on the LAN on port 8668 unless told otherwise', () => {
    const defaults = Config.load({ env: { LANRAGE_HOME: home } });
    expect([defaults.lanPort, defaults.lanListen]).toEqual([8668, true]);
    writeConfig({ lan_port: 9000, lan_listen: false });
    const file = Config.load({ env: { LANRAGE_HOME: home } });
    expect([file.lanPort, file.lanListen]).toEqual([9000, false]);
    const env = Config.load({
      env: { LANRAGE_HOME: home, LANRAGE_LAN_PORT: '0', LANRAGE_LAN_LISTEN: '1' },
    });
    expect([env.lanPort, env.lanListen]).toEqual([0, true]);
  });
});

describe('Config.with and save', () => {
  it('returns a new Config and leaves the original unchanged', () => {
    const config = Config.load({ env: { LANRAGE_HOME: home } });
    const next = config.with({ peerName: 'Carol', controlServer: '' });
    expect(next.peerName).toBe('Carol');
    expect(next.controlServer).toBeNull();
    expect(config.peerName).not.toBe('Carol');
  });

  it('validates changes', () => {
    const config = Config.load({ env: { LANRAGE_HOME: home } });
    expect(() => config.with({ heartbeatInterval: 0 })).toThrow(/heartbeat_interval/);
  });

  it('saves atomically, keeps unknown keys, and loads back the same settings', async () => {
    writeConfig({ peer_name: 'Alice', future_option: { nested: true } });
    const config = Config.load({ env: { LANRAGE_HOME: home } }).with({
      controlServer: 'wss://c.example',
      peerTimeout: 120,
    });
    await config.save();
    const onDisk = JSON.parse(readFileSync(join(home, 'config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(onDisk).toEqual({
      future_option: { nested: true },
      peer_name: 'Alice',
      control_server: 'wss://c.example',
      heartbeat_interval: 30,
      cleanup_interval: 60,
      peer_timeout: 120,
      welcome_done: true,
      lan_port: 8668,
      lan_listen: true,
    });
    const again = Config.load({ env: { LANRAGE_HOME: home } });
    expect(again.controlServer).toBe('wss://c.example');
    expect(again.peerTimeout).toBe(120);
  });

  // Any save (a setting changed, the welcome) wrote the file without it: the hand edit was lost.
  it('keeps a refused value in config.json across saves until that setting is set', async () => {
    const longName = `Hand Edited ${'z'.repeat(300)}`;
    writeConfig({ peer_name: longName, lan_port: 70000, heartbeat_interval: 'x', future: 1 });
    const reports: string[] = [];
    const config = Config.load({ env: { LANRAGE_HOME: home }, report: (m) => reports.push(m) });
    expect(reports).toHaveLength(3);
    for (const report of reports) expect(report).toContain('The file keeps your value');
    const onDisk = () =>
      JSON.parse(readFileSync(join(home, 'config.json'), 'utf8')) as Record<string, unknown>;
    // Another setting changed, then the Settings form saved with the name as it shows it.
    const relay = config.with({ relayOnly: true });
    await relay.save();
    const form = { peer_name: config.peerName, control_server: null, relay_only: true };
    await relay.with(settingsChanges(form, relay)).save();
    expect(onDisk()).toMatchObject({
      peer_name: longName,
      lan_port: 70000,
      heartbeat_interval: 'x',
      relay_only: true,
      future: 1,
    });
    // Set in the app: the new value replaces it; the others stay.
    await relay.with({ peerName: 'Bob' }).save();
    expect(onDisk()).toMatchObject({ peer_name: 'Bob', lan_port: 70000, heartbeat_interval: 'x' });
    const again: string[] = [];
    Config.load({ env: { LANRAGE_HOME: home }, report: (m) => again.push(m) });
    expect(again.map((m) => /: (\w+) /.exec(m)?.[1])).toEqual(['lan_port', 'heartbeat_interval']);
  });

  it('keeps a refused value the environment overrides, until the user sets it', async () => {
    writeConfig({ peer_name: '', voice_volumes: { peer_bob: 150 } });
    const config = Config.load({ env: { LANRAGE_HOME: home, LANRAGE_PEER_NAME: 'Tester' } });
    expect(config.peerName).toBe('Tester');
    await config.with({ welcomeDone: true }).save();
    const onDisk = () => JSON.parse(readFileSync(join(home, 'config.json'), 'utf8')) as unknown;
    expect(onDisk()).toMatchObject({ peer_name: '', voice_volumes: { peer_bob: 150 } });
    await config.with({ voiceVolumes: { peer_bob: 25 } }).save();
    expect(onDisk()).toMatchObject({ peer_name: '', voice_volumes: { peer_bob: 25 } });
  });

  it('keeps the environment out of config.json: its overrides hold for this run only', async () => {
    writeConfig({ peer_name: 'Alice', control_server: 'wss://mine.example', lan_port: 9000 });
    const env = {
      LANRAGE_HOME: home,
      LANRAGE_CONTROL_SERVER: 'ws://test.example:1',
      LANRAGE_LAN_PORT: '0',
      LANRAGE_LAN_LISTEN: '0',
      LANRAGE_PEER_NAME: 'Tester',
    };
    const config = Config.load({ env });
    await config.with({ welcomeDone: true, peerTimeout: 120 }).save();
    const onDisk = JSON.parse(readFileSync(join(home, 'config.json'), 'utf8')) as unknown;
    expect(onDisk).toMatchObject({
      peer_name: 'Alice',
      control_server: 'wss://mine.example',
      lan_port: 9000,
      peer_timeout: 120,
    });
    // Absent from the file, it stays absent (the default holds), not the variable's value.
    expect(onDisk).not.toHaveProperty('lan_listen');
    // Saving Settings unchanged keeps the file's server; a name the user types is theirs.
    await config.with({ peerName: 'Bob', controlServer: config.controlServer }).save();
    const again = Config.load({ env: { LANRAGE_HOME: home } });
    expect([again.peerName, again.controlServer]).toEqual(['Bob', 'wss://mine.example']);
  });

  // A dotfile manager's link: the save replaced it by a plain file, the target kept the old name.
  it('saves through a config.json that is a link, keeping the link', async () => {
    mkdirSync(join(home, 'dotfiles'));
    writeFileSync(join(home, 'dotfiles', 'lanrage.json'), JSON.stringify({ peer_name: 'Bea' }));
    symlinkSync(join(home, 'dotfiles', 'lanrage.json'), join(home, 'config.json'));
    const config = Config.load({ env: { LANRAGE_HOME: home } });
    expect(config.peerName).toBe('Bea');
    await config.with({ peerName: 'Bea2' }).save();
    expect(lstatSync(join(home, 'config.json')).isSymbolicLink()).toBe(true);
    const saved = JSON.parse(readFileSync(join(home, 'dotfiles', 'lanrage.json'), 'utf8')) as {
      peer_name: string;
    };
    expect(saved.peer_name).toBe('Bea2');
  });

  it('keeps the voice volumes set, and writes none until one is', async () => {
    const config = Config.load({ env: { LANRAGE_HOME: home } });
    await config.save();
    expect(readFileSync(join(home, 'config.json'), 'utf8')).not.toContain('voice_volumes');
    await config.with({ voiceVolumes: { peer_bob: 25 } }).save();
    expect(Config.load({ env: { LANRAGE_HOME: home } }).voiceVolumes).toEqual({ peer_bob: 25 });
    expect(() => config.with({ voiceVolumes: { peer_bob: 101 } })).toThrow(/voice_volumes/);
  });

  it('welcome_done: a new user sees the welcome, someone with a saved name does not', async () => {
    expect(Config.load({ env: { LANRAGE_HOME: home } }).welcomeDone).toBe(false);
    writeConfig({ control_server: null });
    expect(Config.load({ env: { LANRAGE_HOME: home } }).welcomeDone).toBe(false);
    writeConfig({ peer_name: 'Alice' });
    expect(Config.load({ env: { LANRAGE_HOME: home } }).welcomeDone).toBe(true);
    writeConfig({ peer_name: 'Alice', welcome_done: false });
    const config = Config.load({ env: { LANRAGE_HOME: home } });
    expect(config.welcomeDone).toBe(false);
    await config.with({ welcomeDone: true }).save();
    expect(Config.load({ env: { LANRAGE_HOME: home } }).welcomeDone).toBe(true);
    // A bad value is ignored and reported like any other setting: the welcome shows.
    writeConfig({ welcome_done: 'yes' });
    const reports: string[] = [];
    const bad = Config.load({ env: { LANRAGE_HOME: home }, report: (m) => reports.push(m) });
    expect(bad.welcomeDone).toBe(false);
    expect(reports.join('\n')).toMatch(/welcome_done/);
  });

  it('creates the home directory on save', async () => {
    const nested = join(home, 'deeper', 'home');
    const config = Config.load({ env: { LANRAGE_HOME: nested } });
    await config.save();
    mkdirSync(nested, { recursive: true });
    expect(JSON.parse(readFileSync(join(nested, 'config.json'), 'utf8'))).toHaveProperty(
      'peer_name',
    );
  });
});
