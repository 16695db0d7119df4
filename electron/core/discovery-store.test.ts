import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createParty } from '../../shared/party-transitions';
import { atomicWrite } from './atomic-write';
import { DiscoveryStore } from './discovery-store';
import { MemoryLogger } from '../../shared/test-support/memory-logger';
import { systemClock } from './scheduler';
import { waitFor } from './test-util/child-process';
import { makePeer } from './test-util/fixtures';
import { makeTempDir } from './test-util/temp-dir';

let dir: string;
let cleanup: () => void;
let logger: MemoryLogger;
let store: DiscoveryStore;
beforeEach(() => {
  ({ dir, cleanup } = makeTempDir());
  logger = new MemoryLogger();
  store = new DiscoveryStore(join(dir, 'discovery.json'), { clock: systemClock, logger });
});
afterEach(() => cleanup());

const party = (id: string) => createParty(id, id, makePeer('h'), new Date(0)).party!;

describe('DiscoveryStore', () => {
  it('reads a missing file as no parties', async () => {
    expect((await store.read()).size).toBe(0);
  });

  it('writes only when the change says it changed something', async () => {
    await store.update(() => false);
    expect(readdirSync(dir)).toEqual([]);
    await store.update((parties) => {
      parties.set('p1', party('p1'));
      return true;
    });
    expect(store.writeCount).toBe(1);
    expect([...(await store.read()).keys()]).toEqual(['p1']);
  });

  it('writes nothing when the change throws', async () => {
    await expect(
      store.update(() => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('loses nothing under many concurrent updates in one process', async () => {
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        store.update((parties) => {
          parties.set(`p${i}`, party(`p${i}`));
          return true;
        }),
      ),
    );
    expect((await store.read()).size).toBe(40);
  });

  it('warns once about an unreadable file', async () => {
    writeFileSync(store.path, 'nope');
    await store.read();
    await store.read();
    expect(logger.messages('warn')).toHaveLength(1);
    expect(readFileSync(store.path, 'utf8')).toBe('nope'); // readers never move it
  });

  it('watch reports a change written by someone else, and stops when told', async () => {
    let calls = 0;
    const stop = store.watch(() => {
      calls++;
    }, 10);
    await waitFor(() => calls === 1, 2000); // the first poll sees the initial state
    await atomicWrite(store.path, JSON.stringify({ parties: {} }));
    await waitFor(() => calls === 2, 2000);
    stop();
    await atomicWrite(store.path, JSON.stringify({ parties: {}, my_peer_id: null }));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(calls).toBe(2);
  });

  it('reads a party whose member name has a tab (never again an unreadable file)', async () => {
    const dict = party('p1').toDict();
    dict.peers.h!.name = 'Big\tBoss\u200B';
    writeFileSync(store.path, JSON.stringify({ parties: { p1: dict } }));
    const parties = await store.read();
    expect(parties.get('p1')?.peers.get('h')?.name).toBe('Big Boss');
    expect(logger.messages('warn')).toEqual([]);
  });
});
