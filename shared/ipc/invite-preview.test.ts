import { describe, expect, it } from 'vitest';
import { InvitePreviewSchema } from './app-state';
import { previewOf } from './invite-preview';

const summary = {
  party_id: 'party_abc123',
  name: 'Friday',
  host_name: 'Bob',
  peer_count: 2,
  max_peers: 8,
  join_policy: 'open' as const,
  visibility: 'public' as const,
  locked: false,
};

describe('previewOf', () => {
  it('fills the shown fields from the summary, and the schema takes it unchanged', () => {
    const made = previewOf('party_abc123', summary);
    expect(made).toMatchObject({ name: 'Friday', host_name: 'Bob', peer_count: 2, summary });
    expect(InvitePreviewSchema.parse(made)).toEqual(made);
  });

  it('says nothing it does not know: no summary, no token, no server, no pin', () => {
    expect(previewOf('party_abc123', null)).toEqual({
      party_id: 'party_abc123',
      name: null,
      host_name: null,
      peer_count: null,
      summary: null,
      invite_token: null,
      missing: false,
      looking: false,
      server: null,
      host_pin: null,
      host_at: null,
      needs_invite: false,
    });
  });

  it('carries what the link said beside the party', () => {
    const made = previewOf('party_abc123', null, {
      token: 'tok',
      server: 'wss://play.example.org',
      needsInvite: true,
      looking: true,
      pin: 'a4ayc_80_OGda4BO_1o_V0etpOqiLx1JwB5S3beHW0s',
      at: ['10.0.0.5:8669'],
    });
    expect(made).toMatchObject({
      host_at: ['10.0.0.5:8669'],
      invite_token: 'tok',
      server: 'wss://play.example.org',
      needs_invite: true,
      looking: true,
    });
    expect(InvitePreviewSchema.parse(made)).toEqual(made);
  });
});
