/** What the app says when making or joining a party fails: no server, or no host PC. */
import { describe, expect, it } from 'vitest';
import { ControlPlaneError } from '../../../shared/protocol/errors';
import { dialFailure } from '../client/link/connect-words';
import { explainCreateFailure, explainJoinFailure, movedBack } from './errors';

describe('explainCreateFailure', () => {
  it('an unreachable server: plain words naming host:port, no attempt counters', () => {
    const err = new ControlPlaneError(
      'Not connected to the control server (reconnecting, attempt 2 of 5)',
      { code: 'unavailable' },
    );
    const out = explainCreateFailure(err, 'ws://127.0.0.1:8667/ws');
    expect(out).toBeInstanceOf(ControlPlaneError);
    expect((out as ControlPlaneError).code).toBe('unreachable');
    expect(out.message).toMatch(/^Can't reach 127\.0\.0\.1:8667 right now/);
    expect(out.message).not.toMatch(/attempt/);
  });

  it('a server never reached: check the address, since waiting will not help', () => {
    const err = new ControlPlaneError('Not connected', { code: 'unavailable' });
    const out = explainCreateFailure(err, 'ws://127.0.0.1:9/ws', false);
    expect(out.message).toBe(
      'LANrage has never reached 127.0.0.1:9, so the party could not be made there. ' +
        'Check the address in Settings.',
    );
  });

  it('anything else is passed on as it was', () => {
    const conflict = new ControlPlaneError('Party exists', { code: 'conflict' });
    expect(explainCreateFailure(conflict, 'ws://x')).toBe(conflict);
    expect(explainCreateFailure('boom', null).message).toBe('boom');
  });
});

const dialFailed = (why: string) =>
  new ControlPlaneError(dialFailure('wss://10.0.0.5:8669/ws', why), { code: 'unavailable' });

describe('explainJoinFailure', () => {
  it('without a server, names the PC hosting the party and why it did not answer', () => {
    const error = dialFailed('nothing is listening at that address (ECONNREFUSED)');
    const said = explainJoinFailure(error, 'party_abc12345', 'local', null) as ControlPlaneError;
    expect([said.code, said.message]).toEqual([
      'unreachable',
      "Can't reach the PC hosting this party (nothing is listening at that address): it may " +
        'be asleep or have left the party, or a firewall on it blocks LANrage.',
    ]);
    // Not a dial: no words to add.
    const timeout = new ControlPlaneError('Request timed out', { code: 'timeout' });
    expect((explainJoinFailure(timeout, 'party_abc12345', 'local', null) as Error).message).toBe(
      "Can't reach the PC hosting this party: it may be asleep or have left the party, or a " +
        'firewall on it blocks LANrage.',
    );
  });

  it('without a server, a party not found is one not heard, not one that ended', () => {
    const missing = new ControlPlaneError('Party not found', { code: 'not_found' });
    const said = explainJoinFailure(missing, 'party_abc12345', 'local', null) as ControlPlaneError;
    expect([said.code, said.message]).toEqual([
      'not_found',
      "LANrage has not heard party party_abc12345 on this PC or your network. Its host's " +
        'LANrage may be closed, it may be on another network, or something here blocks LAN ' +
        'discovery (multicast, UDP 5353): ask the host.',
    ]);
    const onServer = explainJoinFailure(missing, 'party_abc12345', 'connected', 'ws://s/ws');
    expect((onServer as Error).message).toMatch(/^No party with ID party_abc12345: it may have/);
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
      "Can't reach play.example.org: check your connection, or the server address in Settings.",
    ]);
  });
});

describe('a server or PC out of reach, said one way', () => {
  it('"Can\'t reach …" in every message (as the status bar says it), and no em dash', () => {
    const down = new ControlPlaneError('Request timed out', { code: 'timeout' });
    const server = 'ws://127.0.0.1:9000/ws';
    const said = [
      explainJoinFailure(down, 'party_abc12345', 'offline', server),
      explainJoinFailure(down, 'party_abc12345', 'local', null),
      explainCreateFailure(down, server),
      movedBack(new ControlPlaneError('x', { code: 'unreachable' }), null, server),
    ].map((error) => (error as Error).message);
    for (const message of said) {
      expect(message).toMatch(/^Can't reach /);
      expect(message).not.toContain('—');
    }
  });
});
