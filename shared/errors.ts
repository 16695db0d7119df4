/** Raised by every control plane operation that cannot be carried out; `message` is fit to show a user. */
export class ControlPlaneError extends Error {
  /** Short machine-readable reason, matching the wire protocol's error codes where one applies. */
  readonly code: string;
  /** The offending field, when the error is about one piece of data. */
  readonly field: string | undefined;

  constructor(message: string, options: { code?: string; field?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ControlPlaneError';
    this.code = options.code ?? 'error';
    this.field = options.field;
  }
}
