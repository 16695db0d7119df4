import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { peerDict } from '../../server/test-support';
import { frame, settle, startRig } from './rig';

void (async () => {
  const rig = await startRig(64, 8);
  const run = async (rounds: number) => {
    for (let round = 0; round < rounds; round++) {
      for (let k = 1; k < 8; k++) {
        for (const ms of rig.parties) {
          const m = ms[k]!;
          m.conn.handleFrame(frame({ type: 'leave_party', party_id: m.partyId, peer_id: m.peerId }));
        }
        await settle();
        for (const ms of rig.parties) {
          const m = ms[k]!;
          m.conn.handleFrame(frame({ type: 'join_party', party_id: m.partyId, peer: peerDict(m.peerId) }));
        }
        await settle();
      }
    }
  };
  await run(10);
  const s = new Session();
  s.connect();
  await s.post('HeapProfiler.enable');
  await s.post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as never);
  await run(Number(process.env.ROUNDS ?? 20));
  const { profile } = (await s.post('HeapProfiler.stopSampling')) as { profile: unknown };
  writeFileSync('/tmp/alloc.heapprofile', JSON.stringify({ head: (profile as { head: unknown }).head }));
  console.log('cycles', Number(process.env.ROUNDS ?? 20) * 7 * rig.parties.length);
  await rig.stop();
})();
