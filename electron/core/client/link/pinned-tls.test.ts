import { describe, expect, it } from 'vitest';
import { pinOf, plainFallbackOf, shownUrl } from './pinned-tls';

const PIN = 'A'.repeat(43);
const pinned = (plain: string) => `wss://10.0.0.5:8669/ws?pin=${PIN}&plain=${plain}`;

describe('a pinned LAN URL', () => {
  it('names its pin, and is shown without it', () => {
    expect(pinOf(pinned('8668'))).toBe(PIN);
    expect(pinOf(`ws://10.0.0.5:8668/ws?pin=${PIN}`)).toBeNull();
    expect(pinOf('not a url')).toBeNull();
    expect(shownUrl(pinned('8668'))).toBe('wss://10.0.0.5:8669/ws');
  });

  it("falls back to its host's plain port only when that port is one", () => {
    expect(plainFallbackOf(pinned('8668'))).toBe('ws://10.0.0.5:8668/ws');
    expect(plainFallbackOf(pinned('65535'))).toBe('ws://10.0.0.5:65535/ws');
    // URL would ignore a port above 65535 and keep the TLS one: plain bytes to a TLS port.
    for (const port of ['0', '65536', '99999', '', '86a8', '-1', '008668x']) {
      expect(plainFallbackOf(pinned(port)), port).toBeNull();
    }
    expect(plainFallbackOf(`wss://10.0.0.5:8669/ws?pin=${PIN}`)).toBeNull();
    expect(plainFallbackOf('wss://10.0.0.5:8669/ws?plain=8668')).toBeNull();
  });
});
