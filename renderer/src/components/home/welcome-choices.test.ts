import { describe, expect, it } from 'vitest';
import { skippedSettings, welcomeSettings } from './welcome-choices';

describe('welcomeSettings', () => {
  it('with a server: the trimmed name and address', () => {
    expect(welcomeSettings('  Zoe ', 'server', ' wss://lan.example.org ')).toEqual({
      ok: true,
      settings: { peer_name: 'Zoe', control_server: 'wss://lan.example.org' },
    });
  });

  it('without a server: no address, whatever was typed in the box', () => {
    expect(welcomeSettings('Zoe', 'local', 'wss://ignored')).toEqual({
      ok: true,
      settings: { peer_name: 'Zoe', control_server: null },
    });
  });

  it('refuses an empty name, a missing or malformed address, with the reason', () => {
    expect(welcomeSettings('  ', 'local', '')).toEqual({
      ok: false,
      message: 'Display name must not be empty',
    });
    expect(welcomeSettings('Zoe', 'server', ' ')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/address/) as string,
    });
    expect(welcomeSettings('Zoe', 'server', 'ftp://x')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/ws:\/\//) as string,
    });
  });
});

describe('skippedSettings: what Skip changes', () => {
  const current = { peer_name: 'root', control_server: null };

  it('nothing when the name was left as it was (or only its blanks changed)', () => {
    expect(skippedSettings('root', current)).toBeNull();
    expect(skippedSettings('  root ', current)).toBeNull();
  });

  it('a name the rule refuses is dropped: Skip never stops at an error', () => {
    expect(skippedSettings('   ', current)).toBeNull();
    expect(skippedSettings('x'.repeat(65), current)).toBeNull();
  });

  it('a valid typed name is kept, normalized, with the rest as configured', () => {
    expect(skippedSettings(' Zoe ', current)).toEqual({ peer_name: 'Zoe', control_server: null });
  });
});
