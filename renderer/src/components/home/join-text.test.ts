import { describe, expect, it } from 'vitest';
import type { UiState } from '../../store/app-store';
import { asksPassword, isPasswordRefusal, joinErrorPlace } from './join-text';

describe('the join dialog reads refusal codes of the contract', () => {
  it('a password refusal asks for the password; an invite refusal marks the ID', () => {
    expect(isPasswordRefusal('wrong_password')).toBe(true);
    expect(isPasswordRefusal('password_required')).toBe(true);
    expect(isPasswordRefusal('party_full')).toBe(false);
    expect(isPasswordRefusal(null)).toBe(false);
    expect(asksPassword(null, 'password_required')).toBe(true);
    expect(joinErrorPlace('invite_invalid', false)).toEqual({ wrong: 'invite', focus: 'invite' });
    expect(joinErrorPlace('party_full', true)).toEqual({ wrong: null, focus: 'password' });
  });

  it('a code no answer carries does not compile, in the store or in the dialog', () => {
    const held: UiState['errorCodes'] = { join: 'wrong_password' };
    // @ts-expect-error a typo of wrong_password is no IpcErrorCode
    const typo: UiState['errorCodes'] = { join: 'wrong_pasword' };
    // @ts-expect-error the dialog compares against the contract's codes only
    expect(isPasswordRefusal('wrong_pasword')).toBe(false);
    expect(isPasswordRefusal(held.join ?? null)).toBe(true);
    expect(typo.join).toBe('wrong_pasword');
  });
});
