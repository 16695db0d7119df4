/**
 * The admin token is sent as `Authorization: Bearer <secret>`, so a secret that cannot travel
 * in that header unchanged could never be used: HTTP trims a trailing space, a second line
 * break cannot be sent at all, and the server reads bytes past ASCII as Latin-1, so the
 * file's UTF-8 sent by `curl` does not match (nor does a byte that is not UTF-8). Such a file
 * is refused at start, as a short one is, rather than leaving an API no request can open.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TestRig } from '../test-util/support';
import { readAdminToken } from './token-file';

const rig = new TestRig();
let dir = '';
afterEach(async () => {
  await rig.cleanup();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = '';
});

function tokenFile(bytes: Buffer | string): string {
  dir ||= fs.mkdtempSync(path.join(os.tmpdir(), 'lanrage-token-'));
  const file = path.join(dir, 'token');
  fs.writeFileSync(file, bytes, { mode: 0o600 });
  return file;
}

/** The status of GET /admin/parties with `Bearer ` and these raw bytes, on a raw socket. */
function statusWith(port: number, secret: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      const head = 'GET /admin/parties HTTP/1.1\r\nHost: x\r\nConnection: close\r\n';
      const auth = Buffer.concat([Buffer.from('Authorization: Bearer '), secret]);
      socket.end(Buffer.concat([Buffer.from(head), auth, Buffer.from('\r\n\r\n')]));
    });
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('close', () => resolve(answer.split(' ')[1] ?? ''));
    socket.on('error', reject);
  });
}

describe('--admin-token-file', () => {
  it('a printable ASCII secret is taken (spaces inside too): its bytes open the API', async () => {
    const secret = Buffer.from('Zq9-_.~+/= '.repeat(4).trim());
    const token = readAdminToken(tokenFile(Buffer.concat([secret, Buffer.from('\n')])));
    const { port } = await rig.start({ adminToken: token });
    expect(await statusWith(port, secret)).toBe('200');
  });

  it.each([
    ['a byte that is not UTF-8', Buffer.concat([Buffer.alloc(40, 'a'), Buffer.from([0xff])])],
    ['a letter past ASCII', Buffer.from('ä'.repeat(40))],
    ['a trailing space', Buffer.from(`${'a'.repeat(40)} \n`)],
    ['a second line break', Buffer.from(`${'a'.repeat(40)}\n\n`)],
  ])('refuses a secret with %s: no request could carry it', (_, bytes) => {
    expect(() => readAdminToken(tokenFile(bytes))).toThrow(
      /--admin-token-file .*token: the secret must be printable ASCII, no space at either end/,
    );
  });
});
