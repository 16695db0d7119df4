/**
 * The environment's word on the settings (LANRAGE_*), over config.json's: checked like the
 * file's values, and refused with the variable's name instead of ignored, since someone set it
 * on purpose for this run.
 */
import { z } from 'zod';
import { ControlPlaneError } from '../../../shared/errors';
import { NameSchema } from '../../../shared/names';
import { PortTextSchema } from '../../../shared/port';
import { ControlServerSchema } from './config-file';
import type { ConfigFields } from './config';

const InstanceSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, 'must be 1-32 letters, digits, "_" or "-"');

export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

export function readInstance(value: string | undefined): string | null {
  if (nonEmpty(value) === undefined) return null;
  const parsed = InstanceSchema.safeParse(value);
  if (!parsed.success) {
    throw new ControlPlaneError(`Invalid LANRAGE_INSTANCE: ${parsed.error.issues[0]?.message}`, {
      code: 'bad_request',
      field: 'LANRAGE_INSTANCE',
    });
  }
  return parsed.data;
}

export function applyEnvOverrides(
  fields: ConfigFields,
  env: Record<string, string | undefined>,
): void {
  const server = env.LANRAGE_CONTROL_SERVER;
  if (server !== undefined) {
    const parsed = ControlServerSchema.safeParse(server);
    if (!parsed.success) throw envError('LANRAGE_CONTROL_SERVER', parsed.error);
    fields.controlServer = parsed.data === '' ? null : parsed.data;
  }
  const port = nonEmpty(env.LANRAGE_LAN_PORT);
  if (port !== undefined) {
    const parsed = PortTextSchema.safeParse(port);
    if (!parsed.success) throw envError('LANRAGE_LAN_PORT', parsed.error);
    fields.lanPort = parsed.data;
  }
  const listen = nonEmpty(env.LANRAGE_LAN_LISTEN);
  if (listen !== undefined) {
    if (listen !== '0' && listen !== '1') {
      throw new ControlPlaneError(
        'Invalid LANRAGE_LAN_LISTEN: must be 1 (LAN) or 0 (this PC only)',
        {
          code: 'bad_config',
          field: 'LANRAGE_LAN_LISTEN',
        },
      );
    }
    fields.lanListen = listen === '1';
  }
  const name = nonEmpty(env.LANRAGE_PEER_NAME);
  if (name !== undefined) {
    const parsed = NameSchema.safeParse(name);
    if (!parsed.success) throw envError('LANRAGE_PEER_NAME', parsed.error);
    fields.peerName = parsed.data;
  }
}

function envError(variable: string, error: z.ZodError): ControlPlaneError {
  return new ControlPlaneError(`Invalid ${variable}: ${error.issues[0]?.message ?? 'invalid'}`, {
    code: 'bad_config',
    field: variable,
  });
}
