import http from 'node:http';
import type net from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { listen } from './listen';

const servers: net.Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

function server(): http.Server {
  const s = http.createServer();
  servers.push(s);
  return s;
}

async function refusal(host: string, port: number): Promise<NodeJS.ErrnoException> {
  try {
    await listen(server(), host, port);
  } catch (error) {
    return error as NodeJS.ErrnoException;
  }
  throw new Error(`listened on ${host} ${port}`);
}

it('a --host that is no address of this machine is said with what to do', async () => {
  const error = await refusal('not a host', 0);
  expect(error.message).toMatch(
    /^Cannot listen on not a host port 0: .*(ENOTFOUND|EAI_AGAIN).*\(--host must be an address of/,
  );
  expect(error.code).toMatch(/^(ENOTFOUND|EAI_AGAIN)$/);
});

it('a port in use keeps its code (the app moves its embedded server on EADDRINUSE)', async () => {
  const port = await listen(server(), '127.0.0.1', 0);
  const error = await refusal('127.0.0.1', port);
  expect(error.message).toContain('(another program (another server?) has that port: stop it');
  expect(error.code).toBe('EADDRINUSE');
});
