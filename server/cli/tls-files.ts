/**
 * `--tls-cert` and `--tls-key`, read and checked before anything starts: a missing file
 * ended the process with a stack trace, and a key given as the certificate only with
 * OpenSSL's "PEM routines::no start line", after the database was opened.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';

export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

function readPem(flag: string, file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new Error(`${flag} ${file}: cannot be read (${why})`, { cause: error });
  }
}

/** @throws Error naming the flag and the file, fit for the terminal. */
export function readTlsFiles({ certFile, keyFile }: TlsFiles): { cert: Buffer; key: Buffer } {
  const cert = readPem('--tls-cert', certFile);
  const key = readPem('--tls-key', keyFile);
  let certificate: crypto.X509Certificate;
  try {
    // The first certificate of the file: a full chain (leaf first) is fine.
    certificate = new crypto.X509Certificate(cert);
  } catch (error) {
    throw new Error(`--tls-cert ${certFile}: not a PEM certificate`, { cause: error });
  }
  let privateKey: crypto.KeyObject;
  try {
    privateKey = crypto.createPrivateKey(key);
  } catch (error) {
    const why = 'not a PEM private key (a key with a passphrase is not supported)';
    throw new Error(`--tls-key ${keyFile}: ${why}`, { cause: error });
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new Error(`--tls-key ${keyFile} is not the key of the certificate in ${certFile}`);
  }
  return { cert, key };
}
