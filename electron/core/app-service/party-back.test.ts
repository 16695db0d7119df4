/**
 * "<party> is back": a LAN host whose app crashed comes back with the same party after its
 * guest's relinks gave up ("The host left"). The guest, joined at its link's address on a
 * network dropping mDNS, finds it there again (hosting/at-watch.ts) and is told, with a Join;
 * a party the guest left itself is listed again but not announced as back.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DiscoveredParty, Notice, StateEvent } from '../../../shared/ipc/app-state';
import { silentLogger } from '../../../shared/logger';
import { Config } from '../config/config';
import { makeLanCertificate, type LanCertificate } from '../identity/lan-certificate';
import { loadOrCreateIdentity } from '../identity/identity';
import { EmbeddedServer } from '../hosting/embedded/embedded-server';
import { LocalControlPlane } from '../local/control-plane';
import { appValue } from '../test-util/app-calls';
import { call, localAppHarness, until } from '../test-util/local-app-harness';
import { waitFor } from '../test-util/child-process';
import { embeddedOptions } from '../test-util/embedded-options';
import { lanHost, PARTY, rig, tapped, useLanRig } from '../test-util/lan-rig';
import { localEnv } from '../test-util/local-plane';
import { createAppService } from './app-service';
import type { AppService } from './types';

useLanRig();

/** The guest's app: its LAN hears nothing (mDNS dropped), its watch looks every 200 ms. */
async function guestApp() {
  const env = { ...localEnv(rig.dir, 'guest'), LANRAGE_PEER_NAME: 'Gus' };
  const config = Config.load({ env });
  const identity = await loadOrCreateIdentity(config.keysDir);
  const events: StateEvent[] = [];
  const service: AppService = await createAppService({
    config,
    identity,
    createControlPlane: (c) => {
      const plane = new LocalControlPlane(c, {
        logger: silentLogger,
        saveDelayMs: 0,
        atWatch: { everyMs: 200 },
      });
      const silent = { hosts: () => new Map(), onChange: () => () => undefined, ask: () => {} };
      plane.hosting.addSource(silent);
      return plane;
    },
    localIp: () => '127.0.0.1',
    logger: silentLogger,
  });
  rig.closers.push(() => service.close());
  service.onStateEvent((event) => events.push(event));
  const last = <T extends StateEvent['type']>(type: T) =>
    events.filter((e): e is Extract<StateEvent, { type: T }> => e.type === type).at(-1);
  const notices = (): Notice[] => last('notices')?.notices ?? [];
  const nearby = (): DiscoveredParty[] => last('discovered')?.parties ?? [];
  return { service, events, notices, nearby };
}

/** A host whose app crashes (its file as the crash left it) and can be started again. */
async function crashingHost(tls: LanCertificate) {
  const first = await lanHost('host', false, tls);
  const network = await tapped(first.tls!.port);
  const file = `${rig.dir}/host.json`;
  let tap = network;
  return {
    port: network.port,
    file,
    crash: async (): Promise<void> => {
      const left = readFileSync(file, 'utf8');
      await tap.close();
      await first.close();
      writeFileSync(file, left);
    },
    restart: async (): Promise<void> => {
      const back = await EmbeddedServer.start(embeddedOptions(file, { host: '0.0.0.0', tls }));
      rig.closers.push(() => back.close());
      tap = await tapped(back.tls!.port, network.port);
    },
  };
}

const isBack = (n: Notice) =>
  n.join_party_id === PARTY && n.message === 'LAN is back: its host is hosting it again.';

describe('a party whose host went away and came back', () => {
  it('is told back once it is there again, and its Join rejoins it', async () => {
    const tls = makeLanCertificate(new Date());
    const host = await crashingHost(tls);
    const guest = await guestApp();
    const invite = `lanrage://join/${PARTY}?pin=${tls.sha256}&at=127.0.0.1:${host.port}`;
    await appValue(guest.service, 'joinParty', { invite });
    await waitFor(() => readFileSync(host.file, 'utf8').includes('Gus'), 3000);
    await host.crash();
    // The relinks (about 5 s) give up: "The host left".
    const ended = () =>
      guest.events.some((e) => e.type === 'ended' && e.ended?.reason === 'host_left');
    await waitFor(ended, 10_000);
    expect(guest.notices().some(isBack)).toBe(false);
    await host.restart();
    await waitFor(() => guest.notices().some(isBack), 5000);
    expect(guest.notices().filter(isBack)).toHaveLength(1);
    expect(guest.nearby().map((p) => p.party_id)).toEqual([PARTY]);
    // Its Join is the nearby row's: the link naming the party and its host's pin.
    await appValue(guest.service, 'joinParty', {
      invite: `lanrage://join/${PARTY}?pin=${tls.sha256}`,
    });
    await waitFor(() => !guest.notices().some(isBack), 3000);
    const state = await appValue<{ party: { party_id: string } | null }>(guest.service, 'getState');
    expect(state.party?.party_id).toBe(PARTY);
  });

  it('left by the guest itself, is listed again after a crash but never told back', async () => {
    const tls = makeLanCertificate(new Date());
    const host = await crashingHost(tls);
    const guest = await guestApp();
    const invite = `lanrage://join/${PARTY}?pin=${tls.sha256}&at=127.0.0.1:${host.port}`;
    await appValue(guest.service, 'joinParty', { invite });
    await appValue(guest.service, 'leaveParty', {});
    await waitFor(() => guest.nearby().some((p) => p.party_id === PARTY), 5000);
    await host.crash();
    await waitFor(() => guest.nearby().length === 0, 5000);
    await host.restart();
    await waitFor(() => guest.nearby().some((p) => p.party_id === PARTY), 5000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(guest.notices().filter((n) => n.join_party_id !== undefined)).toEqual([]);
  });
});

const { instance } = localAppHarness();

describe('a party on this PC whose host app went away and came back', () => {
  it('is told back to its guest once listed again', async () => {
    const host = await instance('Alice');
    await call(host, 'createParty', { name: 'Gaming Night' });
    const partyId = host.service.snapshot().party!.party_id;
    const guest = await instance('Bob');
    expect((await call(guest, 'joinParty', { invite: partyId })).ok).toBe(true);
    const stateFile = host.planes[0]!.stateFile;
    await until(() => readFileSync(stateFile, 'utf8').includes(partyId));
    const state = readFileSync(stateFile, 'utf8');
    // Quit, its state file put back as a crash would have left it.
    await host.service.close();
    writeFileSync(stateFile, state);
    const ended = (e: StateEvent) => e.type === 'ended' && e.ended?.reason === 'host_left';
    await until(() => guest.events.some(ended), 'host left');
    const back = (e: StateEvent) =>
      e.type === 'notices' &&
      e.notices.some(
        (n) => n.join_party_id === partyId && n.message.startsWith('Gaming Night is back'),
      );
    expect(guest.events.some(back)).toBe(false);
    await instance('Alice');
    await until(() => guest.events.some(back), 'is back');
  });
});
