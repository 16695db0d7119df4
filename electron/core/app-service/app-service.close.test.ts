/** Closing the app flushes its state: started again, it is back in its party. */
import { describe, expect, it } from 'vitest';
import { call, localAppHarness } from '../test-util/local-app-harness';

const { instance } = localAppHarness();

describe('close', () => {
  it('flushes state: a restarted instance is back in its party', async () => {
    const a = await instance('Alice');
    await call(a, 'createParty', { name: 'Gaming Night' });
    const partyId = a.service.snapshot().party!.party_id;
    await a.service.close();
    await a.service.close();
    const again = await instance('Alice');
    expect(again.service.snapshot().party?.party_id).toBe(partyId);
  });
});
