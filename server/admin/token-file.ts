/**
 * `--admin-token-file`: the operator's secret. The file is the only copy a host keeps, so one
 * other users can read gives the moderation API away; and a short secret can be guessed over
 * the network.
 */
import { readSecretFile } from '../cli/secret-file';

export const MIN_ADMIN_TOKEN_LENGTH = 32;
/**
 * What `Authorization: Bearer …` carries unchanged: HTTP trims spaces at the ends, cannot
 * hold a line break, and the server reads bytes past ASCII as Latin-1 (the file's UTF-8,
 * sent by curl, would not match).
 */
const SENDABLE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/** @throws Error naming the flag and the file, fit for the terminal. */
export function readAdminToken(file: string, flag = '--admin-token-file'): string {
  const hint = ` (e.g. openssl rand -hex 32 > ${file})`;
  const secret = readSecretFile(file, flag, { minLength: MIN_ADMIN_TOKEN_LENGTH, hint });
  if (!SENDABLE.test(secret)) {
    // No request could carry it: the API would be on, and no one could open it.
    throw new Error(
      `${flag} ${file}: the secret must be printable ASCII, no space at either end${hint}`,
    );
  }
  return secret;
}
