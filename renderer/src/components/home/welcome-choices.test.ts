import { describe, expect, it } from 'vitest';
import { welcomeSettings } from './welcome-choices';

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
