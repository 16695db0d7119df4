import { describe, expect, it } from 'vitest';
import {
  derBitString,
  derExplicit,
  derGeneralizedTime,
  derInteger,
  derLength,
  derOid,
  derSequence,
  derSet,
  derTime,
  derUtcTime,
  derUtf8String,
} from './der';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const bytes = (...values: number[]): Buffer => Buffer.from(values);

describe('derLength', () => {
  it('uses the short form below 128 and the long form from 128', () => {
    expect(hex(derLength(0))).toBe('00');
    expect(hex(derLength(127))).toBe('7f');
    expect(hex(derLength(128))).toBe('8180');
    expect(hex(derLength(255))).toBe('81ff');
    expect(hex(derLength(256))).toBe('820100');
    expect(hex(derLength(300))).toBe('82012c');
    expect(hex(derLength(0x10000))).toBe('83010000');
  });

  it('refuses a length that is not a non-negative integer', () => {
    expect(() => derLength(-1)).toThrow(RangeError);
    expect(() => derLength(1.5)).toThrow(RangeError);
  });
});

describe('derInteger', () => {
  it('adds a 0x00 where the top bit is set, so the value stays positive', () => {
    expect(hex(derInteger(bytes(0x80)))).toBe('02020080');
    expect(hex(derInteger(bytes(0xff, 0x01)))).toBe('020300ff01');
  });

  it('strips leading zeros to the fewest bytes', () => {
    expect(hex(derInteger(bytes(0x00, 0x00, 0x7f)))).toBe('02017f');
    expect(hex(derInteger(bytes(0x00, 0x80)))).toBe('02020080');
    expect(hex(derInteger(bytes(2)))).toBe('020102');
  });

  it('writes zero as one 0x00 byte', () => {
    expect(hex(derInteger(bytes(0, 0, 0)))).toBe('020100');
    expect(hex(derInteger(bytes()))).toBe('020100');
  });
});

describe('derOid', () => {
  it('joins the first two arcs and writes the rest in base 128', () => {
    expect(hex(derOid('1.2.840.10045.2.1'))).toBe('06072a8648ce3d0201');
    expect(hex(derOid('1.2.840.10045.4.3.2'))).toBe('06082a8648ce3d040302');
    expect(hex(derOid('2.5.4.3'))).toBe('0603550403');
    // A first subidentifier above 127 (2.999 → 1079) takes two bytes.
    expect(hex(derOid('2.999.3'))).toBe('0603883703');
  });

  it('refuses what is not an OID', () => {
    for (const bad of ['', '1', '1.', '3.1', '1.40', 'a.b', '1..2']) {
      expect(() => derOid(bad), bad).toThrow(RangeError);
    }
  });
});

describe('strings, times and wrappers', () => {
  it('writes a UTF8String as its UTF-8 bytes', () => {
    expect(hex(derUtf8String('Hi'))).toBe('0c024869');
    expect(hex(derUtf8String('é'))).toBe('0c02c3a9');
  });

  it('writes GeneralizedTime and UTCTime in whole UTC seconds', () => {
    const end = new Date(Date.UTC(9999, 11, 31, 23, 59, 59));
    expect(derGeneralizedTime(end).toString('latin1')).toBe('\x18\x0f99991231235959Z');
    const date = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
    expect(derUtcTime(date).toString('latin1')).toBe('\x17\x0d240102030405Z');
    expect(() => derUtcTime(end)).toThrow(RangeError);
  });

  it('picks UTCTime for 1950–2049 and GeneralizedTime otherwise (RFC 5280)', () => {
    const tag = (year: number): number => derTime(new Date(Date.UTC(year, 5, 1)))[0]!;
    expect(tag(1950)).toBe(0x17);
    expect(tag(2049)).toBe(0x17);
    expect(tag(1949)).toBe(0x18);
    expect(tag(2050)).toBe(0x18);
    expect(derTime(new Date(Date.UTC(2050, 0, 1))).toString('latin1')).toBe(
      '\x18\x0f20500101000000Z',
    );
    expect(() => derTime(new Date(Date.UTC(10000, 0, 1)))).toThrow(RangeError);
  });

  it('writes a BIT STRING with no unused bits', () => {
    expect(hex(derBitString(bytes(0xab, 0xcd)))).toBe('030300abcd');
  });

  it('wraps in SEQUENCE, SET and an explicit context tag', () => {
    const two = derInteger(bytes(2));
    expect(hex(derSequence(two, derInteger(bytes(1))))).toBe('3006020102020101');
    expect(hex(derSet(two))).toBe('3103020102');
    expect(hex(derExplicit(0, two))).toBe('a003020102');
    expect(hex(derExplicit(3, two))).toBe('a303020102');
    expect(() => derSet(two, two)).toThrow(RangeError);
  });

  it('uses the long length form around a large content', () => {
    const encoded = derSequence(Buffer.alloc(200, 1));
    expect(hex(encoded.subarray(0, 3))).toBe('3081c8');
    expect(encoded).toHaveLength(203);
  });
});
