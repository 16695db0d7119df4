import { describe, expect, it } from 'vitest';
import { accessWords, expiryWords, usesWords } from './access-text';
import { readInviteForm } from './invite-form';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const at = (seconds: number) => new Date(NOW + seconds * 1000).toISOString();

describe('access words', () => {
  it('says how a listed party lets people in, the lock first', () => {
    expect(accessWords({ join_policy: 'password', locked: false })).toBe('Password');
    expect(accessWords({ join_policy: 'approval', locked: false })).toBe('Host approves');
    expect(accessWords({ join_policy: 'open', locked: true })).toBe('Locked');
  });

  it('says when an invite expires, in the unit that reads best', () => {
    expect(expiryWords(at(59 * 60), NOW)).toBe('expires in 59 min');
    expect(expiryWords(at(20), NOW)).toBe('expires in 1 min');
    expect(expiryWords(at(5 * 3600), NOW)).toBe('expires in 5 h');
    expect(expiryWords(at(7 * 86400), NOW)).toBe('expires in 7 days');
    expect(expiryWords(at(-1), NOW)).toBe('expired');
    expect(expiryWords('garbage', NOW)).toBe('expiry unknown');
  });

  it('counts uses against the limit', () => {
    expect(usesWords(0, 1)).toBe('0 of 1 use');
    expect(usesWords(2, 5)).toBe('2 of 5 uses');
    expect(usesWords(1, null)).toBe('used 1 time');
  });
});

describe('readInviteForm', () => {
  it('reads blank uses as no limit', () => {
    expect(readInviteForm({ expiry: '3600', uses: ' ' })).toEqual({
      ok: true,
      value: { expires_in_s: 3600 },
    });
  });

  it.each(['0', '101', '1.5', 'x'])('refuses %j uses', (uses) => {
    expect(readInviteForm({ expiry: '3600', uses }).ok).toBe(false);
  });

  it('reads 1 to 100 uses', () => {
    expect(readInviteForm({ expiry: '86400', uses: '100' })).toEqual({
      ok: true,
      value: { expires_in_s: 86400, max_uses: 100 },
    });
  });
});
