/** The server's command line, validated with zod. */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';

const seconds = z.coerce.number({ error: 'must be a number of seconds' }).positive().max(86_400);

export const CliArgsSchema = z
  .object({
    host: z.string().min(1).max(255).default('127.0.0.1'),
    port: z.coerce
      .number({ error: 'must be a port number (0 picks a free port)' })
      .int()
      .min(0)
      .max(65535)
      .default(8667),
    'data-dir': z.string().min(1).optional(),
    'tls-cert': z.string().min(1).optional(),
    'tls-key': z.string().min(1).optional(),
    'peer-timeout': seconds.default(300),
    'sweep-interval': seconds.default(60),
    'heartbeat-interval': seconds.default(30),
    /** Messages per second per connection; 0 turns rate limiting off. */
    'rate-limit': z.coerce.number({ error: 'must be a number' }).min(0).max(1_000_000).default(50),
  })
  .refine((a) => (a['tls-cert'] === undefined) === (a['tls-key'] === undefined), {
    message: '--tls-cert and --tls-key must be given together',
  });
export type CliArgs = z.infer<typeof CliArgsSchema>;

export interface ParsedCli {
  host: string;
  port: number;
  dataDir: string;
  tls: { certFile: string; keyFile: string } | null;
  peerTimeoutMs: number;
  sweepIntervalMs: number;
  heartbeatIntervalS: number;
  /** Messages per second; 0 = unlimited. */
  rateLimit: number;
}

const STRING_FLAGS = [
  'host',
  'port',
  'data-dir',
  'tls-cert',
  'tls-key',
  'peer-timeout',
  'sweep-interval',
  'heartbeat-interval',
  'rate-limit',
] as const;

/** @throws Error with a message fit for the terminal. */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv): ParsedCli {
  const options = Object.fromEntries(STRING_FLAGS.map((f) => [f, { type: 'string' as const }]));
  const { values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  const parsed = CliArgsSchema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const flag = issue?.path.length ? `--${issue.path.join('.')}: ` : '';
    throw new Error(`${flag}${issue?.message ?? 'invalid arguments'}`);
  }
  const a = parsed.data;
  const home = env.LANRAGE_HOME || path.join(os.homedir(), '.lanrage');
  return {
    host: a.host,
    port: a.port,
    dataDir: path.resolve(a['data-dir'] ?? path.join(home, 'server')),
    tls: a['tls-cert'] && a['tls-key'] ? { certFile: a['tls-cert'], keyFile: a['tls-key'] } : null,
    peerTimeoutMs: a['peer-timeout'] * 1000,
    sweepIntervalMs: a['sweep-interval'] * 1000,
    heartbeatIntervalS: a['heartbeat-interval'],
    rateLimit: a['rate-limit'],
  };
}
