/**
 * `--admin-token-file`: the operator's secret. The file is the only copy a host keeps, so one
 * other users can read gives the moderation API away; and a short secret can be guessed over
 * the network.
 */
import { readSecretFile } from '../cli/secret-file';

export const MIN_ADMIN_TOKEN_LENGTH = 32;

/** @throws Error naming the flag and the file, fit for the terminal. */
export function readAdminToken(file: string, flag = '--admin-token-file'): string {
  return readSecretFile(file, flag, {
    minLength: MIN_ADMIN_TOKEN_LENGTH,
    hint: ` (e.g. openssl rand -hex 32 > ${file})`,
  });
}
