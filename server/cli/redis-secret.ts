/**
 * `--redis-password-file`: Redis's password from a file instead of `redis://:PASSWORD@…`,
 * where every local user reads it in `ps` and a systemd unit holds it in plain text.
 */
import type { ParsedCli } from './args';
import { readSecretFile } from './secret-file';

/**
 * The Redis URL with the file's password in it (the URL is never logged: redisWhere); the
 * URL as given without the flag.
 * @throws Error naming the flag: the file is unfit, or the URL has a password already.
 */
export function redisUrlWithSecret(args: ParsedCli): string | null {
  const { redisUrl, redisPasswordFile } = args;
  if (redisUrl === null || redisPasswordFile === null) return redisUrl;
  const url = new URL(redisUrl);
  if (url.password !== '') {
    throw new Error('--redis-password-file: the --redis URL has a password already; give one');
  }
  url.password = encodeURIComponent(readSecretFile(redisPasswordFile, '--redis-password-file'));
  return url.toString();
}
