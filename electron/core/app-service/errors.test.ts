import { describe, expect, it } from 'vitest';
import { ControlPlaneError } from '../../../shared/errors';
import { explainCreateFailure } from './errors';

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
