import { describe, expect, it } from 'vitest';
import { MAX_V2_BODY, readProxyHeader, V1_MAX_BYTES } from './proxy-header';

const SIGNATURE = Buffer.from('0d0a0d0a000d0a515549540a', 'hex');

/** A v2 header: version 2, `command`, `family`, then `body`. */
function v2(command: number, family: number, body: Buffer, announced = body.length): Buffer {
  const head = Buffer.from([0x20 | command, family, 0, 0]);
  head.writeUInt16BE(announced, 2);
  return Buffer.concat([SIGNATURE, head, body]);
}

const ipv4Body = Buffer.from([203, 0, 113, 7, 10, 0, 0, 1, 0xc8, 0x3a, 0x21, 0xdb]);

describe('PROXY protocol v1', () => {
  it.each([
    ['PROXY TCP4 203.0.113.7 10.0.0.1 51258 8667\r\n', '203.0.113.7'],
    ['PROXY TCP6 2001:DB8:0:0::7 2001:db8::1 51258 8667\r\n', '2001:db8::7'],
    ['PROXY TCP6 ::ffff:203.0.113.7 ::ffff:10.0.0.1 1 2\r\n', '203.0.113.7'],
    ['PROXY TCP4 0.0.0.0 0.0.0.0 0 65535\r\n', '0.0.0.0'],
    ['PROXY UNKNOWN\r\n', null],
    ['PROXY UNKNOWN ffff:f...f:ffff ffff:f...f:ffff 65535 65535\r\n', null],
  ])('%j: the client is %s', (line, source) => {
    const bytes = Buffer.from(`${line}GET / HTTP/1.1\r\n`, 'latin1');
    expect(readProxyHeader(bytes)).toEqual({ kind: 'header', length: line.length, source });
  });

  it('every beginning of a header is incomplete, not invalid', () => {
    const line = Buffer.from('PROXY TCP4 203.0.113.7 10.0.0.1 51258 8667\r\n');
    for (let n = 0; n < line.length; n++) {
      expect(readProxyHeader(line.subarray(0, n)).kind, `${n} bytes`).toBe('incomplete');
    }
  });

  it.each([
    'GET / HTTP/1.1\r\n',
    'PROXY\r\n',
    'PROXY TCP5 1.2.3.4 1.2.3.4 1 2\r\n',
    'PROXY TCP4 1.2.3.4 1.2.3.4 1 2 3\r\n',
    'PROXY TCP4 1.2.3.4  1.2.3.4 1 2\r\n',
    'PROXY TCP4 01.2.3.4 1.2.3.4 1 2\r\n',
    'PROXY TCP4 1.2.3.256 1.2.3.4 1 2\r\n',
    'PROXY TCP4 2001:db8::1 1.2.3.4 1 2\r\n',
    'PROXY TCP6 1.2.3.4 2001:db8::1 1 2\r\n',
    'PROXY TCP6 fe80::1%eth0 2001:db8::1 1 2\r\n',
    'PROXY TCP4 lb.example 1.2.3.4 1 2\r\n',
    'PROXY TCP4 1.2.3.4 1.2.3.4 65536 2\r\n',
    'PROXY TCP4 1.2.3.4 1.2.3.4 01 2\r\n',
    'PROXY TCP4 1.2.3.4 1.2.3.4 -1 2\r\n',
    'PROXY TCP4 1.2.3.4 1.2.3.4 1 2\rX',
    'PROXY TCP4 1.2.3.4 1.2.3.4 1 2\n',
    'PROXY TCP4 1.2.3.4\t1.2.3.4 1 2\r\n',
    'proxy TCP4 1.2.3.4 1.2.3.4 1 2\r\n',
  ])('refuses %j', (line) => {
    expect(readProxyHeader(Buffer.from(line, 'latin1')).kind).toBe('invalid');
  });

  it('refuses a line past 107 bytes without waiting for its end', () => {
    const long = Buffer.from(`PROXY UNKNOWN ${'x'.repeat(V1_MAX_BYTES)}`);
    expect(readProxyHeader(long.subarray(0, V1_MAX_BYTES - 1)).kind).toBe('incomplete');
    expect(readProxyHeader(long.subarray(0, V1_MAX_BYTES))).toEqual({
      kind: 'invalid',
      why: 'a v1 header longer than 107 bytes',
    });
  });
});

describe('PROXY protocol v2', () => {
  it('TCP over IPv4: the source address; TLVs after the addresses are skipped', () => {
    const tlv = Buffer.from([0x01, 0x00, 0x02, 0x68, 0x32]);
    const header = v2(1, 0x11, Buffer.concat([ipv4Body, tlv]));
    const bytes = Buffer.concat([header, Buffer.from('\x16\x03\x01')]);
    expect(readProxyHeader(bytes)).toEqual({
      kind: 'header',
      length: header.length,
      source: '203.0.113.7',
    });
  });

  it('TCP over IPv6, IPv4-mapped ones as IPv4', () => {
    const address = (text: string) => Buffer.from(text.replaceAll(':', ''), 'hex');
    const ports = Buffer.from([0, 1, 0, 2]);
    const client = address('2001:0db8:0000:0000:0000:0000:0000:0007');
    const body = Buffer.concat([client, address('2001:0db8:0000:0000:0000:0000:0000:0001'), ports]);
    expect(readProxyHeader(v2(1, 0x21, body))).toMatchObject({ source: '2001:db8::7' });
    const mapped = address('0000:0000:0000:0000:0000:ffff:cb00:7107');
    const mappedBody = Buffer.concat([mapped, mapped, ports]);
    expect(readProxyHeader(v2(1, 0x21, mappedBody))).toMatchObject({ source: '203.0.113.7' });
  });

  it("LOCAL (the balancer's own check) and UNSPEC name no client", () => {
    expect(readProxyHeader(v2(0, 0x00, Buffer.alloc(0)))).toEqual({
      kind: 'header',
      length: 16,
      source: null,
    });
    expect(readProxyHeader(v2(0, 0x11, ipv4Body))).toMatchObject({ source: null });
    expect(readProxyHeader(v2(1, 0x00, Buffer.alloc(4)))).toMatchObject({ source: null });
  });

  it('every beginning of a header is incomplete', () => {
    const header = v2(1, 0x11, ipv4Body);
    for (let n = 0; n < header.length; n++) {
      expect(readProxyHeader(header.subarray(0, n)).kind, `${n} bytes`).toBe('incomplete');
    }
  });

  it.each([
    ['another version', Buffer.concat([SIGNATURE, Buffer.from([0x11, 0x11, 0, 12]), ipv4Body])],
    ['an unknown command', v2(2, 0x11, ipv4Body)],
    ['UDP', v2(1, 0x12, ipv4Body)],
    ['a UNIX socket', v2(1, 0x31, Buffer.alloc(216))],
    ['TCP4 too short for its addresses', v2(1, 0x11, ipv4Body.subarray(0, 11))],
    ['TCP6 too short for its addresses', v2(1, 0x21, Buffer.alloc(35))],
    [
      'a broken signature',
      Buffer.concat([Buffer.from('0d0a0d0a000d0a51', 'hex'), Buffer.alloc(20)]),
    ],
  ])('refuses %s', (_, bytes) => {
    expect(readProxyHeader(bytes).kind).toBe('invalid');
  });

  it(`refuses more than ${MAX_V2_BODY} bytes announced, at once, without waiting for them`, () => {
    const head = v2(1, 0x11, Buffer.alloc(0), MAX_V2_BODY + 1);
    expect(readProxyHeader(head)).toEqual({
      kind: 'invalid',
      why: `a v2 header of ${MAX_V2_BODY + 1} bytes`,
    });
    const most = v2(1, 0x11, Buffer.concat([ipv4Body, Buffer.alloc(MAX_V2_BODY - 12)]));
    expect(readProxyHeader(most)).toMatchObject({ kind: 'header', source: '203.0.113.7' });
  });
});
