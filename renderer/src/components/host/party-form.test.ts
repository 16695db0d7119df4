import { describe, expect, it } from 'vitest';
import { JoinPartySchema } from '../../../../shared/protocol/client-messages';
import { NewPartySettingsSchema } from '../../../../shared/party/settings';
import {
  DEFAULT_CREATE_FORM,
  readCreateForm,
  readSettingsForm,
  settingsFormOf,
} from './party-form';

const form = (changes: Partial<typeof DEFAULT_CREATE_FORM>) => ({
  ...DEFAULT_CREATE_FORM,
  ...changes,
});

describe('readCreateForm', () => {
  it('reads a filled form into a createParty request', () => {
    const read = readCreateForm(
      form({
        name: '  Friday  Frag ',
        maxPlayers: '12',
        policy: 'password',
        password: 'pw',
        listed: true,
      }),
    );
    expect(read).toEqual({
      ok: true,
      value: {
        name: 'Friday Frag',
        host_migration: true,
        settings: { max_peers: 12, join_policy: 'password', visibility: 'public', password: 'pw' },
      },
    });
  });

  it('refuses a password of only spaces, as the app and the server do', () => {
    const read = readCreateForm(form({ policy: 'password', password: '   ' }));
    expect(read).toMatchObject({
      ok: false,
      errors: { password: 'Password must not be only spaces.' },
    });
    const wire = NewPartySettingsSchema.safeParse({ join_policy: 'password', password: ' ' });
    expect(wire.success).toBe(false);
    // A join's guess is any password still: a party's older "   " can be typed.
    expect(JoinPartySchema.shape.password.safeParse('   ').success).toBe(true);
  });

  it('names an empty party "Gaming Night" and sends no password unless the policy asks one', () => {
    const read = readCreateForm(form({ policy: 'approval', password: 'left over' }));
    expect(read.ok && read.value.name).toBe('Gaming Night');
    expect(read.ok && read.value.settings).toEqual({
      max_peers: 8,
      join_policy: 'approval',
      visibility: 'private',
    });
  });

  it.each(['1', '257', '2.5', '', 'ten', '-3'])('refuses %j max players with a sentence', (max) => {
    const read = readCreateForm(form({ maxPlayers: max }));
    expect(read.ok).toBe(false);
    expect(!read.ok && read.errors.maxPlayers).toMatch(/2 to 256/);
  });

  it('accepts the bounds 2 and 256', () => {
    expect(readCreateForm(form({ maxPlayers: '2' })).ok).toBe(true);
    expect(readCreateForm(form({ maxPlayers: '256' })).ok).toBe(true);
  });

  it('asks for a password when the policy is password, and names a too-long name', () => {
    const read = readCreateForm(form({ policy: 'password', name: 'x'.repeat(65) }));
    expect(!read.ok && read.errors.password).toMatch(/password/);
    expect(!read.ok && read.errors.name).toMatch(/at most 64/);
  });
});

describe('readSettingsForm', () => {
  const current = {
    max_peers: 16,
    join_policy: 'password' as const,
    visibility: 'public' as const,
    locked: true,
    host_migration: false,
    has_password: true,
  };

  it('starts from the current settings, with the password blank', () => {
    expect(settingsFormOf(current)).toEqual({
      maxPlayers: '16',
      policy: 'password',
      password: '',
      listed: true,
      locked: true,
      handOver: false,
    });
  });

  it('keeps a set password when the field stays blank, and sends a new one when typed', () => {
    const same = readSettingsForm(settingsFormOf(current), true);
    expect(same.ok && 'password' in same.value).toBe(false);
    const changed = readSettingsForm({ ...settingsFormOf(current), password: 'new' }, true);
    expect(changed.ok && changed.value.password).toBe('new');
  });

  it('needs a password when switching to the password policy without one set', () => {
    const read = readSettingsForm({ ...settingsFormOf(undefined), policy: 'password' }, false);
    expect(!read.ok && read.errors.password).toBeTruthy();
  });
});
