/**
 * This machine's stable identity: a peer id and a WireGuard (X25519) key pair, created on
 * first start and kept in keysDir with owner-only permissions.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { chmod, mkdir, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ControlPlaneError } from '../../shared/errors';
import { ID_PATTERN, randomToken } from '../../shared/ids';
import { atomicWrite } from './atomic-write';
import { silentLogger, type Logger } from '../../shared/logger';

export interface Identity {
  peerId: string;
  /** base64 of the raw 32-byte keys, exactly as `wg genkey` / `wg pubkey` print them. */
  publicKey: string;
  privateKey: string;
}

export const PEER_ID_FILE = 'peer_id';
export const PRIVATE_KEY_FILE = 'private.key';
export const PUBLIC_KEY_FILE = 'public.key';

const KEY_BASE64 = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

function rawPrivate(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  return Buffer.from(jwk.d!, 'base64url');
}

function rawPublic(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  return Buffer.from(jwk.x!, 'base64url');
}

/** The public key belonging to a base64 X25519 private key (what `wg pubkey` does). */
export function publicKeyFor(privateKeyBase64: string): string {
  const d = Buffer.from(privateKeyBase64, 'base64');
  const key = createPrivateKey({
    key: { kty: 'OKP', crv: 'X25519', d: d.toString('base64url'), x: '' },
    format: 'jwk',
  });
  return rawPublic(createPublicKey(key)).toString('base64');
}

/** A fresh key pair; the private key is clamped as `wg genkey` prints it. */
export function generateKeyPair(): { publicKey: string; privateKey: string } {
  const { privateKey } = generateKeyPairSync('x25519');
  const d = rawPrivate(privateKey);
  d[0]! &= 248;
  d[31] = (d[31]! & 127) | 64;
  const privateBase64 = d.toString('base64');
  return { privateKey: privateBase64, publicKey: publicKeyFor(privateBase64) };
}

async function readOptional(path: string): Promise<string | null> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Moves a bad file aside (never overwritten silently) and says so. */
async function setAside(path: string, reason: string, logger: Logger): Promise<void> {
  const aside = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  await rename(path, aside);
  logger.warn(
    `Identity file ${path} is invalid (${reason}); kept it as ${aside} and made a new one`,
  );
}

async function loadPeerId(keysDir: string, logger: Logger): Promise<string> {
  const path = join(keysDir, PEER_ID_FILE);
  const stored = await readOptional(path);
  if (stored !== null && ID_PATTERN.test(stored)) return stored;
  if (stored !== null) await setAside(path, 'not a peer id', logger);
  const peerId = `peer_${randomToken(12)}`;
  await atomicWrite(path, `${peerId}\n`, { mode: 0o600 });
  return peerId;
}

function validPrivateKey(text: string | null): boolean {
  if (text === null || !KEY_BASE64.test(text)) return false;
  try {
    publicKeyFor(text);
    return true;
  } catch {
    return false;
  }
}

async function loadKeys(keysDir: string, logger: Logger): Promise<Omit<Identity, 'peerId'>> {
  const privatePath = join(keysDir, PRIVATE_KEY_FILE);
  const publicPath = join(keysDir, PUBLIC_KEY_FILE);
  const stored = await readOptional(privatePath);
  if (validPrivateKey(stored)) {
    const publicKey = publicKeyFor(stored!);
    const storedPublic = await readOptional(publicPath);
    if (storedPublic !== publicKey) {
      if (storedPublic !== null)
        await setAside(publicPath, 'does not match the private key', logger);
      await atomicWrite(publicPath, `${publicKey}\n`, { mode: 0o600 });
    }
    return { privateKey: stored!, publicKey };
  }
  if (stored !== null) await setAside(privatePath, 'not a WireGuard private key', logger);
  if (await exists(publicPath)) await setAside(publicPath, 'its private key is gone', logger);
  const pair = generateKeyPair();
  await atomicWrite(privatePath, `${pair.privateKey}\n`, { mode: 0o600 });
  await atomicWrite(publicPath, `${pair.publicKey}\n`, { mode: 0o600 });
  return pair;
}

/** Reads the identity from keysDir, creating whatever is missing (dir 0700, files 0600). */
export async function loadOrCreateIdentity(
  keysDir: string,
  logger: Logger = silentLogger,
): Promise<Identity> {
  try {
    await mkdir(keysDir, { recursive: true, mode: 0o700 });
    await chmod(keysDir, 0o700);
    const peerId = await loadPeerId(keysDir, logger);
    const keys = await loadKeys(keysDir, logger);
    return { peerId, ...keys };
  } catch (error) {
    if (error instanceof ControlPlaneError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ControlPlaneError(`Cannot load the identity in ${keysDir}: ${reason}`, {
      code: 'identity',
      cause: error,
    });
  }
}
