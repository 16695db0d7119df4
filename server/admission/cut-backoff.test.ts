import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CUT_MEMORY_MS, CutBackoff, MAX_CUT_BACKOFF_MS } from './admission';
import { NO_QUOTAS } from './quotas';
import { TestRig, delay, stopReadingUntilCut } from '../test-util/support';

describe('CutBackoff', () => {
  it('backs an address off after a cut, doubling per further cut up to the maximum', () => {
    const b = new CutBackoff(1000);
    expect(b.isBackingOff('10.0.0.1', 0)).toBe(false);
    expect(b.cut('10.0.0.1', 0)).toBe(1000);
    expect(b.isBackingOff('10.0.0.1', 999)).toBe(true);
    expect(b.isBackingOff('10.0.0.2', 999)).toBe(false);
    expect(b.isBackingOff('10.0.0.1', 1000)).toBe(false);
    expect(b.cut('10.0.0.1', 1000)).toBe(2000);
    expect(b.cut('10.0.0.1', 3000)).toBe(4000);
    let at = 7000;
    for (let i = 0; i < 10; i += 1) at += b.cut('10.0.0.1', at);
    expect(b.cut('10.0.0.1', at)).toBe(MAX_CUT_BACKOFF_MS);
  });

  it('does not extend a back-off for cuts during it (connections made before it)', () => {
    const b = new CutBackoff(1000);
    expect(b.cut('10.0.0.1', 0)).toBe(1000);
    for (let t = 1; t < 1000; t += 100) expect(b.cut('10.0.0.1', t)).toBe(0);
    expect(b.isBackingOff('10.0.0.1', 1000)).toBe(false);
    expect(b.cut('10.0.0.1', 1000)).toBe(2000);
  });

  it('starts again from the first back-off once an address went uncut for a while', () => {
    const b = new CutBackoff(1000);
    b.cut('10.0.0.1', 0);
    b.cut('10.0.0.1', 1000);
    expect(b.cut('10.0.0.1', 1000 + CUT_MEMORY_MS)).toBe(1000);
  });

  it('is off at 0', () => {
    const b = new CutBackoff(0);
    expect(b.cut('10.0.0.1', 0)).toBe(0);
    expect(b.isBackingOff('10.0.0.1', 0)).toBe(false);
  });

  it('remembers a bounded number of addresses', () => {
    const b = new CutBackoff(1000);
    const address = (i: number) => `10.0.${i >> 8}.${i & 255}`;
    for (let i = 0; i < 12_000; i += 1) b.cut(address(i), i);
    // Each address backs off from its own cut on, while it is remembered.
    let remembered = 0;
    for (let i = 0; i < 12_000; i += 1) if (b.isBackingOff(address(i), i)) remembered += 1;
    expect(remembered).toBeGreaterThan(0);
    expect(remembered).toBeLessThanOrEqual(10_000);
    // The newest are kept.
    expect(b.isBackingOff(address(11_999), 11_999)).toBe(true);
  });
});

const rig = new TestRig();
afterEach(() => rig.cleanup());

/** 'open', or the HTTP status the upgrade was refused with. */
function upgrade(url: string, localAddress: string): Promise<number | 'open'> {
  const ws = new WebSocket(url, { localAddress });
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      ws.terminate();
      resolve('open');
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', reject);
  });
}

describe('back-off after a cut for not reading', () => {
  it("refuses the cut client's address for a while; other addresses still get in", async () => {
    const { url } = await rig.start({
      rateLimit: null,
      maxBufferedBytes: 256 * 1024,
      quotas: NO_QUOTAS,
      admission: { cutBackoffMs: 1500 },
    });
    const c = await rig.connect(url, '127.0.0.7');
    await c.hello();
    await stopReadingUntilCut(c, rig);
    expect(rig.server!.context.presence.isConnected('p0')).toBe(false);
    expect(await upgrade(url, '127.0.0.7')).toBe(429);
    expect(await upgrade(url, '127.0.0.8')).toBe('open');
    await delay(1600);
    expect(await upgrade(url, '127.0.0.7')).toBe('open');
  });

  it('refuses nobody with the back-off off', async () => {
    const { url } = await rig.start({
      rateLimit: null,
      maxBufferedBytes: 256 * 1024,
      quotas: NO_QUOTAS,
      admission: { cutBackoffMs: 0 },
    });
    const c = await rig.connect(url, '127.0.0.7');
    await c.hello();
    await stopReadingUntilCut(c, rig);
    expect(rig.server!.context.presence.isConnected('p0')).toBe(false);
    expect(await upgrade(url, '127.0.0.7')).toBe('open');
  });
});
