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
import { chmod, readFile, rename, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { KEY_BASE64_PATTERN } from '../../../shared/access/protocol';
import { ID_PATTERN, randomToken } from '../../../shared/values/ids';
import { atomicWrite } from '../state/atomic-write';
import { makeDir } from '../state/make-dirs';
import { IDENTITY_KEY_FILE, newIdentitySeed, signerFromSeed } from './identity-key';
import { silentLogger, type Logger } from '../../../shared/logger';
import type { Report } from '../notices';
import { corruptPathFor, errorText, writeWords, noFile } from '../state/set-aside';

export interface Identity {
  peerId: string;
  /** base64 of the raw 32-byte keys, exactly as `wg genkey` / `wg pubkey` print them. */
  publicKey: string;
  privateKey: string;
  /** base64 of the Ed25519 identity key's seed (identity-key.ts): proves our peer ids. */
  identityKey: string;
}

export const PEER_ID_FILE = 'peer_id';
export const PRIVATE_KEY_FILE = 'private.key';
export const PUBLIC_KEY_FILE = 'public.key';

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

/** Where the identity is read: a note of every file kept aside, for the one user message. */
interface Loading {
  keysDir: string;
  logger: Logger;
  keptAside: string[];
  /** identity.key was gone though one had been made here (deleted or lost). */
  lostKey?: boolean;
  /** The peer id to take when none is kept here (a seed-format home's: seed-home.ts). */
  adopt?: string | null;
}

/**
 * The identity key's public half, noted beside it: a key file missing while this is there
 * was deleted or lost (not an installation from before identity keys), so the servers keep
 * our peer id bound to a key we no longer have, and we need a new peer id too.
 */
export const IDENTITY_PUBLIC_FILE = 'identity.pub';

/**
 * The file's text; null when missing. One that cannot be read (a folder, no permission) is kept
 * aside.
 */
async function readOptional(path: string, loading: Loading): Promise<string | null> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (error) {
    if (noFile(error)) return null;
    await setAside(path, `cannot be read: ${errorText(error)}`, loading);
    return null;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Moves a bad file aside (never overwritten silently) and notes it for the user. */
async function setAside(path: string, reason: string, loading: Loading): Promise<void> {
  const aside = corruptPathFor(path, Date.now());
  await rename(path, aside);
  loading.keptAside.push(aside);
  loading.logger.warn(
    `Identity file ${path} is invalid (${reason}); kept it as ${aside} and made a new one`,
  );
}

async function loadPeerId(loading: Loading): Promise<string> {
  const path = join(loading.keysDir, PEER_ID_FILE);
  const stored = await readOptional(path, loading);
  if (stored !== null && ID_PATTERN.test(stored)) return stored;
  if (stored !== null) await setAside(path, 'not a peer id', loading);
  const adopted = stored === null ? (loading.adopt ?? null) : null;
  if (adopted !== null) loading.logger.info(`Kept peer id ${adopted} from control_state.json`);
  const peerId = adopted ?? `peer_${randomToken(12)}`;
  await atomicWrite(path, `${peerId}\n`, { mode: 0o600 });
  return peerId;
}

function validPrivateKey(text: string | null): boolean {
  if (text === null || !KEY_BASE64_PATTERN.test(text)) return false;
  try {
    publicKeyFor(text);
    return true;
  } catch {
    return false;
  }
}

async function loadKeys(loading: Loading): Promise<Pick<Identity, 'publicKey' | 'privateKey'>> {
  const privatePath = join(loading.keysDir, PRIVATE_KEY_FILE);
  const publicPath = join(loading.keysDir, PUBLIC_KEY_FILE);
  const stored = await readOptional(privatePath, loading);
  if (validPrivateKey(stored)) {
    const publicKey = publicKeyFor(stored!);
    const storedPublic = await readOptional(publicPath, loading);
    if (storedPublic !== publicKey) {
      if (storedPublic !== null)
        await setAside(publicPath, 'does not match the private key', loading);
      await atomicWrite(publicPath, `${publicKey}\n`, { mode: 0o600 });
    }
    return { privateKey: stored!, publicKey };
  }
  if (stored !== null) await setAside(privatePath, 'not a WireGuard private key', loading);
  if (await exists(publicPath)) await setAside(publicPath, 'its private key is gone', loading);
  const pair = generateKeyPair();
  await atomicWrite(privatePath, `${pair.privateKey}\n`, { mode: 0o600 });
  await atomicWrite(publicPath, `${pair.publicKey}\n`, { mode: 0o600 });
  return pair;
}

/** keysDir itself, owner-only; a file where the folder should be is kept aside. */
async function prepareDir(loading: Loading): Promise<void> {
  const { keysDir } = loading;
  const found = await stat(keysDir).catch(() => null);
  if (found && !found.isDirectory()) await setAside(keysDir, 'not a folder', loading);
  makeDir(keysDir, 0o700);
  await chmod(keysDir, 0o700);
}

/**
 * The Ed25519 identity key's seed, made when missing (a first start, or an installation from
 * before identity keys). A corrupt one is kept aside and replaced, and so is one deleted
 * (its public half is still noted): `replaced` then, because the server keeps our peer id
 * bound to the lost key, so it needs a new peer id too.
 */
async function loadIdentityKey(loading: Loading): Promise<{ seed: string; replaced: boolean }> {
  const path = join(loading.keysDir, IDENTITY_KEY_FILE);
  const publicPath = join(loading.keysDir, IDENTITY_PUBLIC_FILE);
  const stored = await readOptional(path, loading);
  const noted = await readOptional(publicPath, loading);
  const signer = stored === null ? null : signerFromSeed(stored);
  if (signer) {
    if (noted !== signer.publicKey)
      await atomicWrite(publicPath, `${signer.publicKey}\n`, { mode: 0o600 });
    return { seed: stored!, replaced: false };
  }
  if (stored !== null) await setAside(path, 'not an identity key', loading);
  loading.lostKey = stored === null && noted !== null;
  const seed = newIdentitySeed();
  await atomicWrite(path, `${seed}\n`, { mode: 0o600 });
  await atomicWrite(publicPath, `${signerFromSeed(seed)!.publicKey}\n`, { mode: 0o600 });
  return { seed, replaced: stored !== null || loading.lostKey };
}

async function load(loading: Loading): Promise<Identity> {
  await prepareDir(loading);
  let peerId = await loadPeerId(loading);
  const keys = await loadKeys(loading);
  const { seed, replaced } = await loadIdentityKey(loading);
  if (replaced) {
    peerId = `peer_${randomToken(12)}`;
    await atomicWrite(join(loading.keysDir, PEER_ID_FILE), `${peerId}\n`, { mode: 0o600 });
  }
  return { peerId, ...keys, identityKey: seed };
}

/** What the user is told when identity.key was deleted: who they are now, what to do. */
export const LOST_KEY_MESSAGE =
  'Your LANrage identity key (keys/identity.key) was missing, so LANrage made a new one with a new peer ID. Servers keep your old peer ID for the lost key: friends see you as a new player, and parties you created before cannot be registered again, so create a new party.';

/**
 * Reads the identity from keysDir, creating whatever is missing (dir 0700, files 0600); a
 * missing peer id is `adopt` when given (a seed-format home's), else a new one.
 * A corrupt or unreadable file is kept aside and `report` tells the user their identity
 * changed (friends see a new key, or a new player). If nothing can be written, this run
 * uses a new identity held in memory, and says so.
 */
export async function loadOrCreateIdentity(
  keysDir: string,
  logger: Logger = silentLogger,
  report: Report = () => {},
  adopt: string | null = null,
): Promise<Identity> {
  const loading: Loading = { keysDir, logger, keptAside: [], adopt };
  try {
    const identity = await load(loading);
    if (loading.lostKey) report(LOST_KEY_MESSAGE);
    // A public key rebuilt from its private key is the same identity; anything else is not.
    if (loading.keptAside.some((path) => !basename(path).startsWith(PUBLIC_KEY_FILE))) {
      report(
        `Your LANrage identity changed: a damaged identity file was kept as ${loading.keptAside.join(', ')} and a new key was made. Friends may see you as a new player.`,
      );
    }
    return identity;
  } catch (error) {
    logger.error(`Cannot load or save the identity in ${keysDir}: ${errorText(error)}`);
    report(
      `LANrage cannot save your identity in ${keysDir} (${writeWords(error)}). It is using a temporary one: friends will see you as a new player, and again after a restart.`,
    );
    return {
      peerId: `peer_${randomToken(12)}`,
      ...generateKeyPair(),
      identityKey: newIdentitySeed(),
    };
  }
}
