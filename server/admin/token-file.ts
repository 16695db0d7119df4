/**
 * `--admin-token-file`: the operator's secret, read and checked before anything starts. The
 * file is the only copy a host keeps, so one other users can read gives the moderation API
 * away; and a short secret can be guessed over the network.
 */
import fs from 'node:fs';

export const MIN_ADMIN_TOKEN_LENGTH = 32;

/** @throws Error naming the flag and the file, fit for the terminal. */
export function readAdminToken(file: string, flag = '--admin-token-file'): string {
  let text: string;
  let mode: number;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      // The mode of the file that was opened, not of one swapped in between.
      mode = fs.fstatSync(fd).mode;
      text = fs.readFileSync(fd, 'utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new Error(`${flag} ${file}: cannot be read (${why})`, { cause: error });
  }
  // Windows has no such mode bits: its ACLs are the owner's to set.
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    const octal = (mode & 0o777).toString(8);
    throw new Error(
      `${flag} ${file}: group or others may access it (mode ${octal}); chmod 600 ${file}`,
    );
  }
  const token = text.replace(/\r?\n$/, '');
  if (token.length < MIN_ADMIN_TOKEN_LENGTH) {
    throw new Error(
      `${flag} ${file}: the secret must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters ` +
        `(e.g. openssl rand -hex 32 > ${file})`,
    );
  }
  return token;
}
