import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ID_PATTERN } from '../../../shared/values/ids';
import { generateKeyPair, loadOrCreateIdentity, LOST_KEY_MESSAGE, publicKeyFor } from './identity';
import { MemoryLogger } from '../../../shared/test-support/memory-logger';
import { keysHomeEachTest } from '../test-util/keys-home';

const home = keysHomeEachTest();

const WG_KEY = /^[A-Za-z0-9+/]{43}=$/;

describe('WireGuard keys', () => {
  it('derives the RFC 7748 X25519 public key from its private key', () => {
    const priv = Buffer.from(
      '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a',
      'hex',
    ).toString('base64');
    const expected = Buffer.from(
      '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a',
      'hex',
    ).toString('base64');
    expect(publicKeyFor(priv)).toBe(expected);
  });

  it('generates clamped 32-byte keys in wg’s base64 form', () => {
    const { privateKey, publicKey } = generateKeyPair();
    expect(privateKey).toMatch(WG_KEY);
    expect(publicKey).toMatch(WG_KEY);
    const raw = Buffer.from(privateKey, 'base64');
    expect(raw).toHaveLength(32);
    expect(raw[0]! & 7).toBe(0);
    expect(raw[31]! & 0xc0).toBe(0x40);
    expect(publicKeyFor(privateKey)).toBe(publicKey);
  });
});

describe('loadOrCreateIdentity', () => {
  it('creates the identity once, owner-only, then reuses it', async () => {
    const first = await loadOrCreateIdentity(home.keysDir);
    expect(first.peerId).toMatch(/^peer_/);
    expect(first.peerId).toMatch(ID_PATTERN);
    expect(publicKeyFor(first.privateKey)).toBe(first.publicKey);
    expect(statSync(home.keysDir).mode & 0o777).toBe(0o700);
    for (const file of readdirSync(home.keysDir)) {
      expect(statSync(join(home.keysDir, file)).mode & 0o777).toBe(0o600);
    }
    expect(readFileSync(join(home.keysDir, 'public.key'), 'utf8').trim()).toBe(first.publicKey);
    expect(await loadOrCreateIdentity(home.keysDir)).toEqual(first);
  });

  it('sets a corrupt private key aside, reports it, and makes a new pair', async () => {
    const first = await loadOrCreateIdentity(home.keysDir);
    writeFileSync(join(home.keysDir, 'private.key'), 'garbage');
    const logger = new MemoryLogger();
    const second = await loadOrCreateIdentity(home.keysDir, logger);
    expect(second.peerId).toBe(first.peerId);
    expect(second.privateKey).not.toBe(first.privateKey);
    const aside = readdirSync(home.keysDir).filter((f) => f.startsWith('private.key.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(home.keysDir, aside[0]!), 'utf8')).toBe('garbage');
    expect(logger.messages('warn').join('\n')).toMatch(/private\.key/);
  });

  it('sets a corrupt peer id aside and makes a new one', async () => {
    await loadOrCreateIdentity(home.keysDir);
    writeFileSync(join(home.keysDir, 'peer_id'), 'not a valid id!!');
    const logger = new MemoryLogger();
    const again = await loadOrCreateIdentity(home.keysDir, logger);
    expect(again.peerId).toMatch(ID_PATTERN);
    expect(readdirSync(home.keysDir).some((f) => f.startsWith('peer_id.corrupt-'))).toBe(true);
    expect(logger.messages('warn')).toHaveLength(1);
  });

  it('rewrites a public key that does not match the private key', async () => {
    const first = await loadOrCreateIdentity(home.keysDir);
    writeFileSync(join(home.keysDir, 'public.key'), generateKeyPair().publicKey);
    const again = await loadOrCreateIdentity(home.keysDir, new MemoryLogger());
    expect(again.publicKey).toBe(first.publicKey);
  });

  it('keeps a "keys" file aside, makes a new identity and tells the user it changed', async () => {
    writeFileSync(home.keysDir, 'a file where the directory should be');
    const reports: string[] = [];
    const identity = await loadOrCreateIdentity(home.keysDir, new MemoryLogger(), (m) =>
      reports.push(m),
    );
    expect(identity.peerId).toMatch(ID_PATTERN);
    expect(statSync(home.keysDir).isDirectory()).toBe(true);
    const aside = readdirSync(home.dir).filter((f) => f.startsWith('keys.corrupt-'));
    expect(readFileSync(join(home.dir, aside[0]!), 'utf8')).toBe(
      'a file where the directory should be',
    );
    expect(reports).toEqual([
      expect.stringMatching(/^Your LANrage identity changed: .*keys\.corrupt-/),
    ]);
  });

  it('tells the user when a corrupt private key made their identity change', async () => {
    await loadOrCreateIdentity(home.keysDir);
    writeFileSync(join(home.keysDir, 'private.key'), 'garbage');
    const reports: string[] = [];
    await loadOrCreateIdentity(home.keysDir, new MemoryLogger(), (m) => reports.push(m));
    expect(reports).toEqual([expect.stringContaining('private.key.corrupt-')]);
    expect(reports[0]).toMatch(/identity changed/);
  });

  it('keeps an unreadable private key (a folder in its place) aside instead of failing', async () => {
    const first = await loadOrCreateIdentity(home.keysDir);
    rmSync(join(home.keysDir, 'private.key'));
    mkdirSync(join(home.keysDir, 'private.key'));
    const reports: string[] = [];
    const again = await loadOrCreateIdentity(home.keysDir, new MemoryLogger(), (m) =>
      reports.push(m),
    );
    expect(again.peerId).toBe(first.peerId);
    expect(again.privateKey).not.toBe(first.privateKey);
    expect(readdirSync(home.keysDir).some((f) => f.startsWith('private.key.corrupt-'))).toBe(true);
    expect(reports).toHaveLength(1);
  });

  it('a deleted identity.key gets a new key and a new peer id (the old id stays bound to the lost key), and says so', async () => {
    const first = await loadOrCreateIdentity(home.keysDir);
    rmSync(join(home.keysDir, 'identity.key'));
    const reports: string[] = [];
    const again = await loadOrCreateIdentity(home.keysDir, new MemoryLogger(), (m) =>
      reports.push(m),
    );
    expect(again.identityKey).not.toBe(first.identityKey);
    expect(again.peerId).not.toBe(first.peerId);
    expect(again.privateKey).toBe(first.privateKey);
    expect(reports).toEqual([LOST_KEY_MESSAGE]);
    // And from then on it is the identity again, with nothing to report.
    const third: string[] = [];
    expect(
      await loadOrCreateIdentity(home.keysDir, new MemoryLogger(), (m) => third.push(m)),
    ).toEqual(again);
    expect(third).toEqual([]);
  });

  it('an installation from before identity keys keeps its peer id when its key is first made', async () => {
    const first = await loadOrCreateIdentity(home.keysDir);
    rmSync(join(home.keysDir, 'identity.key'));
    rmSync(join(home.keysDir, 'identity.pub'));
    const reports: string[] = [];
    const again = await loadOrCreateIdentity(home.keysDir, new MemoryLogger(), (m) =>
      reports.push(m),
    );
    expect(again.peerId).toBe(first.peerId);
    expect(reports).toEqual([]);
  });

  it('does not call a public key rebuilt from its private key an identity change', async () => {
    await loadOrCreateIdentity(home.keysDir);
    writeFileSync(join(home.keysDir, 'public.key'), generateKeyPair().publicKey);
    const reports: string[] = [];
    await loadOrCreateIdentity(home.keysDir, new MemoryLogger(), (m) => reports.push(m));
    expect(reports).toEqual([]);
  });

  it('uses a temporary identity, and says so, when nothing can be written', async () => {
    writeFileSync(join(home.dir, 'home'), 'not a folder');
    const reports: string[] = [];
    const identity = await loadOrCreateIdentity(
      join(home.dir, 'home', 'keys'),
      new MemoryLogger(),
      (m) => reports.push(m),
    );
    expect(identity.peerId).toMatch(ID_PATTERN);
    expect(publicKeyFor(identity.privateKey)).toBe(identity.publicKey);
    expect(reports).toEqual([
      expect.stringMatching(
        /^LANrage cannot save your identity in .*keys \(a file is where its folder should be\)\. It is using a temporary one/,
      ),
    ]);
  });
});
