/**
 * A secret the server is given as a file (the moderation API's token, Redis's password), read
 * and checked before anything starts. A file is what systemd's LoadCredential and Docker's
 * secrets hand over, and unlike a flag's value it is not in `ps` for every local user to
 * read; the file must then be its owner's alone.
 */
import fs from 'node:fs';

/** Far more than any secret; a larger file is a wrong path, not a token. */
export const MAX_SECRET_FILE_BYTES = 64 * 1024;

/** The file's bytes and mode; only a regular file is read, and only up to the limit. */
function readRegularFile(file: string, flag: string): { bytes: Buffer; mode: number } {
  // Non-blocking: opening a FIFO for reading would otherwise wait for a writer forever.
  const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  try {
    // The file that was opened, not one swapped in between.
    const stat = fs.fstatSync(fd);
    // A FIFO, a socket or a device (/dev/zero) may never end: none holds a secret.
    if (!stat.isFile()) throw new Error(`${flag} ${file}: is not a regular file`);
    const bytes = Buffer.alloc(MAX_SECRET_FILE_BYTES + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length < bytes.length; length += read) {
      read = fs.readSync(fd, bytes, length, bytes.length - length, null);
    }
    if (length > MAX_SECRET_FILE_BYTES) {
      throw new Error(`${flag} ${file}: larger than ${MAX_SECRET_FILE_BYTES} bytes`);
    }
    return { bytes: bytes.subarray(0, length), mode: stat.mode };
  } finally {
    fs.closeSync(fd);
  }
}

/** The file's text without one trailing line break, checked; `minLength` in characters. */
export function readSecretFile(
  file: string,
  flag: string,
  { minLength = 1, hint = '' }: { minLength?: number; hint?: string } = {},
): string {
  let read: { bytes: Buffer; mode: number };
  try {
    read = readRegularFile(file, flag);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined && error instanceof Error) throw error;
    throw new Error(`${flag} ${file}: cannot be read (${code ?? String(error)})`, {
      cause: error,
    });
  }
  const { bytes, mode } = read;
  // Windows has no such mode bits: its ACLs are the owner's to set.
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    const octal = (mode & 0o777).toString(8);
    throw new Error(
      `${flag} ${file}: group or others may access it (mode ${octal}); chmod 600 ${file}`,
    );
  }
  const secret = bytes.toString('utf8').replace(/\r?\n$/, '');
  if (secret.length < minLength) {
    const least = minLength === 1 ? 'is empty' : `must be at least ${minLength} characters`;
    throw new Error(`${flag} ${file}: the secret ${least}${hint}`);
  }
  return secret;
}
