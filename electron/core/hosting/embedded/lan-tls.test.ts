/**
 * An embedded server on the LAN serves TLS beside plain ws, with the certificate whose pin
 * it announces; the app's client takes that connection only when the certificate matches.
 * A relay between them records every byte, as someone listening on the LAN would.
 */
import { connect as tcpConnect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger, type Logger } from '../../../../shared/logger';
import { MemoryLogger } from '../../../../shared/test-support/memory-logger';
import { freeTcpPort } from '../../../../server/test-util/ports';
import { systemClock } from '../../../../shared/time/clock';
import { makeLanCertificate } from '../../identity/lan-certificate';
import { WsClient } from '../../client/link/ws-client';
import { embeddedOptions } from '../../test-util/embedded-options';
import { peerDict } from '../../test-util/scripted-server';
import { tcpTap } from '../../test-util/tcp-tap';
import { makeTempDir } from '../../test-util/temp-dir';
import { EmbeddedServer } from './embedded-server';

const temp = makeTempDir('lanrage-lan-tls-');
const opened: { close: () => unknown }[] = [];
afterEach(async () => {
  for (const thing of opened.splice(0).reverse()) await thing.close();
});

const PASSWORD = 'hunter2-on-the-lan';

async function lanServer(name: string, tls = makeLanCertificate(new Date())) {
  const file = `${temp.dir}/${name}.json`;
  const server = await EmbeddedServer.start(embeddedOptions(file, { host: '0.0.0.0', tls }));
  opened.push(server);
  return server;
}

/**
 * What an eavesdropper reads of a client's WebSocket frames: their payloads, unmasked with
 * the key each frame carries (masking is no secrecy). Null when they are not plain frames.
 */
function unmaskedPayloads(sent: Buffer): string | null {
  let at = sent.indexOf('\r\n\r\n');
  if (!sent.subarray(0, 4).equals(Buffer.from('GET ')) || at < 0) return null;
  const payloads: Buffer[] = [];
  for (at += 4; at + 6 <= sent.length;) {
    let length = sent[at + 1]! & 0x7f;
    let head = 2;
    if (length === 126) [length, head] = [sent.readUInt16BE(at + 2), 4];
    if (length === 127) [length, head] = [Number(sent.readBigUInt64BE(at + 2)), 10];
    const mask = sent.subarray(at + head, at + head + 4);
    const body = sent.subarray(at + head + 4, at + head + 4 + length);
    payloads.push(Buffer.from(body.map((byte, i) => byte ^ mask[i % 4]!)));
    at += head + 4 + length;
  }
  return Buffer.concat(payloads).toString('utf8');
}

/** A relay to `port` keeping every byte; `heard` is what a listener reads of them. */
async function tap(port: number): Promise<{ port: number; heard: () => string }> {
  const relay = await tcpTap(port);
  opened.push(relay);
  const heard = () => {
    const sent = relay.sent();
    return `${unmaskedPayloads(sent) ?? sent.toString('latin1')}\n${relay.received().toString('latin1')}`;
  };
  return { port: relay.port, heard };
}

async function client(url: string, logger: Logger = silentLogger): Promise<WsClient> {
  const ws = await WsClient.connect(url, {
    clock: systemClock,
    logger,
    connectTimeoutMs: 3000,
    requestTimeoutMs: 5000,
    onPush: () => {},
    onClose: () => {},
  });
  opened.push(ws);
  return ws;
}

/** Says hello and hosts a party with a password; returns the session token it was given. */
async function hostWithPassword(ws: WsClient, partyId: string, peerId: string): Promise<string> {
  const welcome = await ws.request({ type: 'hello', version: '1.2', client: 'lanrage' });
  const settings = { join_policy: 'password' as const, password: PASSWORD };
  const host_peer = peerDict(peerId);
  await ws.request({ type: 'register_party', party_id: partyId, name: 'LAN', host_peer, settings });
  return (welcome as { session_token: string }).session_token;
}

describe('the embedded server over TLS on the LAN', () => {
  it('says where and with which certificate, and serves TLS only when not on loopback', async () => {
    const tls = makeLanCertificate(new Date());
    const server = await lanServer('a', tls);
    expect(server.tls).toEqual({ port: expect.any(Number) as number, sha256: tls.sha256 });
    expect(server.tls!.port).not.toBe(server.port);
    const local = await EmbeddedServer.start(
      embeddedOptions(`${temp.dir}/b.json`, { host: '127.0.0.1', tls }),
    );
    opened.push(local);
    expect(local.tls).toBeNull();
  });

  it('on the last port there is, TLS takes any free one', async () => {
    const tls = makeLanCertificate(new Date());
    const last = await EmbeddedServer.start(
      embeddedOptions(`${temp.dir}/e.json`, { host: '0.0.0.0', port: 65_535, tls }),
    );
    opened.push(last);
    expect(last.tls!.port).toBeGreaterThan(0);
    expect(last.tls!.port).toBeLessThan(65_535);
  });

  it('a password and a session token cross the wire encrypted with the pin, in the clear without', async () => {
    const server = await lanServer('c');
    const { sha256 } = server.tls!;
    const secure = await tap(server.tls!.port);
    const token = await hostWithPassword(
      await client(`wss://127.0.0.1:${secure.port}/ws?pin=${sha256}`),
      'party_tlsparty1',
      'alice',
    );
    expect(secure.heard()).not.toContain(PASSWORD);
    expect(secure.heard()).not.toContain(token);
    expect(secure.heard()).not.toContain('register_party');
    // The same requests over the plain port, as an app before this one sends them.
    const plain = await tap(server.port);
    const plainToken = await hostWithPassword(
      await client(`ws://127.0.0.1:${plain.port}/ws`),
      'party_tlsparty2',
      'bob',
    );
    expect(plain.heard()).toContain(PASSWORD);
    expect(plain.heard()).toContain(plainToken);
  });

  it('garbage and plain HTTP on the TLS port are dropped; the server goes on serving', async () => {
    const server = await lanServer('f');
    const { port, sha256 } = server.tls!;
    for (const junk of [
      Buffer.from([0x16, 3, 1, 0, 5, 1, 2, 3, 4, 5]),
      'GET /ws HTTP/1.1\r\n\r\n',
    ]) {
      const socket = tcpConnect(port, '127.0.0.1');
      socket.on('error', () => {});
      socket.resume(); // read what comes back (an alert), or the close is never seen
      socket.write(junk);
      await new Promise((resolve) => socket.once('close', resolve));
    }
    const ws = await client(`wss://127.0.0.1:${port}/ws?pin=${sha256}`);
    expect(await ws.request({ type: 'hello', version: '1.2', client: 'lanrage' })).toMatchObject({
      type: 'welcome',
    });
  });

  it('a certificate other than the pinned one is refused before anything is sent', async () => {
    const server = await lanServer('d');
    const otherPin = makeLanCertificate(new Date()).sha256;
    const url = `wss://127.0.0.1:${server.tls!.port}/ws?pin=${otherPin}`;
    await expect(client(url)).rejects.toThrow(
      `Cannot reach the control server at wss://127.0.0.1:${server.tls!.port}/ws: its certificate is not the one announced on the LAN`,
    );
    // Without a pin the self-signed certificate is not trusted at all.
    await expect(client(`wss://127.0.0.1:${server.tls!.port}/ws`)).rejects.toThrow(
      /: its TLS certificate is self-signed, and this PC does not trust it \(DEPTH_ZERO/,
    );
    await expect(
      client(`wss://127.0.0.1:${server.tls!.port}/ws?pin=${server.tls!.sha256}`),
    ).resolves.toBeInstanceOf(WsClient);
  });

  it('a TLS port that does not answer (a firewall) falls back to the plain one, and says so', async () => {
    const server = await lanServer('g');
    const closed = await freeTcpPort();
    const logger = new MemoryLogger();
    const pinned = `wss://127.0.0.1:${closed}/ws?pin=${server.tls!.sha256}&plain=${server.port}`;
    const ws = await client(pinned, logger);
    expect(await ws.request({ type: 'hello', version: '1.2', client: 'lanrage' })).toMatchObject({
      type: 'welcome',
    });
    expect(logger.messages('warn')).toEqual([
      expect.stringMatching(
        new RegExp(`ECONNREFUSED.*; trying ws://127\\.0\\.0\\.1:${server.port}/ws, unencrypted`),
      ),
    ]);
    // A certificate that answers but is not the pinned one is no reason to go plain.
    const otherPin = makeLanCertificate(new Date()).sha256;
    const wrong = `wss://127.0.0.1:${server.tls!.port}/ws?pin=${otherPin}&plain=${server.port}`;
    await expect(client(wrong, logger)).rejects.toThrow(/not the one announced on the LAN/);
    expect(logger.messages('warn')).toHaveLength(1);
  });
});
