import { describe, expect, it } from 'vitest';
import { SettingsSchema } from './ipc';
import { isControlServerUrl } from './server-url';

describe('isControlServerUrl', () => {
  it.each([
    'ws://127.0.0.1:8667',
    'wss://control.example.com/ws',
    'http://host',
    'https://h:443/x',
  ])('accepts %s', (url) => expect(isControlServerUrl(url)).toBe(true));
  it.each(['http://x:99999', 'ftp://host', 'ws://', 'host:8667', 'ws://a b', 'not a url'])(
    'refuses %s',
    (url) => expect(isControlServerUrl(url)).toBe(false),
  );
  it('makes Settings refuse a port out of range with a readable message', () => {
    const result = SettingsSchema.safeParse({
      peer_name: 'Alice',
      control_server: 'http://x:99999',
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/URL/);
  });
});
