import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applySettingsPatch,
  DEFAULT_PARTY_SETTINGS,
  NewPartySettingsSchema,
  PartySettingsPatchSchema,
  PartySettingsSchema,
  settingsFromDict,
  settingsToDict,
  withDefaults,
} from './settings';

describe('party settings', () => {
  it('fills defaults: open, private, unlocked, 256 members, no hand-over', () => {
    expect(settingsFromDict(PartySettingsSchema.parse({}))).toEqual(DEFAULT_PARTY_SETTINGS);
  });

  it('bounds max_peers to 2..256 and knows only the four policies', () => {
    for (const max_peers of [1, 257, 2.5]) {
      expect(PartySettingsSchema.safeParse({ max_peers }).success, String(max_peers)).toBe(false);
    }
    expect(PartySettingsSchema.parse({ max_peers: 2 }).max_peers).toBe(2);
    expect(PartySettingsSchema.safeParse({ join_policy: 'friends' }).success).toBe(false);
  });

  it('a new party asking for a password must be given one', () => {
    expect(NewPartySettingsSchema.safeParse({ join_policy: 'password' }).success).toBe(false);
    expect(NewPartySettingsSchema.parse({ join_policy: 'password', password: 'x' }).password).toBe(
      'x',
    );
  });

  it('a patch refuses unknown keys, so a typo is not silently ignored', () => {
    expect(PartySettingsPatchSchema.safeParse({ lockd: true }).success).toBe(false);
    expect(PartySettingsPatchSchema.parse({ password: null })).toEqual({ password: null });
  });

  it('withDefaults keeps no password even when the chosen object carries one', () => {
    const chosen = { locked: true, password: 'secret' };
    expect(withDefaults(chosen)).not.toHaveProperty('password');
    expect(JSON.stringify(settingsToDict(withDefaults(chosen)))).not.toContain('secret');
  });

  it('a patch changes exactly the keys it has (property)', () => {
    const patch = fc.record(
      {
        host_migration: fc.boolean(),
        max_peers: fc.integer({ min: 2, max: 256 }),
        join_policy: fc.constantFrom('open', 'password', 'approval', 'invite_only' as const),
        locked: fc.boolean(),
        visibility: fc.constantFrom('private', 'public' as const),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(patch, patch, (a, b) => {
        const base = applySettingsPatch(DEFAULT_PARTY_SETTINGS, a);
        const next = settingsToDict(applySettingsPatch(base, b));
        const before = settingsToDict(base);
        for (const key of Object.keys(next) as (keyof typeof next)[]) {
          expect(next[key]).toBe(key in b ? b[key] : before[key]);
        }
      }),
    );
  });
});
