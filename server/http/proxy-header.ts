/**
 * The PROXY protocol header a TCP load balancer writes before its client's bytes (HAProxy's
 * `send-proxy`/`send-proxy-v2`, nginx stream's `proxy_protocol on`, most cloud balancers),
 * read from the front of what a connection sent so far. Both versions of
 * https://www.haproxy.org/download/2.9/doc/proxy-protocol.txt:
 *  - v1, one text line: `PROXY TCP4 203.0.113.7 198.51.100.1 51234 8667\r\n`, 107 bytes at most;
 *  - v2, binary: a 12-byte signature, version and command, family, a 16-bit length, the
 *    addresses, then optional TLVs (skipped, as the spec allows).
 * Strict: anything else, or more than MAX_V2_BODY bytes announced, is invalid, and the
 * connection is closed (client-address.ts). Only the client's (source) address is used.
 */
import net from 'node:net';

/** What the bytes so far hold. `source` null: a LOCAL or UNKNOWN header (the balancer's own). */
export type ProxyHeader =
  | { kind: 'incomplete' }
  | { kind: 'invalid'; why: string }
  | { kind: 'header'; length: number; source: string | null };

const V1_PREFIX = Buffer.from('PROXY ', 'latin1');
/** The spec's bound for a v1 line, its CRLF included. */
export const V1_MAX_BYTES = 107;
const V2_SIGNATURE = Buffer.from('0d0a0d0a000d0a515549540a', 'hex');
const V2_FIXED_BYTES = 16;
/** Addresses (36 bytes for IPv6) and TLVs; a balancer's TLVs (ALPN, SNI, ids) fit easily. */
export const MAX_V2_BODY = 2048;
const PORT = /^(0|[1-9]\d{0,4})$/;
/** Digits, hex, dots and colons only: no zone (`%eth0`), no blanks. */
const ADDRESS_CHARS = /^[\d.:a-fA-F]+$/;

const INCOMPLETE: ProxyHeader = { kind: 'incomplete' };
const invalid = (why: string): ProxyHeader => ({ kind: 'invalid', why });

/** Whether `bytes` begins like `prefix`, as far as it goes. */
function startsLike(bytes: Buffer, prefix: Buffer): boolean {
  const n = Math.min(bytes.length, prefix.length);
  return bytes.subarray(0, n).equals(prefix.subarray(0, n));
}

/** The address as Node writes it (`2001:db8::1`); an IPv4-mapped IPv6 one as the IPv4. */
function canonical(address: string, family: 'ipv4' | 'ipv6'): string {
  const text = new net.SocketAddress({ address, family }).address;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text);
  return mapped ? mapped[1]! : text;
}

/** The end of the v1 line (the index of its CR), or what the bytes so far say instead. */
function v1LineEnd(bytes: Buffer): number | ProxyHeader {
  const limit = Math.min(bytes.length, V1_MAX_BYTES);
  for (let i = 0; i < limit; i++) {
    const byte = bytes[i]!;
    if (byte === 0x0d) {
      if (i + 1 >= bytes.length) return INCOMPLETE;
      return bytes[i + 1] === 0x0a ? i : invalid('a CR without LF in the v1 header');
    }
    if (byte < 0x20 || byte > 0x7e) return invalid('a byte that is not printable in the v1 header');
  }
  return bytes.length >= V1_MAX_BYTES ? invalid('a v1 header longer than 107 bytes') : INCOMPLETE;
}

function validPort(text: string): boolean {
  return PORT.test(text) && Number(text) <= 65_535;
}

function readV1(bytes: Buffer): ProxyHeader {
  if (!startsLike(bytes, V1_PREFIX)) return invalid('no PROXY header');
  const end = v1LineEnd(bytes);
  if (typeof end !== 'number') return end;
  const length = end + 2;
  const [, protocol, source = '', target = '', sourcePort = '', targetPort = '', ...extra] = bytes
    .toString('latin1', 0, end)
    .split(' ');
  // UNKNOWN: the balancer could not tell (its own connection); anything may follow.
  if (protocol === 'UNKNOWN') return { kind: 'header', length, source: null };
  const family = protocol === 'TCP4' ? 4 : protocol === 'TCP6' ? 6 : 0;
  if (family === 0) return invalid('a v1 header neither TCP4, TCP6 nor UNKNOWN');
  const addressOk = (text: string) => ADDRESS_CHARS.test(text) && net.isIP(text) === family;
  if (extra.length > 0 || !addressOk(source) || !addressOk(target)) {
    return invalid(`a v1 ${protocol} header without two ${protocol} addresses and two ports`);
  }
  if (!validPort(sourcePort) || !validPort(targetPort))
    return invalid('a bad port in the v1 header');
  return { kind: 'header', length, source: canonical(source, family === 4 ? 'ipv4' : 'ipv6') };
}

function ipv6Text(bytes: Buffer): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  return canonical(groups.join(':'), 'ipv6');
}

/** The source address of a v2 PROXY command's body, or why there is none. */
function v2Source(family: number, body: Buffer): string | ProxyHeader {
  if (family === 0x11) {
    if (body.length < 12) return invalid('a v2 TCP4 header too short for its addresses');
    return [...body.subarray(0, 4)].join('.');
  }
  if (family === 0x21) {
    if (body.length < 36) return invalid('a v2 TCP6 header too short for its addresses');
    return ipv6Text(body.subarray(0, 16));
  }
  return invalid(`a v2 header for family 0x${family.toString(16)}, not TCP over IPv4 or IPv6`);
}

function readV2(bytes: Buffer): ProxyHeader {
  if (!startsLike(bytes, V2_SIGNATURE)) return invalid('no PROXY header');
  if (bytes.length < V2_FIXED_BYTES) return INCOMPLETE;
  const versionCommand = bytes[12]!;
  if (versionCommand >> 4 !== 2) return invalid('a v2 signature with another version');
  const command = versionCommand & 0x0f;
  if (command > 1) return invalid('a v2 header with an unknown command');
  const bodyLength = bytes.readUInt16BE(14);
  if (bodyLength > MAX_V2_BODY) return invalid(`a v2 header of ${bodyLength} bytes`);
  const length = V2_FIXED_BYTES + bodyLength;
  if (bytes.length < length) return INCOMPLETE;
  const family = bytes[13]!;
  // LOCAL (a health check of the balancer's own), or UNSPEC: the connection's own address.
  if (command === 0 || family === 0) return { kind: 'header', length, source: null };
  const source = v2Source(family, bytes.subarray(V2_FIXED_BYTES, length));
  return typeof source === 'string' ? { kind: 'header', length, source } : source;
}

/** The header at the front of `bytes` (what a connection sent so far). */
export function readProxyHeader(bytes: Buffer): ProxyHeader {
  if (bytes.length === 0) return INCOMPLETE;
  if (bytes[0] === V1_PREFIX[0]) return readV1(bytes);
  if (bytes[0] === V2_SIGNATURE[0]) return readV2(bytes);
  return invalid('no PROXY header');
}
