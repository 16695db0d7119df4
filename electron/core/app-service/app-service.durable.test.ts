/**
 * What is acknowledged is durable: the UI hears that the user created or joined a party only
 * once control_state.json names it, so an app killed right after still comes back in it. The
 * save delay is a minute here, so only a write the action waited for can be on disk.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PartyView, StateEvent } from '../../../shared/ipc/app-state';
import { silentLogger } from '../../../shared/logger';
import { Config } from '../config/config';
import { LocalControlPlane } from '../local/control-plane';
import { makeTempDir } from '../test-util/temp-dir';
import { createAppService } from './app-service';
import { dispatch } from './ipc-registry';
import type { AppService } from './types';

let temp: ReturnType<typeof makeTempDir>;
const open: AppService[] = [];
beforeEach(() => {
  temp = makeTempDir('lanrage-durable-');
});
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  temp.cleanup();
});

/** An app in local mode whose state is saved a minute after a change, unless flushed. */
async function instance(name: string) {
  const config = Config.load({
    home: temp.dir,
    env: { LANRAGE_INSTANCE: name.toLowerCase(), LANRAGE_PEER_NAME: name },
  });
  const service = await createAppService({
    config,
    identity: { peerId: `peer_${name.toLowerCase()}`, publicKey: 'k'.repeat(43) + '=' },
    createControlPlane: (c) =>
      new LocalControlPlane(c, { logger: silentLogger, saveDelayMs: 60_000 }),
    localIp: () => '192.168.1.100',
    logger: silentLogger,
  });
  open.push(service);
  /** my_party_id in control_state.json, read when the UI is told of a party. */
  const onDisk: unknown[] = [];
  service.onStateEvent((event: StateEvent) => {
    if (event.type !== 'party' || event.party === null) return;
    const saved = JSON.parse(readFileSync(config.stateFile, 'utf8')) as { my_party_id?: unknown };
    onDisk.push(saved.my_party_id);
  });
  return { service, onDisk };
}

const call = async (s: AppService, channel: string, request: unknown = {}) => {
  const result = await dispatch(s.handlers, channel, request, silentLogger);
  if (!result.ok) throw new Error(result.error.message);
  return result.value as PartyView;
};

/** Every time the UI was told of the party, the file already named it (and it was told). */
function toldOnlyOnDisk(onDisk: readonly unknown[], partyId: string): void {
  expect(onDisk.length).toBeGreaterThan(0);
  expect(onDisk.filter((saved) => saved !== partyId)).toEqual([]);
}

describe('a party the UI is told of is on disk first', () => {
  it('created, and joined: control_state.json names it when the UI hears', async () => {
    const host = await instance('Bob');
    const { party_id: partyId } = await call(host.service, 'createParty', { name: 'LAN' });
    toldOnlyOnDisk(host.onDisk, partyId);
    const guest = await instance('Ann');
    await call(guest.service, 'joinParty', { invite: partyId });
    // From the first word the UI had of the join, a crash comes back in the party.
    toldOnlyOnDisk(guest.onDisk, partyId);
  });
});
