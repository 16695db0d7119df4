import { z } from 'zod';

/**
 * A TCP port given as text (a CLI flag, an environment variable): digits only, 0-65535.
 * `z.coerce.number()` would read '' or ' ' as 0 and silently listen on a random port, so
 * the text is checked before it becomes a number. 0 means "any free port".
 */
export const PORT_MESSAGE = 'must be a whole number from 0 (any free port) to 65535';

export const PortTextSchema = z
  .string()
  .regex(/^\d{1,5}$/, PORT_MESSAGE)
  .transform(Number)
  .pipe(z.number().int().min(0).max(65535, PORT_MESSAGE));
