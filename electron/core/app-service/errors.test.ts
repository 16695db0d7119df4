/** What the join dialog says when a join fails: the server's absence, or the host PC's. */
import { describe, expect, it } from 'vitest';
import { ControlPlaneError } from '../../../shared/errors';
import { dialFailure } from '../remote/connect-words';
import { explainJoinFailure } from './errors';

const dialFailed = (why: string) =>
  new ControlPlaneError(dialFailure('wss://10.0.0.5:8669/ws', why), { code: 'unavailable' });

describe('explainJoinFailure', () => {
  it('without a server, names the PC hosting the party and why it did not answer', () => {
    const error = dialFailed('nothing is listening at that address (ECONNREFUSED)');
    const said = explainJoinFailure(error, 'party_abc12345', 'local', null) as ControlPlaneError;
    expect([said.code, said.message]).toEqual([
      'unreachable',
      'Cannot reach the PC hosting this party (nothing is listening at that address): it may ' +
        'be asleep or have left the party, or a firewall on it blocks LANrage.',
    ]);
    // Not a dial: no words to add.
    const timeout = new ControlPlaneError('Request timed out', { code: 'timeout' });
    expect((explainJoinFailure(timeout, 'party_abc12345', 'local', null) as Error).message).toBe(
      'Cannot reach the PC hosting this party: it may be asleep or have left the party, or a ' +
        'firewall on it blocks LANrage.',
    );
  });

  it('with a server, names the server and the Settings that choose it', () => {
    const error = dialFailed('no answer within 10 s');
    const said = explainJoinFailure(
      error,
      'party_abc12345',
      'offline',
      'wss://play.example.org/ws',
    ) as ControlPlaneError;
    expect([said.code, said.message]).toEqual([
      'unreachable',
      'Cannot reach play.example.org — check your connection, or the server address in Settings.',
    ]);
  });
});
