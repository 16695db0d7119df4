import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodePng, PNG_SIGNATURE } from './png';

interface Chunk {
  type: string;
  data: Buffer;
  crc: number;
}

/** Independent bitwise CRC-32 (PNG's polynomial), to check the encoder's checksums. */
function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunks(png: Buffer): Chunk[] {
  const out: Chunk[] = [];
  let at = PNG_SIGNATURE.length;
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    out.push({
      type,
      data: png.subarray(at + 8, at + 8 + length),
      crc: png.readUInt32BE(at + 8 + length),
    });
    at += 12 + length;
  }
  return out;
}

describe('encodePng', () => {
  const pixels = new Uint8Array([
    255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 0, 10, 20, 30, 40, 1, 2, 3, 4, 5, 6, 7, 8,
  ]);
  const png = encodePng({ width: 3, height: 2, pixels });

  it('writes the signature, then IHDR, IDAT and IEND with valid CRCs', () => {
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    const list = chunks(png);
    expect(list.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    for (const c of list) expect(c.crc).toBe(crc32(Buffer.concat([Buffer.from(c.type), c.data])));
    // Every PNG's IEND CRC is this constant.
    expect(list[2]!.crc).toBe(0xae426082);
  });

  it('describes an 8-bit RGBA, non-interlaced image of the right size', () => {
    const ihdr = chunks(png)[0]!.data;
    expect(ihdr.readUInt32BE(0)).toBe(3);
    expect(ihdr.readUInt32BE(4)).toBe(2);
    expect([...ihdr.subarray(8)]).toEqual([8, 6, 0, 0, 0]);
  });

  it('stores the exact pixels, one filter byte per row', () => {
    const raw = inflateSync(chunks(png)[1]!.data);
    expect(raw.length).toBe(2 * (3 * 4 + 1));
    expect(raw[0]).toBe(0);
    expect(raw[13]).toBe(0);
    expect(new Uint8Array([...raw.subarray(1, 13), ...raw.subarray(14)])).toEqual(pixels);
  });

  it('refuses a pixel buffer of the wrong size or an empty image', () => {
    expect(() => encodePng({ width: 2, height: 2, pixels: new Uint8Array(15) })).toThrow(
      RangeError,
    );
    expect(() => encodePng({ width: 0, height: 2, pixels: new Uint8Array(0) })).toThrow(RangeError);
  });
});
