import { describe, expect, it } from 'vitest';
import { RelaySchema, RelayUrlSchema } from './relay';

describe('RelayUrlSchema', () => {
  it.each([
    'turn:relay.example.org',
    'turn:relay.example.org:1',
    'turn:relay.example.org:3478?transport=udp',
    'turns:relay.example.org:5349?transport=tcp',
    'turn:[2001:db8::1]:65535',
    'turn:203.0.113.7:49999',
  ])('takes %s', (url) => {
    expect(RelayUrlSchema.safeParse(url).success).toBe(true);
  });

  // Chromium refuses to build an RTCPeerConnection with such a port ("Invalid port"): a
  // server naming one would have broken every call of the app, not only the relayed ones.
  it.each(['turn:a:65536', 'turn:a:70000', 'turns:[2001:db8::1]:99999', 'turn:a:0', 'turn:a:080'])(
    'refuses %s',
    (url) => {
      expect(RelayUrlSchema.safeParse(url).success).toBe(false);
    },
  );

  it('a relay answer naming such a port is not a valid message', () => {
    const answer = {
      type: 'relay',
      party_id: 'party_x',
      ice_servers: [{ urls: ['turn:a:70000'], username: '1:p', credential: 'c' }],
      ttl: 600,
    };
    expect(RelaySchema.safeParse(answer).success).toBe(false);
    answer.ice_servers[0]!.urls = ['turn:a:7000'];
    expect(RelaySchema.safeParse(answer).success).toBe(true);
  });
});
