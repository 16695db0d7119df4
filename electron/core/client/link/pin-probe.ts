/**
 * Which of several places announcing a LAN party with its host's pin is its host, found by a
 * TLS handshake with each at once. A stranger can copy the pin into its announcement, not the
 * certificate; and one announcing it from addresses that take no connection (mDNS answers are
 * easily forged) would otherwise cost a join its whole connect timeout for each, in turn: up
 * to nine claims a party (browse-cache.ts).
 */
import tls from 'node:tls';
import { pinOf, showsPinnedCertificate } from './pinned-tls';

/** The certificate the URL's pin names was shown; another was; none (no answer in time). */
export type PinAnswer = 'shown' | 'other' | 'silent';

export const PIN_PROBE_MS = 3000;

/** What the TLS port `url` names shows, asked once and hung up before anything is sent. */
export function probePin(url: string, timeoutMs = PIN_PROBE_MS): Promise<PinAnswer> {
  const pin = pinOf(url);
  if (pin === null) return Promise.resolve('silent');
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = tls.connect({
      host: hostname.replace(/^\[(.*)\]$/, '$1'),
      port: Number(port || 443),
      // Self-signed: the pin is the check, as for the link itself (ws-client.ts).
      rejectUnauthorized: false,
    });
    // Not the socket's idle timeout: during a handshake it fired after twice its time.
    const timer = setTimeout(() => done('silent'), timeoutMs);
    const done = (answer: PinAnswer): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    socket.once('secureConnect', () =>
      done(showsPinnedCertificate(socket, pin) ? 'shown' : 'other'),
    );
    // `on`, not `once`: a second error from a hostile peer's socket, unheard, would crash us.
    socket.on('error', () => done('silent'));
  });
}

/**
 * `hosts` (announcing one party with one pin) to try in turn: as soon as one shows the pin,
 * it first, then those that have not shown another certificate (a host slow to answer), in
 * their order. One place, or none left, is tried as it is: the link says why it fails.
 */
export function byPinProbe<T extends { controlUrl: string }>(
  hosts: readonly T[],
  probe: (url: string) => Promise<PinAnswer> = probePin,
): Promise<T[]> {
  if (hosts.length < 2) return Promise.resolve([...hosts]);
  return new Promise((resolve) => {
    const answers = new Map<T, PinAnswer>();
    const finish = (): void => {
      const shown = hosts.filter((host) => answers.get(host) === 'shown');
      const rest = hosts.filter((host) => !answers.has(host) || answers.get(host) === 'silent');
      const kept = [...shown, ...rest];
      resolve(kept.length > 0 ? kept : [...hosts]);
    };
    for (const host of hosts) {
      // A probe that throws (a URL it cannot dial) counts as silent, never as a hang.
      const asked = Promise.resolve().then(() => probe(host.controlUrl));
      void asked
        .catch((): PinAnswer => 'silent')
        .then((answer) => {
          answers.set(host, answer);
          if (answer === 'shown' || answers.size === hosts.length) finish();
        });
    }
  });
}
