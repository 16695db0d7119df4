/**
 * A self-signed certificate for 127.0.0.1 made with openssl (.ci/run installs it), for
 * tests of the server's TLS. EC keys: made in milliseconds, unlike RSA.
 */
import { execFileSync } from 'node:child_process';

/** Writes the certificate and its key to `certFile` and `keyFile` (valid one day). */
export function makeTestCertificate(certFile: string, keyFile: string): void {
  // prettier-ignore
  execFileSync('openssl', [
    'req', '-x509', '-nodes', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
    '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1',
  ], { stdio: 'ignore' });
}
