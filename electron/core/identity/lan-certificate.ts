/**
 * The embedded control server's TLS certificate for LAN parties: self-signed, its SHA-256
 * announced in mDNS so LAN clients pin it instead of trusting a CA. Made once and kept in
 * keysDir beside the identity, so the pin stays the same across restarts.
 */
import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  X509Certificate,
} from 'node:crypto';
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { silentLogger, type Logger } from '../../../shared/logger';
import type { Report } from '../notices';
import { atomicWrite } from '../state/atomic-write';
import { makeDir } from '../state/make-dirs';
import { corruptPathFor, errorText, noFile, writeWords } from '../state/set-aside';
import {
  derBitString,
  derExplicit,
  derInteger,
  derOid,
  derSequence,
  derSet,
  derTime,
  derUtf8String,
} from './der';

export interface LanCertificate {
  /** The certificate, PEM. */
  cert: string;
  /** Its private key, PKCS#8 PEM. */
  key: string;
  /** The pin: lanCertificateSha256 of the certificate's DER. */
  sha256: string;
}

/** keysDir's file: the private key PEM, then the certificate PEM. */
export const LAN_CERTIFICATE_FILE = 'lan-tls.pem';

const LAN_CERTIFICATE_NAME = 'LANrage embedded server';

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const COMMON_NAME = '2.5.4.3';
const DAY_MS = 24 * 60 * 60 * 1000;
/** RFC 5280 4.1.2.5: "no well-defined expiration date", 99991231235959Z. */
const NO_EXPIRY = new Date(Date.UTC(9999, 11, 31, 23, 59, 59));

/**
 * The pin rule, the same on both ends: base64url (no padding, 43 characters) of the
 * SHA-256 of the certificate's DER bytes.
 */
export function lanCertificateSha256(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('base64url');
}

function pem(label: string, der: Uint8Array): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** A Name of one RDN, the common name: nothing else identifies a pinned certificate. */
function subjectName(): Buffer {
  return derSequence(derSet(derSequence(derOid(COMMON_NAME), derUtf8String(LAN_CERTIFICATE_NAME))));
}

/** ecdsa-with-SHA256 takes no parameters, not even NULL (RFC 5758 3.2). */
function signatureAlgorithm(): Buffer {
  return derSequence(derOid(ECDSA_WITH_SHA256));
}

/** RFC 5280 4.1.2.2: positive, at most 20 bytes; random so two never collide. */
function newSerial(): Buffer {
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  return serial;
}

function tbsCertificate(now: Date, spki: Buffer): Buffer {
  // A day of slack before now, so a guest whose clock runs behind still accepts it.
  const notBefore = new Date(now.getTime() - DAY_MS);
  return derSequence(
    derExplicit(0, derInteger(Buffer.from([2]))), // v3
    derInteger(newSerial()),
    signatureAlgorithm(),
    subjectName(),
    derSequence(derTime(notBefore), derTime(NO_EXPIRY)),
    subjectName(),
    spki,
  );
}

/**
 * A new self-signed X.509 v3 certificate and its key. ECDSA P-256, not Ed25519: Electron's
 * Node uses BoringSSL, whose TLS client does not offer Ed25519 signatures by default, so
 * an Ed25519 certificate would fail the handshake there; P-256 works with every TLS stack.
 */
export function makeLanCertificate(now: Date): LanCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const tbs = tbsCertificate(now, publicKey.export({ type: 'spki', format: 'der' }));
  // Node's ECDSA signature is DER (r, s), which is what X.509 carries in the BIT STRING.
  const signature = sign('sha256', tbs, privateKey);
  const der = derSequence(tbs, signatureAlgorithm(), derBitString(signature));
  return {
    cert: pem('CERTIFICATE', der),
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    sha256: lanCertificateSha256(der),
  };
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n[\s\S]*?-----END \1-----\r?\n?/g;

/** The stored certificate, or why it cannot be used. */
function parseLanCertificate(text: string): LanCertificate | { invalid: string } {
  const blocks = [...text.matchAll(PEM_BLOCK)];
  const keys = blocks.filter((b) => b[1] === 'PRIVATE KEY');
  const certs = blocks.filter((b) => b[1] === 'CERTIFICATE');
  if (keys.length !== 1 || certs.length !== 1) {
    return { invalid: 'not one private key and one certificate' };
  }
  try {
    const key = keys[0]![0];
    const cert = certs[0]![0];
    const x509 = new X509Certificate(cert);
    if (!x509.checkPrivateKey(createPrivateKey(key))) {
      return { invalid: 'its key does not match its certificate' };
    }
    return { cert, key, sha256: lanCertificateSha256(x509.raw) };
  } catch (error) {
    return { invalid: `does not parse: ${errorText(error)}` };
  }
}

export interface LanCertificateOptions {
  logger?: Logger;
  report?: Report;
  /** The clock a new certificate's notBefore is taken from. */
  now?: () => Date;
}

interface Loading {
  path: string;
  logger: Logger;
  /** Where the bad file went, for the one user message. */
  keptAside?: string;
}

/**
 * The file's text; null when missing. One that cannot be read (a folder, no permission) is
 * kept aside.
 */
async function readOptional(loading: Loading): Promise<string | null> {
  try {
    return await readFile(loading.path, 'utf8');
  } catch (error) {
    if (noFile(error)) return null;
    await setAside(`cannot be read: ${errorText(error)}`, loading);
    return null;
  }
}

/** Moves the bad file aside (never overwritten silently) and notes it for the user. */
async function setAside(reason: string, loading: Loading): Promise<void> {
  const aside = corruptPathFor(loading.path, Date.now());
  await rename(loading.path, aside);
  loading.keptAside = aside;
  loading.logger.warn(
    `LAN certificate ${loading.path} is invalid (${reason}); kept it as ${aside} and made a new one`,
  );
}

async function load(keysDir: string, loading: Loading, now: () => Date): Promise<LanCertificate> {
  // keysDir is the identity's folder: owner-only, as identity.ts makes it.
  makeDir(keysDir, 0o700);
  const stored = await readOptional(loading);
  if (stored !== null) {
    const parsed = parseLanCertificate(stored);
    if (!('invalid' in parsed)) return parsed;
    await setAside(parsed.invalid, loading);
  }
  const made = makeLanCertificate(now());
  await atomicWrite(loading.path, made.key + made.cert, { mode: 0o600 });
  return made;
}

/**
 * The LAN certificate from keysDir/lan-tls.pem, made when missing (file 0600). An unreadable,
 * corrupt or mismatched file is kept aside and replaced, and `report` tells the user. If
 * nothing can be written, this run uses a certificate held in memory, and says so.
 */
export async function loadOrCreateLanCertificate(
  keysDir: string,
  options: LanCertificateOptions = {},
): Promise<LanCertificate> {
  const { logger = silentLogger, report = () => {}, now = () => new Date() } = options;
  const loading: Loading = { path: join(keysDir, LAN_CERTIFICATE_FILE), logger };
  try {
    const certificate = await load(keysDir, loading, now);
    if (loading.keptAside !== undefined) {
      report(
        `Your LAN certificate was unreadable: LANrage kept it as ${loading.keptAside} and made a new one. LAN guests who pinned the old one find your party again through discovery.`,
      );
    }
    return certificate;
  } catch (error) {
    logger.error(`Cannot load or save the LAN certificate in ${keysDir}: ${errorText(error)}`);
    report(
      `LANrage cannot save its LAN certificate in ${keysDir} (${writeWords(error)}). It is using a temporary one: LAN guests find your party again through discovery after each restart.`,
    );
    return makeLanCertificate(now());
  }
}
