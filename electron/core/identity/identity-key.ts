/**
 * This installation's Ed25519 identity key (issue 10), beside the WireGuard key: the
 * control server binds our peer ids to it, so nobody else can take them and we get them
 * back from any connection or server URL. The private key never leaves this machine; we
 * only sign the server's challenge with it.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  type KeyObject,
} from 'node:crypto';
import { identityProofText, KEY_BASE64_PATTERN } from '../../../shared/access/protocol';

export const IDENTITY_KEY_FILE = 'identity.key';

/** What the remote control plane needs: our public key, and a signature of a challenge. */
export interface IdentitySigner {
  /** base64 of the raw 32-byte Ed25519 public key. */
  readonly publicKey: string;
  /** base64 signature of the identity proof for this server and nonce (and origin, 1.7). */
  prove(serverId: string, nonce: string, audience?: string): string;
}

function privateFromSeed(seed: Buffer): KeyObject {
  // PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410): a fixed 16-byte prefix.
  const prefix = Buffer.from('302e020100300506032b657004220420', 'hex');
  return createPrivateKey({ key: Buffer.concat([prefix, seed]), format: 'der', type: 'pkcs8' });
}

/** A signer from the key file's text (base64 of the 32-byte seed); null when it is not one. */
export function signerFromSeed(text: string): IdentitySigner | null {
  if (!KEY_BASE64_PATTERN.test(text)) return null;
  try {
    const key = privateFromSeed(Buffer.from(text, 'base64'));
    const jwk = createPublicKey(key).export({ format: 'jwk' });
    const publicKey = Buffer.from(jwk.x!, 'base64url').toString('base64');
    return {
      publicKey,
      prove: (serverId, nonce, audience) => {
        const text = identityProofText(serverId, nonce, audience);
        return sign(null, Buffer.from(text, 'utf8'), key).toString('base64');
      },
    };
  } catch {
    return null;
  }
}

/** A fresh seed, base64 (what the key file holds). */
export function newIdentitySeed(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  return Buffer.from(jwk.d!, 'base64url').toString('base64');
}
