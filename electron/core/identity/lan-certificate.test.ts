import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { connect, createServer } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { MemoryLogger } from '../../../shared/test-support/memory-logger';
import { keysHomeEachTest } from '../test-util/keys-home';
import {
  LAN_CERTIFICATE_FILE,
  lanCertificateSha256,
  loadOrCreateLanCertificate,
  makeLanCertificate,
  type LanCertificate,
} from './lan-certificate';

const home = keysHomeEachTest();

const NOW = new Date(Date.UTC(2024, 4, 6, 12, 30, 15));
const DAY_MS = 24 * 60 * 60 * 1000;
const sha256 = (der: Buffer): string => createHash('sha256').update(der).digest('base64url');

/** Node's own parser and checks of a certificate, and its pin. */
function expectValid(made: LanCertificate): X509Certificate {
  const x509 = new X509Certificate(made.cert);
  expect(x509.verify(x509.publicKey)).toBe(true);
  expect(x509.checkPrivateKey(createPrivateKey(made.key))).toBe(true);
  expect(made.sha256).toBe(sha256(x509.raw));
  return x509;
}

describe('makeLanCertificate', () => {
  it('makes a self-signed P-256 certificate that Node parses, for the embedded server', () => {
    const made = makeLanCertificate(NOW);
    expect(made.cert).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(made.cert).toMatch(/\n-----END CERTIFICATE-----\n$/);
    for (const line of made.cert.trim().split('\n').slice(1, -2)) expect(line).toHaveLength(64);
    expect(made.key).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const x509 = expectValid(made);
    expect(x509.subject).toContain('CN=LANrage embedded server');
    expect(x509.issuer).toBe(x509.subject);
    expect(x509.publicKey.asymmetricKeyType).toBe('ec');
    expect(x509.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(new Date(x509.validFrom).getTime()).toBe(NOW.getTime() - DAY_MS);
    expect(new Date(x509.validTo).toISOString()).toBe('9999-12-31T23:59:59.000Z');
    expect(x509.ca).toBe(false);
  });

  it('pins base64url SHA-256 of the DER, 43 characters', () => {
    const made = makeLanCertificate(NOW);
    const raw = new X509Certificate(made.cert).raw;
    expect(made.sha256).toBe(sha256(raw));
    expect(lanCertificateSha256(raw)).toBe(made.sha256);
    expect(made.sha256).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('gives every certificate its own positive 16-byte serial', () => {
    const serials = Array.from(
      { length: 16 },
      () => new X509Certificate(makeLanCertificate(NOW).cert).serialNumber,
    );
    expect(new Set(serials).size).toBe(serials.length);
    // Node prints the magnitude in hex (leading zero bytes dropped): padded back to the 16
    // random bytes, the top bit is clear in every one, so none depends on a DER sign byte.
    for (const serial of serials) {
      const bytes = Buffer.from(serial.padStart(32, '0'), 'hex');
      expect(bytes).toHaveLength(16);
      expect(bytes[0]! & 0x80).toBe(0);
    }
  });

  it('serves a real TLS 1.3 handshake whose peer certificate hashes to the pin', async () => {
    const made = makeLanCertificate(NOW);
    const server = createServer({ cert: made.cert, key: made.key }, (socket) => socket.end());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const client = connect({ port, host: '127.0.0.1', rejectUnauthorized: false });
    try {
      await once(client, 'secureConnect');
      expect(client.getProtocol()).toBe('TLSv1.3');
      expect(lanCertificateSha256(client.getPeerCertificate(true).raw)).toBe(made.sha256);
    } finally {
      client.destroy();
      server.close();
      await once(server, 'close');
    }
  });
});

describe('loadOrCreateLanCertificate', () => {
  const path = (): string => join(home.keysDir, LAN_CERTIFICATE_FILE);
  const asides = (): string[] =>
    readdirSync(home.keysDir).filter((f) => f.startsWith(`${LAN_CERTIFICATE_FILE}.corrupt-`));

  it('makes the certificate once, owner-only, then loads the same one', async () => {
    const reports: string[] = [];
    const first = await loadOrCreateLanCertificate(home.keysDir, {
      report: (m) => reports.push(m),
      now: () => NOW,
    });
    expectValid(first);
    expect(readFileSync(path(), 'utf8')).toBe(first.key + first.cert);
    expect(statSync(path()).mode & 0o777).toBe(0o600);
    expect(statSync(home.keysDir).mode & 0o777).toBe(0o700);
    const again = await loadOrCreateLanCertificate(home.keysDir, {
      report: (m) => reports.push(m),
      now: () => new Date(NOW.getTime() + DAY_MS),
    });
    expect(again).toEqual(first);
    expect(reports).toEqual([]);
  });

  it.each([
    ['garbage text', (): string => 'not a certificate at all\n'],
    [
      'the key of one certificate with the certificate of another',
      (): string => makeLanCertificate(NOW).key + makeLanCertificate(NOW).cert,
    ],
    ['a certificate without its key', (): string => makeLanCertificate(NOW).cert],
  ])('keeps %s aside, tells the user once and makes a new one', async (_what, content) => {
    mkdirSync(home.keysDir);
    const bad = content();
    writeFileSync(path(), bad);
    const reports: string[] = [];
    const logger = new MemoryLogger();
    const made = await loadOrCreateLanCertificate(home.keysDir, {
      logger,
      report: (m) => reports.push(m),
      now: () => NOW,
    });
    expectValid(made);
    expect(asides()).toHaveLength(1);
    expect(readFileSync(join(home.keysDir, asides()[0]!), 'utf8')).toBe(bad);
    expect(readFileSync(path(), 'utf8')).toBe(made.key + made.cert);
    expect(statSync(path()).mode & 0o777).toBe(0o600);
    expect(reports).toEqual([expect.stringContaining(join(home.keysDir, asides()[0]!))]);
    expect(reports[0]).toMatch(/LAN certificate was unreadable.*made a new one.*discovery/);
    expect(logger.messages('warn')).toEqual([expect.stringContaining(LAN_CERTIFICATE_FILE)]);
    // The new one is kept: the next start loads it with nothing to tell.
    const next: string[] = [];
    expect(await loadOrCreateLanCertificate(home.keysDir, { report: (m) => next.push(m) })).toEqual(
      made,
    );
    expect(next).toEqual([]);
  });

  it('keeps an unreadable file (a folder in its place) aside instead of failing', async () => {
    mkdirSync(path(), { recursive: true });
    const reports: string[] = [];
    const made = await loadOrCreateLanCertificate(home.keysDir, { report: (m) => reports.push(m) });
    expectValid(made);
    expect(statSync(join(home.keysDir, asides()[0]!)).isDirectory()).toBe(true);
    expect(reports).toEqual([expect.stringMatching(/LAN certificate was unreadable/)]);
  });

  it('uses a certificate held in memory when it cannot be saved, and says so', async () => {
    writeFileSync(home.keysDir, 'a file where the folder should be');
    const reports: string[] = [];
    const logger = new MemoryLogger();
    const made = await loadOrCreateLanCertificate(home.keysDir, {
      logger,
      report: (m) => reports.push(m),
    });
    expectValid(made);
    expect(readFileSync(home.keysDir, 'utf8')).toBe('a file where the folder should be');
    expect(reports).toEqual([expect.stringMatching(/cannot save its LAN certificate/)]);
    expect(logger.messages('error')).toHaveLength(1);
  });
});
