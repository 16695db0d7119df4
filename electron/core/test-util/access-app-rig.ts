/**
 * Apps against a real control server (approval checks every 20 ms) under one temp home, for
 * the tests of access control through the app's IPC contract. `accessAppRig` starts both
 * before each test and closes every app, the server and the home after it. Call it at the
 * top level of the test file.
 */
import { afterEach, beforeEach } from 'vitest';
import type { PartyView } from '../../../shared/ipc/app-state';
import type { RunningServer } from '../../../server/server-core';
import type { AppService } from '../app-service/types';
import { newIdentitySeed } from '../identity/identity-key';
import { appValue as value } from './app-calls';
import { testAppService } from './app-instance';
import { startMemoryServer } from './memory-server';
import { makeTempDir } from './temp-dir';

export function accessAppRig() {
  let running: { temp: ReturnType<typeof makeTempDir>; server: RunningServer } | null = null;
  const open: AppService[] = [];
  const started = () => {
    if (!running) throw new Error('accessAppRig: nothing runs outside a test');
    return running;
  };
  beforeEach(async () => {
    const temp = makeTempDir('lanrage-access-');
    running = { temp, server: await startMemoryServer({ approvalCheckMs: 20 }) };
  });
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    await running?.server.close();
    running?.temp.cleanup();
    running = null;
  });
  const temp = {
    get dir(): string {
      return started().temp.dir;
    },
  };
  const server: Pick<RunningServer, 'url' | 'context'> = {
    get url() {
      return started().server.url;
    },
    get context() {
      return started().server.context;
    },
  };

  /** An installation of its own (`seed`: its identity key) on the server. */
  async function instance(name: string, seed = newIdentitySeed()): Promise<AppService> {
    const service = await testAppService({
      home: temp.dir,
      name,
      controlServer: server.url,
      seed,
    });
    open.push(service);
    return service;
  }

  /** `hostName` hosts an open party; `guestName`, an installation of its own (`seed`), joins. */
  async function hostAndGuest(hostName: string, guestName: string, partyName: string) {
    const host = await instance(hostName);
    const party = await value<PartyView>(host, 'createParty', { name: partyName });
    const seed = newIdentitySeed();
    const guest = await instance(guestName, seed);
    await value(guest, 'joinParty', { invite: party.party_id });
    return { host, party, guest, seed };
  }

  return { temp, server, instance, hostAndGuest };
}
