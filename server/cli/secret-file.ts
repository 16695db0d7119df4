/**
 * A secret the server is given as a file (the moderation API's token, Redis's password), read
 * and checked before anything starts. A file is what systemd's LoadCredential and Docker's
 * secrets hand over, and unlike a flag's value it is not in `ps` for every local user to
 * read; the file must then be its owner's alone.
 */
import fs from 'node:fs';

/** The file's text without one trailing line break, checked; `minLength` in characters. */
export function readSecretFile(
  file: string,
  flag: string,
  { minLength = 1, hint = '' }: { minLength?: number; hint?: string } = {},
): string {
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
  const secret = text.replace(/\r?\n$/, '');
  if (secret.length < minLength) {
    const least = minLength === 1 ? 'is empty' : `must be at least ${minLength} characters`;
    throw new Error(`${flag} ${file}: the secret ${least}${hint}`);
  }
  return secret;
}
