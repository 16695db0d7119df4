import { z } from 'zod';

/**
 * A TCP port given as text (a CLI flag, an environment variable): digits only, 0-65535.
 * `z.coerce.number()` would read '' or ' ' as 0 and silently listen on a random port, so
 * the text is checked before it becomes a number. 0 means "any free port".
 */
export const PORT_MESSAGE = 'must be a whole number from 0 (any free port) to 65535';

/** The highest TCP or UDP port: every port rule (config, wire, status, env) stops here. */
export const MAX_PORT = 65535;

/** A port as a number (config.json): 0 means "any free port". */
export const PortSchema = z
  .number()
  .int(PORT_MESSAGE)
  .min(0, PORT_MESSAGE)
  .max(MAX_PORT, PORT_MESSAGE);

export const PortTextSchema = z
  .string()
  .regex(/^\d{1,5}$/, PORT_MESSAGE)
  .transform(Number)
  .pipe(PortSchema);

/** A port something listens on, as text (announced on the LAN, named in a URL): not 0. */
export const ListeningPortTextSchema = PortTextSchema.pipe(z.number().min(1, 'must not be 0'));

/**
 * Where the app's embedded control server listens when it hosts a party without a server
 * (`lan_port` in config.json); when taken, any free port. Beside the server's 8667. On the
 * LAN it serves TLS on the port after it (8669), or any free one.
 */
export const DEFAULT_LAN_PORT = 8668;
