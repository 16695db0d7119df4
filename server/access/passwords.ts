/**
 * Party passwords: kept only as scrypt hashes (node:crypto), checked in constant time,
 * never sent anywhere. Hashing runs on libuv's thread pool, not the event loop.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { AccessKind, type AccessSink, type RowTable } from './records';

/** scrypt cost: ~16 MiB and tens of ms per guess, so guessing offline is slow too. */
const N = 1 << 14;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const SALT_BYTES = 16;

function derive(password: string, salt: Buffer, n: number, r: number, p: number) {
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(
      password.normalize('NFC'),
      salt,
      KEY_LENGTH,
      { N: n, r, p, maxmem: 256 * n * r },
      (e, key) => (e ? reject(e) : resolve(key)),
    );
  });
}

/** `scrypt$N$r$p$<salt b64>$<hash b64>` */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, N, R, P);
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Whether `password` matches `stored`; a malformed hash matches nothing. */
export async function checkPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  const params = [n, r, p].map(Number);
  if (scheme !== 'scrypt' || !salt || !hash || params.some((x) => !Number.isSafeInteger(x)))
    return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(
    password,
    Buffer.from(salt, 'base64'),
    params[0]!,
    params[1]!,
    params[2]!,
  );
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Each party's password hash, if it has one. */
export class PartyPasswords implements RowTable {
  private readonly hashes: Map<string, string>;

  constructor(
    rows: ReadonlyMap<string, string>,
    private readonly sink: AccessSink,
  ) {
    this.hashes = new Map(rows);
  }

  applyRow(partyId: string, hash: string | null): boolean {
    if (hash === null) this.hashes.delete(partyId);
    else this.hashes.set(partyId, hash);
    return true;
  }

  rowKeys(): string[] {
    return [...this.hashes.keys()];
  }

  hashOf(partyId: string): string | undefined {
    return this.hashes.get(partyId);
  }

  /** null removes the password. */
  set(partyId: string, hash: string | null): void {
    if (hash === null) {
      if (!this.hashes.delete(partyId)) return;
    } else this.hashes.set(partyId, hash);
    this.sink.recordAccess(AccessKind.PASSWORD, partyId, hash);
  }
}
