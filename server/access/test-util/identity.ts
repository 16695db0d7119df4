/**
 * Test support: an installation's identity key as a raw protocol client holds it, and the
 * hello that proves it (signing the server's challenge).
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { identityProofText } from '../../../shared/access/protocol';
import type { RawClient } from '../../test-util/support';

export class TestIdentity {
  readonly publicKey: string;
  private readonly privateKey: KeyObject;

  constructor() {
    const pair = generateKeyPairSync('ed25519');
    this.privateKey = pair.privateKey;
    const jwk = pair.publicKey.export({ format: 'jwk' });
    this.publicKey = Buffer.from(jwk.x!, 'base64url').toString('base64');
  }

  prove(serverId: string, nonce: string, audience?: string): string {
    const text = identityProofText(serverId, nonce, audience);
    return sign(null, Buffer.from(text), this.privateKey).toString('base64');
  }

  /** Reads the connection's challenge and says hello with the proof; returns the welcome. */
  async hello(c: RawClient, token?: string): Promise<Record<string, unknown>> {
    const challenge = await c.challenge;
    const signature = this.prove(String(challenge.server_id), String(challenge.nonce));
    return c.request({
      type: 'hello',
      version: '1.2',
      client: 'lanrage',
      identity: { public_key: this.publicKey, signature },
      ...(token ? { session_token: token } : {}),
    });
  }
}
