import { describe, expect, it } from 'vitest';
import { HostPins } from './host-pins';

const url = (pin: string, port = 8669) =>
  `wss://10.0.0.5:${port}/ws?pin=${pin.repeat(43)}&plain=8668`;

describe('HostPins', () => {
  it('trusts any announcement until a TLS link was made, then only the same pin', () => {
    const pins = new HostPins();
    expect(pins.trusts('p1', url('A'))).toBe(true);
    pins.linked('p1', url('A'));
    expect(pins.trusts('p1', url('A', 40000))).toBe(true); // same certificate, another port
    expect(pins.trusts('p1', url('B'))).toBe(false);
    expect(pins.trusts('p1', 'ws://10.0.0.5:8668/ws')).toBe(false); // no TLS at all
    expect(pins.trusts('p2', url('B'))).toBe(true);
  });

  it('keeps the first pin; a plain URL keeps none', () => {
    const pins = new HostPins();
    pins.linked('p1', 'ws://10.0.0.5:8668/ws');
    expect(pins.trusts('p1', url('B'))).toBe(true);
    pins.linked('p1', url('A'));
    pins.linked('p1', url('B'));
    expect(pins.trusts('p1', url('A'))).toBe(true);
    expect(pins.trusts('p1', url('B'))).toBe(false);
  });

  it('rules out plain for a URL any of whose parties keeps a pin, until it is forgotten', () => {
    const pins = new HostPins();
    const homes = new Map([
      ['p1', url('A')],
      ['p2', url('A')],
      ['p3', url('C', 9000)],
    ]);
    pins.linkedAt(homes, url('A'));
    expect(pins.keepsAnyAt(homes, url('A'))).toBe(true);
    expect(pins.keepsAnyAt(homes, url('C', 9000))).toBe(false);
    pins.forget('p1');
    expect(pins.keepsAnyAt(homes, url('A'))).toBe(true);
    pins.forget('p2');
    expect(pins.keepsAnyAt(homes, url('A'))).toBe(false);
    expect(pins.trusts('p2', url('B'))).toBe(true);
  });

  it('says when a pin is kept or forgotten, and takes back only those of parties still ours', () => {
    let changes = 0;
    const pins = new HostPins(() => changes++);
    pins.linked('p1', url('A'));
    pins.linked('p1', url('B')); // the first is kept: nothing changed
    pins.forget('p2'); // none kept: nothing changed
    expect(changes).toBe(1);
    expect([...pins.kept]).toEqual([['p1', 'A'.repeat(43)]]);
    pins.forget('p1');
    expect(changes).toBe(2);
    const restarted = new HostPins(() => changes++);
    const saved = new Map([
      ['p1', 'A'.repeat(43)],
      ['gone', 'C'.repeat(43)],
    ]);
    restarted.restore(saved, (partyId) => partyId === 'p1');
    expect(restarted.trusts('p1', url('B'))).toBe(false);
    expect(restarted.trusts('gone', url('B'))).toBe(true);
    expect(changes).toBe(2); // taken back as saved: nothing to save again
  });
});

describe('HostPins after a party', () => {
  // "<party> is back" (app-service/back-watch.ts) is told only for the host we knew.
  it('names the pin last kept for a party forgotten, for the last few parties only', () => {
    const pins = new HostPins();
    pins.linked('p1', url('A'));
    expect(pins.lastOf('p1')).toBe('A'.repeat(43));
    pins.forget('p1');
    expect(pins.trusts('p1', url('B'))).toBe(true);
    expect(pins.lastOf('p1')).toBe('A'.repeat(43));
    expect(pins.lastOf('p2')).toBeUndefined();
    for (let i = 2; i <= 9; i++) {
      pins.linked(`p${i}`, url('C'));
      pins.forget(`p${i}`);
    }
    expect(pins.lastOf('p1')).toBeUndefined();
    expect(pins.lastOf('p9')).toBe('C'.repeat(43));
  });
});
