/**
 * A host whose app crashed (SIGKILL) hosts its party again at the next start, from the files
 * the crash left: its embedded server's copy of the party, with the host's last_seen as of
 * its last write, and control_state.json. Its first beat must not wait a heartbeat interval,
 * or its own row reads "status unknown" and its heartbeat "late" until then.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makePeer } from '../test-util/fixtures';
import { waitFor } from '../test-util/child-process';
import { testLocalPlane } from '../test-util/local-plane';
import { makeTempDir } from '../test-util/temp-dir';
import type { LocalControlPlane } from './control-plane';
import { LOCAL_SERVER_FILE } from '../hosting/hosting';

let home: string;
let cleanup: () => void;
const planes: LocalControlPlane[] = [];

beforeEach(() => ({ dir: home, cleanup } = makeTempDir()));
afterEach(async () => {
  await Promise.all(planes.splice(0).map((p) => p.close()));
  cleanup();
});

type StoredFile = { parties: Record<string, { peers: Record<string, { last_seen: string }> }> };

/** The embedded server's file and control_state.json as a crash leaves them (read while up). */
async function filesOfARunningHost(): Promise<{ server: StoredFile }> {
  const host = await testLocalPlane(home, 'host', planes);
  await host.registerParty('party_crash01', 'Crash Night', makePeer('alice'));
  const serverFile = join(home, 'instances', 'host', LOCAL_SERVER_FILE);
  const stored = (): boolean =>
    existsSync(serverFile) && readFileSync(serverFile, 'utf8').includes('party_crash01');
  await waitFor(() => stored() && existsSync(host.config.stateFile), 3000);
  await waitFor(() => readFileSync(host.config.stateFile, 'utf8').includes('party_crash01'), 3000);
  const server = JSON.parse(readFileSync(serverFile, 'utf8')) as StoredFile;
  const state = readFileSync(host.config.stateFile, 'utf8');
  // A clean quit takes the party out of the server's file: put back what the crash left.
  await host.close();
  planes.splice(planes.indexOf(host), 1);
  writeFileSync(host.config.stateFile, state);
  return { server };
}

describe('a host back after a crash', () => {
  it('beats at once, not leaving its own row and heartbeat on the last_seen the crash left', async () => {
    const { server } = await filesOfARunningHost();
    const crashed = new Date(Date.now() - 90_000).toISOString();
    server.parties.party_crash01!.peers.alice!.last_seen = crashed;
    writeFileSync(join(home, 'instances', 'host', LOCAL_SERVER_FILE), JSON.stringify(server));

    const started = Date.now();
    const restarted = await testLocalPlane(home, 'host', planes);
    // Well inside the 30 s heartbeat interval: the beat on coming back, not the timer's.
    await waitFor(() => restarted.status().lastHeartbeatAt !== null, 5000);
    // What the heartbeat dot and the own row go by (renderer/src/components/status-text.ts).
    expect(restarted.status().lastHeartbeatAt).toBeGreaterThanOrEqual(started);
    expect(restarted.parties.get('party_crash01')?.hostId).toBe('alice');
  });
});

/**
 * A guest whose app restarts mid-party links to its host again by itself. Its own row read
 * "status unknown" and its heartbeat "late" until the timer's first beat, up to a heartbeat
 * interval (30 s, seen with two headless instances) while the host showed it online.
 */
describe('a guest back after a restart', () => {
  it('beats as soon as it links to its host again', async () => {
    const host = await testLocalPlane(home, 'host', planes);
    await host.registerParty('party_back01', 'Back Night', makePeer('alice'));
    const guest = await testLocalPlane(home, 'guest', planes);
    await guest.joinParty('party_back01', makePeer('bob'));
    // Said in the guest's status bar: where its party is hosted (the host's is its own).
    expect(guest.status().hostAddress).toBe('127.0.0.1');
    expect(host.status().hostAddress).toBeUndefined();
    const saved = (): boolean =>
      existsSync(guest.config.stateFile) &&
      readFileSync(guest.config.stateFile, 'utf8').includes('party_back01');
    await waitFor(saved, 3000);
    await guest.close();
    planes.splice(planes.indexOf(guest), 1);

    const started = Date.now();
    const back = await testLocalPlane(home, 'guest', planes);
    const beat = (): number => back.status().lastHeartbeatAt ?? 0;
    // Well inside the 30 s heartbeat interval: the beat on linking, not the timer's.
    await waitFor(() => beat() >= started, 5000);
    expect(back.myPartyId).toBe('party_back01');
  });
});
