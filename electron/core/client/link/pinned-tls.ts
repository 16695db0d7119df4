/**
 * A LAN host's TLS certificate is its own, self-signed: no authority can vouch for a PC on a
 * home network. It announces the certificate's SHA-256 beside its TLS port (mDNS, lan/), and
 * the client takes the connection only when the certificate it is shown hashes to that pin.
 * Whoever only listens on the LAN then reads nothing; whoever can rewrite its mDNS answers can
 * still announce a pin of their own, as they could announce another address before.
 */
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { ListeningPortTextSchema } from '../../../../shared/values/port';
import { lanCertificateSha256 } from '../../identity/lan-certificate';

/** The URL query parameter carrying the pin (`wss://10.0.0.5:8669/ws?pin=…`). */
export const PIN_PARAM = 'pin';
/** The host's plain port, tried when its TLS port does not answer (`…&plain=8668`). */
export const PLAIN_PARAM = 'plain';

/** Network errors that mean nothing answered at that port, as a firewall makes them. */
const UNANSWERED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ETIMEDOUT']);

/** Whether a connection error means the port did not answer (not: it answered wrongly). */
export function isUnanswered(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  // ws's own words when the TCP connection or TLS handshake never completed in time.
  return (
    (code !== undefined && UNANSWERED.has(code)) || /handshake has timed out/.test(error.message)
  );
}

/** The plain `ws://` URL a pinned one names for its host, or null. */
export function plainFallbackOf(url: string): string | null {
  if (pinOf(url) === null) return null;
  const parsed = new URL(url);
  const port = ListeningPortTextSchema.safeParse(parsed.searchParams.get(PLAIN_PARAM));
  if (!port.success) return null;
  parsed.protocol = 'ws:';
  parsed.port = String(port.data);
  parsed.search = '';
  return parsed.toString();
}

/** The pin a control URL carries, or null (any server that is not a LAN host). */
export function pinOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'wss:' ? parsed.searchParams.get(PIN_PARAM) : null;
  } catch {
    return null;
  }
}

/** The URL as a user reads it in a message: without the pin. */
export function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.search = '';
    return parsed.toString();
  } catch {
    return url;
  }
}

/** Whether the TLS socket shows the certificate `pin` names. */
export function showsPinnedCertificate(socket: Socket, pin: string): boolean {
  const certificate = (socket as TLSSocket).getPeerCertificate?.(true);
  if (!certificate?.raw) return false;
  return lanCertificateSha256(certificate.raw) === pin;
}
