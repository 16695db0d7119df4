/**
 * A LAN that floods claims (64 party ids, each from 9 addresses, 1 s TTLs, at staggered
 * times) makes each claim due for a refresh query at its own moment. One browse query is
 * answered for all of them, so the browser must not send one for each: at most one per
 * MIN_REFRESH_GAP_MS, besides its own backing-off browse queries.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../test-util/manual-clock';
import { MemoryMdnsHub } from '../test-util/memory-mdns';
import { lanSummary } from '../test-util/lan-summary';
import { advertPacket } from './dns-sd-records';
import { LanDiscovery, MIN_REFRESH_GAP_MS } from './discovery';

const SLOTS = 100;
const STEP_MS = 10;

describe('refresh queries under a flood of claims', () => {
  it('go out at most once per gap', async () => {
    const clock = new ManualClock();
    const hub = new MemoryMdnsHub();
    const transport = hub.transport('10.0.0.2');
    const browser = new LanDiscovery({ transport, clock, hostName: 'b.local' });
    browser.start();
    const claims = Array.from({ length: 64 * 9 }, (_, k) => ({
      partyId: `party_flood${String(k % 64).padStart(3, '0')}`,
      address: `10.0.1.${Math.floor(k / 64) + 1}`,
    }));
    const seconds = 20;
    for (let tick = 0; tick < (seconds * 1000) / STEP_MS; tick++) {
      for (const [k, { partyId, address }] of claims.entries()) {
        if (k % SLOTS !== tick % SLOTS) continue;
        const summary = lanSummary({ party_id: partyId });
        hub.inject(
          address,
          advertPacket({ summary, hostName: 'e.local', addresses: [address] }, 1),
        );
      }
      await clock.advance(STEP_MS);
    }
    const browseQueries = 8; // the back-off's, up to once a minute
    const most = (seconds * 1000) / MIN_REFRESH_GAP_MS + browseQueries;
    expect(hub.count('query', '10.0.0.2')).toBeLessThanOrEqual(most);
    await browser.close();
  });
});
