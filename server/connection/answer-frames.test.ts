/**
 * An `error` answer's code is one of the wire's (shared/protocol/protocol.ts ErrorCode), typed so:
 * a code the protocol lacks does not compile where the answer is made, and one only the app
 * uses never goes out.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { AppErrorCode, ControlPlaneError } from '../../shared/protocol/errors';
import { ErrorCode } from '../../shared/protocol/protocol';
import { errorMessage } from './answer-frames';

describe('errorMessage', () => {
  it("keeps a wire code, with the error's words and its wait", () => {
    const error = new ControlPlaneError('Too many wrong passwords', {
      code: ErrorCode.RATE_LIMITED,
      retryAfterS: 30,
    });
    expect(errorMessage(error)).toEqual({
      message: 'Too many wrong passwords',
      code: 'rate_limited',
      retry_after_s: 30,
    });
  });

  it('is typed by the wire union, not string', () => {
    expectTypeOf(errorMessage(null).code).toEqualTypeOf<ErrorCode>();
  });

  it("answers an app-only code as internal, and hides what is not a ControlPlaneError's", () => {
    for (const code of [AppErrorCode.TIMEOUT, AppErrorCode.ERROR]) {
      expect(errorMessage(new ControlPlaneError('x', { code })).code).toBe(ErrorCode.INTERNAL);
    }
    expect(errorMessage(new Error('secret path'))).toEqual({
      message: 'Internal server error',
      code: ErrorCode.INTERNAL,
    });
  });
});
