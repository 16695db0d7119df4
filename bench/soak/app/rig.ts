/**
 * Where the app under soak runs. Remote: a control server in the bench's process (SQLite,
 * short timings), a relay between it and the app that can drop the app's connection, and
 * someone else's party on it to visit. Local: no server; the app hosts on the server it
 * embeds (its parties in its state file), on loopback and a port of its own, with the same
 * short timings from its config.json, and its friends find it where it serves (discovery.json,
 * as the app's other instances on this PC do). Either way the
 * app's LAN discovery runs on loopback and an mDNS port of its own.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FrameRelay } from '../../../electron/core/test-util/frame-relay';
import { parseBoard } from '../../../electron/core/hosting/discovery-board';
import { freeTcpPort, freeUdpPort } from '../../../server/test-util/ports';
import { HubParty } from '../clients';
import { startSoakServer, type SoakServer, type SoakTimings } from '../server-rig';
import { AppProcess } from './driver';

export type AppSoakMode = 'remote' | 'local';

/** Longer than the soak's: the app's own reconnect delay (5 s) must not time its party out. */
export const APP_SOAK_TIMINGS: SoakTimings = {
  heartbeatS: 1,
  peerTimeoutS: 8,
  sweepS: 0.5,
  helloTimeoutS: 2,
};

export interface AppRig {
  app: AppProcess;
  /** Where the app's friends connect to join `partyId`. */
  locate(partyId: string): Promise<string>;
  /** Remote only: the relay in front of the server, and the party to visit. */
  relay: FrameRelay | null;
  hub: HubParty | null;
  /** How the app's status reads once it is ready to host. */
  readyStatus: 'connected' | 'local';
  /** How long after the churn stops every timeout and sweep has run once. */
  settleMs: number;
  stop(): Promise<void>;
}

const appEnv = async (home: string): Promise<Record<string, string>> => ({
  LANRAGE_HOME: home,
  LANRAGE_PEER_NAME: 'Soak App',
  LANRAGE_MDNS_INTERFACE: '127.0.0.1',
  LANRAGE_MDNS_PORT: String(await freeUdpPort()),
});

export async function startAppRig(
  mode: AppSoakMode,
  nodeArgs: readonly string[] = [],
): Promise<AppRig> {
  const home = mkdtempSync(join(tmpdir(), 'lanrage-soak-app-'));
  const removeHome = () => rmSync(home, { recursive: true, force: true });
  try {
    const rig =
      mode === 'remote' ? await remoteRig(home, nodeArgs) : await localRig(home, nodeArgs);
    const stop = async () => (await rig.stop(), removeHome());
    return { ...rig, stop };
  } catch (error) {
    removeHome();
    throw error;
  }
}

async function remoteRig(home: string, nodeArgs: readonly string[]): Promise<AppRig> {
  const server: SoakServer = await startSoakServer('sqlite', APP_SOAK_TIMINGS);
  const url = server.server.url;
  const relay = await FrameRelay.start(url);
  const beatMs = (APP_SOAK_TIMINGS.heartbeatS * 1000) / 2;
  const hub = await HubParty.start(url, 'soak-visit-party', {}, beatMs);
  const stopServers = async () => {
    hub.stop();
    await relay.close();
    await server.stop();
  };
  const env = { ...(await appEnv(home)), LANRAGE_CONTROL_SERVER: relay.url };
  const app = await AppProcess.start(env, nodeArgs).catch(async (error: unknown) => {
    await stopServers();
    throw error;
  });
  const stop = async () => (await app.quit(), await stopServers());
  const locate = () => Promise.resolve(url);
  return { app, locate, relay, hub, readyStatus: 'connected', settleMs: server.settleMs, stop };
}

async function localRig(home: string, nodeArgs: readonly string[]): Promise<AppRig> {
  const t = APP_SOAK_TIMINGS;
  const port = await freeTcpPort();
  const config = {
    ...{ control_server: '', welcome_done: true, lan_port: port, lan_listen: false },
    ...{ heartbeat_interval: t.heartbeatS, peer_timeout: t.peerTimeoutS },
    cleanup_interval: t.sweepS,
  };
  writeFileSync(join(home, 'config.json'), JSON.stringify(config));
  const app = await AppProcess.start(await appEnv(home), nodeArgs);
  // As the server's soak: the peer timeout, the hello timeout, sweeps, and a second to spare.
  const settleMs = (t.peerTimeoutS + t.helloTimeoutS + 4 * t.sweepS) * 1000 + 1000;
  const locate = (partyId: string) => lookUp(join(home, 'discovery.json'), partyId);
  const stop = () => app.quit();
  return { app, locate, relay: null, hub: null, readyStatus: 'local', settleMs, stop };
}

/**
 * Where this PC's parties are served, as the app's other instances find them: discovery.json
 * (its server takes another port when the configured one was taken meanwhile). Polled
 * until the party is listed, at most 5 s.
 */
async function lookUp(file: string, partyId: string): Promise<string> {
  for (let tries = 0; tries < 100; tries++) {
    const host = existsSync(file) ? readBoard(file).get(partyId) : undefined;
    if (host) return host.controlUrl;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${partyId} is not in ${file}`);
}

function readBoard(file: string) {
  try {
    return parseBoard(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return new Map<string, never>(); // Caught between writes: read again.
  }
}
