/**
 * `npx tsx bench/tools/read-party.ts`
 * CPU per published party read back by another server (server/state/replication.ts
 * readParty): an 8-member party one of whose members changed, read fresh and with the
 * server's copy of the version before, alternately in one run (the ratio is what counts).
 */
import { PeerInfo } from '../../shared/model';
import { createParty, joinParty } from '../../shared/party/transitions';
import { peerDict } from '../../server/test-util/support';
import { readParty, storedParty } from '../../server/state/replication';

const ROUNDS = 3;
const READS = 20_000;

const at = new Date('2026-12-02T10:00:00Z');
const peer = (id: string): PeerInfo => PeerInfo.fromDict(peerDict(id));
let party = createParty('party_r', 'R', peer('h'), at).party!;
for (const id of ['a', 'b', 'c', 'd', 'e', 'f']) party = joinParty(party, peer(id), at).party!;
const copy = readParty(storedParty(party));
const value = storedParty(joinParty(party, peer('g'), at).party!);

const microsPerRead = (read: () => unknown): number => {
  const started = performance.now();
  for (let i = 0; i < READS; i++) read();
  return ((performance.now() - started) / READS) * 1000;
};

for (let round = 1; round <= ROUNDS; round++) {
  const fresh = microsPerRead(() => readParty(value));
  const reused = microsPerRead(() => readParty(value, copy));
  console.log(
    `round ${round}: fresh ${fresh.toFixed(1)} µs, with the copy ${reused.toFixed(1)} µs ` +
      `(${(reused / fresh).toFixed(2)}×)`,
  );
}
