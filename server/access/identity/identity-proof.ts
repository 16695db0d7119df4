/**
 * Identity keys on the server: checking a client's proof that it holds its Ed25519 key,
 * and the fingerprint people compare. node:crypto does Ed25519; no dependency needed.
 */
import { createHash, createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import { identityProofText } from '../../../shared/access/protocol';

/** A fresh challenge: 192 random bits, base64url. */
export function newNonce(): string {
  return randomBytes(24).toString('base64url');
}

/** A new server id: 128 random bits, base64url. */
export function newServerId(): string {
  return randomBytes(16).toString('base64url');
}

function keyObject(publicKeyBase64: string): KeyObject | null {
  const raw = Buffer.from(publicKeyBase64, 'base64');
  if (raw.length !== 32) return null;
  try {
    return createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
      format: 'jwk',
    });
  } catch {
    return null;
  }
}

/**
 * Whether `signature` is the key's signature of the proof text for this server and nonce
 * (and the audience the client says it signed, if any).
 */
export function verifyIdentity(
  publicKeyBase64: string,
  signatureBase64: string,
  serverId: string,
  nonce: string,
  audience?: string,
): boolean {
  const key = keyObject(publicKeyBase64);
  const signature = Buffer.from(signatureBase64, 'base64');
  if (!key || signature.length !== 64) return false;
  try {
    const text = identityProofText(serverId, nonce, audience);
    return verify(null, Buffer.from(text, 'utf8'), key, signature);
  } catch {
    return false;
  }
}

/** `ab12 cd34 …`: the first 128 bits of the key's SHA-256, in groups of four hex digits. */
export function keyFingerprint(publicKeyBase64: string): string {
  const hex = createHash('sha256').update(Buffer.from(publicKeyBase64, 'base64')).digest('hex');
  return (hex.slice(0, 32).match(/.{4}/g) ?? []).join(' ');
}
