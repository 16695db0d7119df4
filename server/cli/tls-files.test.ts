/**
 * `--tls-cert`/`--tls-key` that cannot serve: each is refused naming the flag and the file,
 * as the CLI's exit 2, not a stack trace or OpenSSL's words after the database was opened.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServerExpectingExit } from '../test-util/process';
import { makeTestCertificate } from '../test-util/certificate';
import { readTlsFiles } from './tls-files';

let dir: string;
const file = (name: string): string => path.join(dir, name);

/** A self-signed EC certificate and its key (made in milliseconds, unlike RSA). */
function makeCert(name: string): void {
  makeTestCertificate(file(`${name}-cert.pem`), file(`${name}-key.pem`));
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lanrage-tls-files-'));
  makeCert('a');
  makeCert('b');
  fs.writeFileSync(file('junk.pem'), 'not a pem\n');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('readTlsFiles', () => {
  it('reads a matching certificate and key', () => {
    const read = readTlsFiles({ certFile: file('a-cert.pem'), keyFile: file('a-key.pem') });
    expect(read.cert.toString()).toContain('BEGIN CERTIFICATE');
    expect(read.key.toString()).toContain('PRIVATE KEY');
  });

  it.each([
    [
      'a missing certificate',
      'nope.pem',
      'a-key.pem',
      /^--tls-cert \S+nope\.pem: cannot be read \(ENOENT\)$/,
    ],
    [
      'a missing key',
      'a-cert.pem',
      'nope.pem',
      /^--tls-key \S+nope\.pem: cannot be read \(ENOENT\)$/,
    ],
    [
      'a key given as the certificate',
      'a-key.pem',
      'a-cert.pem',
      /^--tls-cert \S+: not a PEM certificate$/,
    ],
    ['junk as the key', 'a-cert.pem', 'junk.pem', /^--tls-key \S+junk\.pem: not a PEM private key/],
    [
      "another certificate's key",
      'a-cert.pem',
      'b-key.pem',
      /^--tls-key \S+b-key\.pem is not the key of/,
    ],
  ])('refuses %s, naming the flag and file', (_, cert, key, message) => {
    expect(() => readTlsFiles({ certFile: file(cert), keyFile: file(key) })).toThrow(message);
  });
});

describe('the CLI with a TLS file it cannot use', () => {
  it('exits 2 with one plain line, before it opens a data dir', async () => {
    const dataDir = file('data');
    const missing = file('missing.pem');
    const args = ['--port', '0', '--data-dir', dataDir];
    const { code, stderr } = await runServerExpectingExit([
      ...[...args, '--tls-cert', missing, '--tls-key', file('a-key.pem')],
    ]);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(`lanrage-server: --tls-cert ${missing}: cannot be read (ENOENT)`);
    expect(fs.existsSync(dataDir)).toBe(false);
  });
});
