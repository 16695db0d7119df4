/**
 * How the app uses multicast DNS, from the environment the shell hands over:
 * LANRAGE_LAN_DISCOVERY=off turns it off; LANRAGE_MDNS_INTERFACE (one local IPv4 address)
 * and LANRAGE_MDNS_PORT keep it to one interface and port, which tests use to stay on
 * 127.0.0.1 and away from each other. A value that is not acceptable turns LAN discovery
 * off with a notice, never stops the app.
 */
import { isIPv4 } from 'node:net';
import { randomToken } from '../../../shared/values/ids';
import { PortTextSchema } from '../../../shared/values/port';
import type { Report } from '../notices';
import { systemClock, type Clock } from '../../../shared/time/clock';
import { withDetail, type Logger } from '../../../shared/logger';
import { LanDiscovery } from './discovery';
import { MDNS_PORT, openMdnsTransport } from './mdns-transport';
import { SendHealth } from './send-health';
import { CountedLog } from './counted-log';

export interface LanOptions {
  enabled: boolean;
  interface?: string;
  port: number;
}

type Env = Record<string, string | undefined>;

/** The options the environment asks for, or why it asks for something unusable. */
export function lanOptionsFrom(
  env: Env,
): { ok: true; value: LanOptions } | { ok: false; error: string } {
  const switchText = (env.LANRAGE_LAN_DISCOVERY ?? 'on').trim().toLowerCase();
  if (switchText !== 'on' && switchText !== 'off') {
    return { ok: false, error: 'LANRAGE_LAN_DISCOVERY must be "on" or "off"' };
  }
  const iface = env.LANRAGE_MDNS_INTERFACE?.trim() || undefined;
  if (iface !== undefined && !isIPv4(iface)) {
    return { ok: false, error: 'LANRAGE_MDNS_INTERFACE must be a local IPv4 address' };
  }
  const portText = env.LANRAGE_MDNS_PORT?.trim();
  const port = portText ? PortTextSchema.safeParse(portText) : null;
  if (port && (!port.success || port.data === 0)) {
    return { ok: false, error: 'LANRAGE_MDNS_PORT must be a port from 1 to 65535' };
  }
  return {
    ok: true,
    value: { enabled: switchText === 'on', interface: iface, port: port?.data ?? MDNS_PORT },
  };
}

/**
 * Starts LAN discovery as the environment asks; null (with a notice saying why) when it is
 * off or cannot run, e.g. another program holds the mDNS port exclusively.
 */
export async function openLanDiscovery(
  env: Env,
  report: Report,
  logger: Logger,
  clock: Clock = systemClock,
): Promise<LanDiscovery | null> {
  const options = lanOptionsFrom(env);
  if (!options.ok) {
    report(`LAN discovery is off: ${options.error}.`);
    return null;
  }
  if (!options.value.enabled) return null;
  try {
    const sendHealth = new SendHealth(report);
    const warnings = new CountedLog(
      'LAN discovery',
      (m, d) => logger.warn(d === undefined ? m : withDetail(m, d)),
      clock,
    );
    const transport = await openMdnsTransport({
      port: options.value.port,
      interface: options.value.interface,
      // multicast-dns warns of each packet it cannot decode: counted, as LanDiscovery's own.
      onWarning: (err) => warnings.add([err.message]),
      onSent: (err) => sendHealth.sent(err),
    });
    const hostName = `lanrage-${randomToken(8)}.local`;
    const lan = new LanDiscovery({ transport, clock, hostName, logger, sendHealth });
    lan.start();
    return lan;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    report(
      `LAN discovery is off: cannot use UDP port ${options.value.port} (${reason}). Parties on this PC still show.`,
    );
    return null;
  }
}
