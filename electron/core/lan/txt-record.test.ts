import { describe, expect, it } from 'vitest';
import type { LanPartySummary } from '../../../shared/lan-party';
import { decodeTxt, encodeTxt, fitUtf8, MAX_TXT_STRING_BYTES } from './txt-record';

const summary: LanPartySummary = {
  party_id: 'party_abc123',
  name: 'Gaming Night',
  host_name: 'Alice',
  peer_count: 3,
  max_peers: 256,
  protocol: '1.1',
  port: 8667,
};
const b = (...strings: string[]) => strings.map((s) => Buffer.from(s));
const decodeOk = (data: Buffer[]) => {
  const r = decodeTxt(data);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

describe('TXT record', () => {
  it('round-trips a summary, txtvers first', () => {
    const data = encodeTxt(summary);
    expect(data[0]!.toString()).toBe('txtvers=1');
    expect(decodeOk(data)).toEqual(summary);
  });

  it('carries how many are online when the host tells it; a host that does not is still read', () => {
    const told = encodeTxt({ ...summary, online_count: 1 });
    expect(told.map(String)).toContain('online_count=1');
    expect(decodeOk(told)).toEqual({ ...summary, online_count: 1 });
    const older = encodeTxt(summary);
    expect(older.map(String).some((s) => s.startsWith('online_count'))).toBe(false);
    expect(decodeOk(older).online_count).toBeUndefined();
    const hostile = older.concat(b('online_count=many'));
    expect(decodeTxt(hostile)).toMatchObject({ ok: false });
  });

  it('carries who may join after max_peers; an older host, or a policy not known, reads as none', () => {
    const told = encodeTxt({ ...summary, join_policy: 'password' }).map(String);
    expect(told.indexOf('join_policy=password')).toBe(told.indexOf('max_peers=256') + 1);
    expect(decodeOk(told.map((s) => Buffer.from(s)))).toEqual({
      ...summary,
      join_policy: 'password',
    });
    const older = encodeTxt(summary);
    expect(decodeOk(older).join_policy).toBeUndefined();
    // A later version's policy: the party is still listed, its policy not told.
    expect(decodeOk(older.concat(b('join_policy=everyone'))).join_policy).toBeUndefined();
    expect(decodeOk(older.concat(b('join_policy='))).join_policy).toBeUndefined();
  });

  it('carries the TLS port and certificate pin together, or neither', () => {
    const pin = 'Zm9v'.repeat(10) + 'YmE';
    const tls = { ...summary, tls_port: 8668, tls_sha256: pin };
    expect(encodeTxt(tls).map(String)).toEqual(
      expect.arrayContaining(['tls_port=8668', `tls_sha256=${pin}`]),
    );
    expect(decodeOk(encodeTxt(tls))).toEqual(tls);
    const plain = encodeTxt(summary);
    expect(decodeTxt(plain.concat(b('tls_port=8668')))).toMatchObject({ ok: false });
    expect(decodeTxt(plain.concat(b(`tls_sha256=${pin}`)))).toMatchObject({ ok: false });
    const short = plain.concat(b('tls_port=8668', `tls_sha256=${pin.slice(1)}`));
    expect(decodeTxt(short)).toMatchObject({ ok: false });
    const padded = plain.concat(b('tls_port=8668', `tls_sha256=${pin.slice(1)}=`));
    expect(decodeTxt(padded)).toMatchObject({ ok: false });
    const zero = plain.concat(b('tls_port=0', `tls_sha256=${pin}`));
    expect(decodeTxt(zero)).toMatchObject({ ok: false });
  });

  it('keeps every string within 255 bytes: a 64-emoji name is cut with an ellipsis', () => {
    const name = '🎮'.repeat(64);
    const data = encodeTxt({ ...summary, name });
    for (const s of data) expect(s.length).toBeLessThanOrEqual(MAX_TXT_STRING_BYTES);
    const back = decodeOk(data);
    expect(back.name.endsWith('...')).toBe(true);
    expect(name.startsWith(back.name.slice(0, -3))).toBe(true);
  });

  it('fitUtf8 never splits a character', () => {
    expect(fitUtf8('abc', 3)).toBe('abc');
    expect(fitUtf8('ééé', 5)).toBe('é...');
    expect(fitUtf8('éééé', 7)).toBe('éé...');
    // One ASCII letter then 4-byte characters: bytes would allow 62 + '...', the name rule 64.
    expect([...fitUtf8(`a${'🎮'.repeat(63)}`, 250)].length).toBe(64);
    expect(Buffer.byteLength(fitUtf8('🎮'.repeat(10), 11))).toBeLessThanOrEqual(11);
  });

  it('normalises hostile names through the shared rule', () => {
    const data = encodeTxt(summary);
    data[2] = Buffer.from('name=\u202Eevil\u200B  party\n');
    expect(decodeOk(data).name).toBe('evil party');
  });

  it('the first of a repeated key wins; keys are case-insensitive; unknown keys ignored', () => {
    const data = [...encodeTxt(summary), ...b('NAME=Other', 'colour=red')];
    expect(decodeOk(data).name).toBe('Gaming Night');
  });

  it('folds the party id to its canonical case', () => {
    const data = encodeTxt(summary);
    data[1] = Buffer.from('party_id=PARTY_ABC123');
    expect(decodeOk(data).party_id).toBe('party_abc123');
  });

  it.each([
    ['no txtvers', () => encodeTxt(summary).slice(1)],
    ['a later txtvers', () => [Buffer.from('txtvers=2'), ...encodeTxt(summary).slice(1)]],
    ['a missing field', () => encodeTxt(summary).filter((s) => !s.toString().startsWith('port='))],
    [
      'an empty name',
      () =>
        [...encodeTxt(summary)].map((s) =>
          s.toString().startsWith('name=') ? Buffer.from('name= \u200B') : s,
        ),
    ],
    [
      'a bad id',
      () =>
        [...encodeTxt(summary)].map((s) =>
          s.toString().startsWith('party_id=') ? Buffer.from('party_id=../x') : s,
        ),
    ],
    [
      'port 0',
      () =>
        [...encodeTxt(summary)].map((s) =>
          s.toString().startsWith('port=') ? Buffer.from('port=0') : s,
        ),
    ],
    [
      'port as hex',
      () =>
        [...encodeTxt(summary)].map((s) =>
          s.toString().startsWith('port=') ? Buffer.from('port=0x1f') : s,
        ),
    ],
    [
      'too many peers',
      () =>
        [...encodeTxt(summary)].map((s) =>
          s.toString().startsWith('peer_count=') ? Buffer.from('peer_count=999') : s,
        ),
    ],
    [
      'a protocol that is not a version',
      () =>
        [...encodeTxt(summary)].map((s) =>
          s.toString().startsWith('protocol=') ? Buffer.from('protocol=x') : s,
        ),
    ],
    ['invalid UTF-8', () => [...encodeTxt(summary), Buffer.from([0x6e, 0x3d, 0xff, 0xfe])]],
    ['a string over 255 bytes', () => [...encodeTxt(summary), Buffer.alloc(300, 0x61)]],
    [
      'hundreds of strings',
      () => [
        ...encodeTxt(summary),
        ...Array.from({ length: 300 }, (_, i) => Buffer.from(`k${i}=v`)),
      ],
    ],
    [
      'a 65-character name',
      () =>
        [...encodeTxt(summary)].map((s) =>
          s.toString().startsWith('host_name=') ? Buffer.from(`host_name=${'a'.repeat(65)}`) : s,
        ),
    ],
  ])('refuses %s', (_label, make) => {
    const r = decodeTxt(make());
    expect(r.ok).toBe(false);
  });
});
