/**
 * A minimal DER writer (ITU-T X.690), for the one certificate shape lan-certificate.ts makes:
 * Node 20 parses X.509 but cannot write it, and the certificate libraries would bring a
 * dependency tree into the desktop app. Only what that shape needs, no reader: Node's
 * X509Certificate checks what this writes.
 */

const TAG = {
  integer: 0x02,
  bitString: 0x03,
  oid: 0x06,
  utf8String: 0x0c,
  sequence: 0x30,
  set: 0x31,
  utcTime: 0x17,
  generalizedTime: 0x18,
} as const;

/** A length: one byte below 128, else 0x80 + the count of the big-endian bytes that follow. */
export function derLength(length: number): Buffer {
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`DER length ${length}`);
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One tag-length-value. */
export function derTlv(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
}

export function derSequence(...items: Uint8Array[]): Buffer {
  return derTlv(TAG.sequence, Buffer.concat(items));
}

/**
 * A SET OF holding what it is given in that order: DER would sort several elements, and
 * every SET this writer is used for (an RDN) holds exactly one.
 */
export function derSet(...items: Uint8Array[]): Buffer {
  if (items.length > 1) throw new RangeError('derSet does not sort: give it one element');
  return derTlv(TAG.set, Buffer.concat(items));
}

/**
 * A non-negative INTEGER from unsigned big-endian bytes: DER wants the fewest bytes, and a
 * leading 0x00 where the top bit is set, which would otherwise read as negative.
 */
export function derInteger(unsigned: Uint8Array): Buffer {
  let start = 0;
  while (start < unsigned.length - 1 && unsigned[start] === 0) start++;
  const bytes = Buffer.from(unsigned.subarray(start));
  if (bytes.length === 0) return derTlv(TAG.integer, Buffer.from([0]));
  const sign = bytes[0]! & 0x80 ? Buffer.from([0]) : Buffer.alloc(0);
  return derTlv(TAG.integer, Buffer.concat([sign, bytes]));
}

/** One arc in base 128, most significant group first, every byte but the last with 0x80. */
function base128(arc: number): number[] {
  const groups = [arc % 128];
  for (let rest = Math.floor(arc / 128); rest > 0; rest = Math.floor(rest / 128)) {
    groups.unshift(0x80 | (rest % 128));
  }
  return groups;
}

/** An OBJECT IDENTIFIER from its dotted form ('1.2.840.10045.4.3.2'). */
export function derOid(dotted: string): Buffer {
  if (!/^\d+(\.\d+)+$/.test(dotted)) throw new RangeError(`Not an OID: ${dotted}`);
  const arcs = dotted.split('.').map(Number);
  const [first, second, ...rest] = arcs as [number, number, ...number[]];
  // X.690 8.19.4: the first two arcs share one subidentifier, 40 * first + second.
  if (first > 2 || (first < 2 && second > 39) || !arcs.every(Number.isSafeInteger)) {
    throw new RangeError(`Not an OID: ${dotted}`);
  }
  const bytes = [first * 40 + second, ...rest].flatMap(base128);
  return derTlv(TAG.oid, Buffer.from(bytes));
}

export function derUtf8String(text: string): Buffer {
  return derTlv(TAG.utf8String, Buffer.from(text, 'utf8'));
}

/** 'YYYYMMDDHHMMSSZ' in UTC, whole seconds: DER allows no zero fraction and no offset. */
function timeDigits(date: Date): string {
  const year = date.getUTCFullYear();
  if (!Number.isFinite(date.getTime()) || year < 0 || year > 9999) {
    throw new RangeError(`Cannot write ${String(date)} as an ASN.1 time`);
  }
  return date.toISOString().slice(0, 19).replace(/[-T:]/g, '') + 'Z';
}

export function derGeneralizedTime(date: Date): Buffer {
  return derTlv(TAG.generalizedTime, Buffer.from(timeDigits(date), 'ascii'));
}

/** UTCTime ('YYMMDDHHMMSSZ'), whose two-digit year reads as 1950–2049 (RFC 5280 4.1.2.5.1). */
export function derUtcTime(date: Date): Buffer {
  const year = date.getUTCFullYear();
  if (year < 1950 || year > 2049) throw new RangeError(`UTCTime cannot hold the year ${year}`);
  return derTlv(TAG.utcTime, Buffer.from(timeDigits(date).slice(2), 'ascii'));
}

/**
 * A certificate's time as RFC 5280 4.1.2.5 wants it: UTCTime through 2049 and GeneralizedTime
 * from 2050. Years before 1950 are GeneralizedTime too, since UTCTime cannot hold them.
 */
export function derTime(date: Date): Buffer {
  const year = date.getUTCFullYear();
  return year >= 1950 && year <= 2049 ? derUtcTime(date) : derGeneralizedTime(date);
}

/** A BIT STRING of whole bytes: the leading byte counts the unused bits, here none. */
export function derBitString(bytes: Uint8Array): Buffer {
  return derTlv(TAG.bitString, Buffer.concat([Buffer.from([0]), bytes]));
}

/** An explicit context-specific tag [n], constructed: it wraps one whole encoding. */
export function derExplicit(n: number, inner: Uint8Array): Buffer {
  if (!Number.isInteger(n) || n < 0 || n > 30) throw new RangeError(`Context tag [${n}]`);
  return derTlv(0xa0 + n, inner);
}
