import { describe, expect, it } from 'vitest';
import { ManualClock } from '../test-util/manual-clock';
import { CountedLog, LAN_LOG_EVERY_MS, reasonOf } from './counted-log';

function rig() {
  const clock = new ManualClock();
  const lines: [string, unknown][] = [];
  const log = new CountedLog('LAN discovery: ignored', (m, d) => lines.push([m, d]), clock);
  return { clock, lines, log };
}

describe('CountedLog', () => {
  it('logs the first at once, then one line per interval counting each kind', async () => {
    const { clock, lines, log } = rig();
    log.add(['10.0.0.4: TXT is not strings'], ['party_a._lanrage._tcp.local: TXT is not strings']);
    for (let i = 0; i < 1000; i++) log.add([`10.0.0.${4 + (i % 2)}: unknown txtvers`]);
    log.add(['10.0.0.4: TXT is not strings']);
    expect(lines).toEqual([
      ['LAN discovery: ignored', ['party_a._lanrage._tcp.local: TXT is not strings']],
    ]);
    await clock.advance(LAN_LOG_EVERY_MS);
    expect(lines[1]).toEqual([
      'LAN discovery: ignored (1001 more in 10 s)',
      {
        '10.0.0.4: unknown txtvers': 500,
        '10.0.0.5: unknown txtvers': 500,
        '10.0.0.4: TXT is not strings': 1,
      },
    ]);
    // Quiet for an interval: nothing more, and the next is logged at once again.
    await clock.advance(3 * LAN_LOG_EVERY_MS);
    expect(lines).toHaveLength(2);
    log.add(['10.0.0.9: names party party_b']);
    expect(lines).toHaveLength(3);
    log.close();
  });

  it('a flood of distinct kinds is summed under "other", not grown without end', async () => {
    const { clock, lines, log } = rig();
    for (let i = 0; i < 5000; i++) log.add([`10.0.${i >> 8}.${i & 255}: bad`]);
    await clock.advance(LAN_LOG_EVERY_MS);
    const counts = lines[1]![1] as Record<string, number>;
    expect(Object.keys(counts)).toHaveLength(17);
    expect(counts.other).toBe(5000 - 1 - 16);
    log.close();
  });

  it('reads the reason after the instance name', () => {
    expect(reasonOf('party_a._lanrage._tcp.local: SRV port 1 is not TXT port 2')).toBe(
      'SRV port N is not TXT port N',
    );
    // Each random id of a flood is one kind, not thousands.
    expect(reasonOf('party_a._lanrage._tcp.local: names party party_2b0fdd64ce0d')).toBe(
      'names party party_…',
    );
    expect(reasonOf('a response from 0.0.0.0')).toBe('a response from N.N.N.N');
  });
});
