/**
 * Test support: just enough of a TURN client (RFC 5389 STUN, RFC 5766 TURN) to ask a real
 * relay for an allocation over UDP with long-term credentials, as a browser's ICE agent does
 * with the `ice_servers` a LANrage server hands out: Allocate without credentials (401 with
 * REALM and NONCE), then again with USERNAME, REALM, NONCE, MESSAGE-INTEGRITY, FINGERPRINT.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import dgram from 'node:dgram';

const MAGIC_COOKIE = 0x2112a442;
const ALLOCATE_REQUEST = 0x0003;
const ALLOCATE_SUCCESS = 0x0103;
const ALLOCATE_ERROR = 0x0113;
const ATTR = {
  USERNAME: 0x0006,
  MESSAGE_INTEGRITY: 0x0008,
  ERROR_CODE: 0x0009,
  REALM: 0x0014,
  NONCE: 0x0015,
  XOR_RELAYED_ADDRESS: 0x0016,
  REQUESTED_TRANSPORT: 0x0019,
  FINGERPRINT: 0x8028,
} as const;
const UDP_PROTOCOL = 17;
const REPLY_TIMEOUT_MS = 2000;

/** What the relay answered to an Allocate. */
export interface AllocateAnswer {
  /** 'success', or the error's code (401: credentials refused, 438: stale nonce…). */
  status: 'success' | number;
  reason: string;
  realm?: string;
  nonce?: string;
  /** XOR-RELAYED-ADDRESS of a success: where peers reach this client through the relay. */
  relayed?: { address: string; port: number };
}

function attribute(type: number, value: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(type, 0);
  head.writeUInt16BE(value.length, 2);
  const padding = Buffer.alloc((4 - (value.length % 4)) % 4);
  return Buffer.concat([head, value, padding]);
}

function header(type: number, length: number, transactionId: Buffer): Buffer {
  const head = Buffer.alloc(20);
  head.writeUInt16BE(type, 0);
  head.writeUInt16BE(length, 2);
  head.writeUInt32BE(MAGIC_COOKIE, 4);
  transactionId.copy(head, 8);
  return head;
}

/** CRC-32 (IEEE), for FINGERPRINT. */
function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** Long-term credentials (RFC 5389 §15.4): key = MD5(username:realm:password). */
export interface LongTermAuth {
  username: string;
  password: string;
  realm: string;
  nonce: string;
}

/** An Allocate request for a UDP relay, signed when `auth` is given. */
export function allocateRequest(transactionId: Buffer, auth?: LongTermAuth): Buffer {
  const transport = Buffer.from([UDP_PROTOCOL, 0, 0, 0]);
  let body = attribute(ATTR.REQUESTED_TRANSPORT, transport);
  if (auth) {
    body = Buffer.concat([
      body,
      attribute(ATTR.USERNAME, Buffer.from(auth.username)),
      attribute(ATTR.REALM, Buffer.from(auth.realm)),
      attribute(ATTR.NONCE, Buffer.from(auth.nonce)),
    ]);
    // The HMAC covers the header with the length as if MESSAGE-INTEGRITY (24 bytes) ended it.
    const key = createHash('md5').update(`${auth.username}:${auth.realm}:${auth.password}`);
    const signed = Buffer.concat([header(ALLOCATE_REQUEST, body.length + 24, transactionId), body]);
    const mac = createHmac('sha1', key.digest()).update(signed).digest();
    body = Buffer.concat([body, attribute(ATTR.MESSAGE_INTEGRITY, mac)]);
  }
  // FINGERPRINT (8 bytes) last: the CRC covers everything before it, its length counted.
  const before = Buffer.concat([header(ALLOCATE_REQUEST, body.length + 8, transactionId), body]);
  const fingerprint = Buffer.alloc(4);
  fingerprint.writeUInt32BE((crc32(before) ^ 0x5354554e) >>> 0, 0);
  return Buffer.concat([before, attribute(ATTR.FINGERPRINT, fingerprint)]);
}

function xorAddress(value: Buffer, transactionId: Buffer): { address: string; port: number } {
  const port = value.readUInt16BE(2) ^ (MAGIC_COOKIE >>> 16);
  if (value[1] === 0x01) {
    const ip = (value.readUInt32BE(4) ^ MAGIC_COOKIE) >>> 0;
    return { address: [24, 16, 8, 0].map((shift) => (ip >>> shift) & 0xff).join('.'), port };
  }
  const mask = Buffer.concat([Buffer.alloc(4), transactionId]);
  mask.writeUInt32BE(MAGIC_COOKIE, 0);
  const bytes = value.subarray(4, 20).map((byte, i) => byte ^ mask[i]!);
  return {
    address: Buffer.from(bytes)
      .toString('hex')
      .replace(/(.{4})(?!$)/g, '$1:'),
    port,
  };
}

/**
 * An Allocate answer read from its attributes.
 * @throws Error when it is not an answer to `transactionId`'s Allocate.
 */
export function parseAllocateAnswer(message: Buffer, transactionId: Buffer): AllocateAnswer {
  const type = message.readUInt16BE(0);
  const sameTransaction = message.subarray(8, 20).equals(transactionId);
  if (message.readUInt32BE(4) !== MAGIC_COOKIE || !sameTransaction) {
    throw new Error('not an answer to this request');
  }
  if (type !== ALLOCATE_SUCCESS && type !== ALLOCATE_ERROR) {
    throw new Error(`not an Allocate answer (type 0x${type.toString(16)})`);
  }
  const answer: AllocateAnswer = { status: 'success', reason: '' };
  const end = 20 + message.readUInt16BE(2);
  for (let at = 20; at + 4 <= end;) {
    const kind = message.readUInt16BE(at);
    const value = message.subarray(at + 4, at + 4 + message.readUInt16BE(at + 2));
    if (kind === ATTR.ERROR_CODE && type === ALLOCATE_ERROR) {
      answer.status = value[2]! * 100 + value[3]!;
      answer.reason = value.subarray(4).toString('utf8');
    }
    if (kind === ATTR.REALM) answer.realm = value.toString('utf8');
    if (kind === ATTR.NONCE) answer.nonce = value.toString('utf8');
    if (kind === ATTR.XOR_RELAYED_ADDRESS) answer.relayed = xorAddress(value, transactionId);
    at += 4 + value.length + ((4 - (value.length % 4)) % 4);
  }
  return answer;
}

/** One request, its answer: retried as UDP asks, every wait bounded. */
function exchange(
  socket: dgram.Socket,
  port: number,
  request: Buffer,
  transactionId: Buffer,
): Promise<AllocateAnswer> {
  return new Promise((resolve, reject) => {
    const send = (): void => socket.send(request, port, '127.0.0.1');
    const resend = setInterval(send, 250);
    const timer = setTimeout(
      () => done(new Error(`no answer from 127.0.0.1:${port}`)),
      REPLY_TIMEOUT_MS,
    );
    const onMessage = (message: Buffer): void => {
      try {
        done(null, parseAllocateAnswer(message, transactionId));
      } catch {
        // Another transaction's late answer: keep waiting for ours.
      }
    };
    const done = (error: Error | null, answer?: AllocateAnswer): void => {
      clearInterval(resend);
      clearTimeout(timer);
      socket.off('message', onMessage);
      if (error) reject(error);
      else resolve(answer!);
    };
    socket.on('message', onMessage);
    send();
  });
}

/**
 * Allocates a UDP relay on the TURN server at 127.0.0.1:`port` with these credentials, as a
 * WebRTC agent would: first unsigned, to learn the realm and nonce, then signed.
 * Resolves with the second answer (or the first, when it is not a 401 challenge).
 */
export async function allocate(
  port: number,
  credentials: { username: string; credential: string },
): Promise<AllocateAnswer> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  try {
    const first = randomBytes(12);
    const challenge = await exchange(socket, port, allocateRequest(first), first);
    if (challenge.status !== 401 || !challenge.realm || !challenge.nonce) return challenge;
    const second = randomBytes(12);
    const auth = {
      username: credentials.username,
      password: credentials.credential,
      realm: challenge.realm,
      nonce: challenge.nonce,
    };
    return await exchange(socket, port, allocateRequest(second, auth), second);
  } finally {
    socket.close();
  }
}
