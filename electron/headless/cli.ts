/**
 * `npm run headless -- --port 8666 [--renderer-dir out/renderer] [lanrage://join/<id>]`:
 * the app without Electron. Prints exactly one line with the URL to open, then serves until
 * SIGINT/SIGTERM. An invite link argument opens the join dialog (as a clicked link does in
 * the desktop app), which asks before joining. SIGUSR2 stands for the desktop's "this PC is
 * going to sleep" (Electron's powerMonitor, which headless mode has not): the party is told.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { plainFlagIssue, readFlagsWith } from '../../shared/node/cli-flags';
import { INVITE_SCHEME } from '../../shared/invite';
import { withDetail } from '../../shared/logger';
import { PortTextSchema } from '../../shared/values/port';
import { createDefaultAppService } from '../core/app-service/factory';
import { consoleLogger } from '../core/logger';
import { startHeadless } from './headless-server';

const FlagsSchema = z.object({
  port: PortTextSchema.default(8666),
  'renderer-dir': z.string().min(1, 'must not be empty').default('out/renderer'),
});

type Flags = z.infer<typeof FlagsSchema> & { link: string | null };

const OPTIONS = {
  port: { type: 'string' },
  'renderer-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const USAGE = `usage: npm run headless -- [--port 8666] [--renderer-dir out/renderer] [lanrage://join/<party ID>]

Serves LANrage's UI on http://127.0.0.1:PORT/?token=... (printed on start) for a browser.
  --port N           0 picks a free port (default 8666)
  --renderer-dir D   the built UI (default out/renderer; npx electron-vite build makes it)
  an invite link     opens the join dialog for that party, as a clicked link does

Signals: SIGINT or SIGTERM quits (state saved); SIGUSR2 tells the party this PC is going to
sleep, as the desktop app does when the PC suspends.

The desktop app's environment variables (README: Where state lives, LAN parties):
  LANRAGE_HOME             where state lives (default ~/.lanrage)
  LANRAGE_INSTANCE         a second instance with its own identity in the same home
  LANRAGE_CONTROL_SERVER   the control server for this launch (ws://host:8667)
  LANRAGE_PEER_NAME        your name for this launch
  LANRAGE_LAN_PORT         the port parties you host listen on (default 8668; 0: a free one)
  LANRAGE_LAN_LISTEN       1: on every interface (the default), 0: this PC only
  LANRAGE_CA_FILE          a certificate to trust for a wss:// server (PEM)
  LANRAGE_LAN_DISCOVERY    on (the default) or off: parties nearby on the LAN
  LANRAGE_MDNS_INTERFACE   LAN discovery on this IPv4 address's interface only
  LANRAGE_MDNS_PORT        LAN discovery's UDP port (default 5353)`;

function parseFlags(argv: string[]): Flags | 'help' {
  // The server's reader (shared/node/cli-flags.ts): `--port -1` and an unknown flag were node's
  // three lines, and a flag given twice took its last value.
  const { values, positionals } = readFlagsWith(parseArgs, argv, OPTIONS, true);
  if (values.help) return 'help';
  delete values.help;
  const parsed = FlagsSchema.safeParse(values, { error: plainFlagIssue });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`--${issue?.path.join('.')}: ${issue?.message ?? 'is invalid'}`);
  }
  const [link, ...extra] = positionals;
  if (extra.length > 0 || (link !== undefined && !link.toLowerCase().startsWith(INVITE_SCHEME))) {
    throw new Error('The only argument is an invite link: lanrage://join/<party ID>');
  }
  return { ...parsed.data, link: link ?? null };
}

/** The flags, or why not with the usage line (a mistyped flag should show the right ones). */
function flagsOrUsage(argv: string[]): Flags | 'help' {
  try {
    return parseFlags(argv);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`${why}\n${USAGE.split('\n')[0]}`, { cause: error });
  }
}

async function main(): Promise<void> {
  const flags = flagsOrUsage(process.argv.slice(2));
  if (flags === 'help') {
    console.log(USAGE);
    return;
  }
  const handle = await startHeadless({
    port: flags.port,
    rendererDir: flags['renderer-dir'],
    logger: consoleLogger,
    createService: () => createDefaultAppService({ env: process.env, logger: consoleLogger }),
  });
  console.log(`LANrage headless UI at ${handle.url}`);
  if (flags.link) await handle.service.openInvite(flags.link);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    handle.close().then(
      () => process.exit(0),
      (err: unknown) => {
        consoleLogger.error(withDetail('error while closing', err, true));
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('SIGUSR2', () => {
    void handle.service.goingToSleep().then((told) => {
      consoleLogger.info(`Going to sleep: ${told ? 'the party was told' : 'nobody was told'}`);
    });
  });
}

main().catch((err: unknown) => {
  console.error(`LANrage headless: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
});
