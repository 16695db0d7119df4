/**
 * Whether `Authorization: Bearer …` holds a secret, compared in constant time on digests of
 * equal length, so not even the secret's length leaks. The moderation API (admin-gate.ts) and
 * `/metrics` behind `--metrics-token-file` both ask it.
 */
import crypto from 'node:crypto';

const digest = (text: string): Buffer => crypto.createHash('sha256').update(text).digest();

export function bearerCheck(secret: string): (authorization: string | undefined) => boolean {
  const expected = digest(secret);
  return (authorization) => {
    const match = /^Bearer (.+)$/i.exec(authorization ?? '');
    // Compared even when there is no token, so both failures take the same time.
    return crypto.timingSafeEqual(digest(match?.[1] ?? ''), expected) && match !== null;
  };
}
