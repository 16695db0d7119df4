/**
 * The embedded server's store when the system refuses its writes: the PC's parties go on in
 * memory and the user is told once (a LAN party must not stop for a file); once writes work
 * again, the next commit saves everything.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryLogger } from '../../../../shared/test-support/memory-logger';
import { hostParty, peerDict, TestRig } from '../../../../server/test-util/support';
import { makeTempDir } from '../../test-util/temp-dir';
import { FilePartyStore } from './file-party-store';

const rig = new TestRig();
let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = makeTempDir('lanrage-file-store-')));
afterEach(async () => {
  await rig.cleanup();
  cleanup();
});

describe('FilePartyStore when writes are refused', () => {
  it('hosts on in memory, tells the user once, and saves all once it can write again', async () => {
    // A file where the store's folder should be (root, which runs CI, may write elsewhere).
    const folder = join(dir, 'home');
    writeFileSync(folder, 'not a folder');
    const reports: string[] = [];
    const logger = new MemoryLogger();
    const store = new FilePartyStore(join(folder, 'hosted.json'), {
      logger,
      report: (m) => reports.push(m),
    });
    await rig.start({ store });
    const host = await rig.connect();
    await hostParty(host, 'party_mem', 'h');
    const guest = await rig.connect();
    const joined = await guest.request({
      type: 'join_party',
      party_id: 'party_mem',
      peer: peerDict('g'),
    });
    expect(joined).toMatchObject({ type: 'party_update' });
    expect([...store.current.get('party_mem')!.peers.keys()].sort()).toEqual(['g', 'h']);
    expect(reports).toEqual([
      `The parties this PC hosts cannot be saved to ${join(folder, 'hosted.json')}: a file ` +
        'is where its folder should be. They go on in memory and end when LANrage closes.',
    ]);
    expect(logger.messages('error')[0]).toContain('(EEXIST: file already exists, mkdir');

    rmSync(folder);
    mkdirSync(folder);
    await guest.request({ type: 'leave_party', party_id: 'party_mem', peer_id: 'g' });
    const saved = JSON.parse(readFileSync(join(folder, 'hosted.json'), 'utf8')) as {
      parties: Record<string, { peers: Record<string, unknown> }>;
    };
    expect(Object.keys(saved.parties.party_mem!.peers)).toEqual(['h']);
    expect(reports).toHaveLength(1);
  });
});
