/** A failed dial's cause, as the system or ws words it, said so a gamer can act on it. */
import { describe, expect, it } from 'vitest';
import { failureInWords, withoutCode } from './connect-words';

const systemError = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('failureInWords', () => {
  it('says what each failure means, keeping the system’s code for the log', () => {
    const cases: [Error, string][] = [
      [
        systemError('connect ECONNREFUSED 10.0.0.5:8669', 'ECONNREFUSED'),
        'nothing is listening at that address (ECONNREFUSED)',
      ],
      [
        systemError('getaddrinfo ENOTFOUND lan.example', 'ENOTFOUND'),
        'no computer has that name (ENOTFOUND)',
      ],
      [
        systemError('connect ENETUNREACH 10.0.0.5:8669', 'ENETUNREACH'),
        'this PC has no route to that address (ENETUNREACH)',
      ],
      [
        systemError('connect ETIMEDOUT 10.0.0.5:8669', 'ETIMEDOUT'),
        'no answer within 10 s (ETIMEDOUT)',
      ],
      [new Error('Opening handshake has timed out'), 'no answer within 10 s'],
      [
        new Error('Unexpected server response: 404'),
        'a web server answered (HTTP 404), not a LANrage server',
      ],
      [
        systemError('self-signed certificate', 'DEPTH_ZERO_SELF_SIGNED_CERT'),
        'its TLS certificate is self-signed, and this PC does not trust it (DEPTH_ZERO_SELF_SIGNED_CERT)',
      ],
      [
        systemError('certificate has expired', 'CERT_HAS_EXPIRED'),
        'its TLS certificate is not trusted (CERT_HAS_EXPIRED)',
      ],
      [new Error('something else'), 'something else'],
    ];
    for (const [error, words] of cases) expect(failureInWords(error, 10)).toBe(words);
  });

  it('gives the words alone without the code, and leaves words without one as they are', () => {
    expect(withoutCode('nothing is listening at that address (ECONNREFUSED)')).toBe(
      'nothing is listening at that address',
    );
    expect(withoutCode('a web server answered (HTTP 404), not a LANrage server')).toBe(
      'a web server answered (HTTP 404), not a LANrage server',
    );
  });
});
