/**
 * A LAN host gone silent (its PC asleep, its network gone): the party is waited for, shown as
 * "host away" (nobody's status known), and ends at once when the host's machine answers that
 * nothing listens any more. Before, it ended as soon as the LAN stopped listing the host, five
 * seconds into a sleep. How long it is waited for (silent-host.ts): as long as its server keeps
 * silent members when its PC said it was going to sleep (protocol 1.12), else one
 * heartbeat-health period (two intervals), then the party ends saying the host stopped
 * answering: before, a host that lost power was waited for the whole peer timeout too.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canSeeOthers } from '../../../shared/status';
import { statusText } from '../../../shared/status-words';
import { PartyInfo } from '../../../shared/model';
import { Config } from '../config/config';
import { ManualClock } from '../test-util/manual-clock';
import { makePeer } from '../test-util/fixtures';
import { localEnv } from '../test-util/local-plane';
import { makeTempDir } from '../test-util/temp-dir';
import { LocalControlPlane } from './control-plane';
import type { DiscoveredHost } from '../hosting/discovery-board';
import { silentLogger } from '../../../shared/logger';
import { CLOSE_SILENT } from '../client/link/ws-client';
import { PresenceStatus } from '../../../shared/presence';

const HOST = 'ws://192.0.2.7:8666/ws';
const PATIENCE = 60_000;

/** A guest whose host is never listed and never answers (or refuses, once told to). */
class GuestOfSilentHost extends LocalControlPlane {
  attempts = 0;
  refuse = false;
  /** This PC's own network is gone: no route to the host. */
  offNetwork = false;

  /** In `party` as bob, served by HOST. */
  hold(party: PartyInfo): void {
    this.commit(party.partyId, { party, events: [] });
    this.myPeerId = 'bob';
    this.myPartyId = party.partyId;
    this.localHomes.set(party.partyId, HOST);
  }

  lose(patienceMs: number): Promise<void> {
    return this.recoverLocal(HOST, patienceMs);
  }

  private recovering: Promise<void> | null = null;

  protected override recoverLocal(url: string, patienceMs?: number, asleep?: boolean) {
    return (this.recovering = super.recoverLocal(url, patienceMs, asleep));
  }

  /** The link to HOST found silent, as the link's liveness check ends it. */
  goesSilent(): Promise<void> {
    this.linkLost(HOST, CLOSE_SILENT);
    return this.recovering!;
  }

  /** The host's server said its PC is going to sleep (peer_status `asleep`, 1.12). */
  hostSaysItSleeps(): void {
    const asleep = {
      status: PresenceStatus.ASLEEP,
      last_seen: new Date().toISOString(),
      rtt_ms: 9,
    };
    this.setPresence('party_lan', new Map([['alice', asleep]]));
  }

  protected override locateHosts(): Promise<DiscoveredHost[]> {
    return Promise.resolve([]);
  }

  protected override connectTo(): Promise<void> {
    this.attempts++;
    const code = this.refuse ? 'ECONNREFUSED' : this.offNetwork ? 'ENETUNREACH' : 'ETIMEDOUT';
    const cause = { code };
    return Promise.reject(Object.assign(new Error('unreachable'), { cause }));
  }
}

let temp: ReturnType<typeof makeTempDir>;

/** Why the guest's parties ended, in order (party_closed's reason). */
function closeReasons(): string[] {
  const reasons: string[] = [];
  guest.subscribe((c) => {
    if (c.kind !== 'party') return;
    for (const e of c.events) if (e.type === 'party_closed') reasons.push(e.reason);
  });
  return reasons;
}
let guest: GuestOfSilentHost;
let clock: ManualClock;

beforeEach(async () => {
  temp = makeTempDir('lanrage-host-away-');
  clock = new ManualClock();
  const config = Config.load({ env: localEnv(temp.dir, 'guest') });
  guest = new GuestOfSilentHost(config, { clock, logger: silentLogger, saveDelayMs: 0 });
  await guest.initialize();
  guest.hold(
    new PartyInfo({
      partyId: 'party_lan',
      name: 'LAN',
      hostId: 'alice',
      createdAt: new Date(clock.now()),
      peers: new Map([
        ['alice', makePeer('alice')],
        ['bob', makePeer('bob')],
      ]),
    }),
  );
});
afterEach(async () => {
  await guest.close();
  temp.cleanup();
});

describe('a LAN host gone silent', () => {
  it('is waited for, unlisted, as host away, and the party ends when the wait does', async () => {
    const lost = guest.lose(PATIENCE);
    await clock.advance(PATIENCE / 2);
    expect(guest.parties.has('party_lan')).toBe(true);
    expect(guest.status().hostAway).toBe(true);
    expect(canSeeOthers(guest.status())).toBe(false);
    expect(guest.attempts).toBeGreaterThan(5);
    await clock.advance(PATIENCE / 2 + 10_000);
    await lost;
    expect(guest.parties.has('party_lan')).toBe(false);
    expect(guest.status().hostAway).toBe(false);
  });

  it('says so when it is this PC that lost its network, not the host', async () => {
    guest.offNetwork = true;
    const lost = guest.lose(PATIENCE);
    await clock.advance(5000);
    // It said "its PC may be asleep": the gamer went to check the host's PC.
    expect(statusText(guest.status(), 'member')).toBe(
      "This PC has lost its network: waiting for it to reach the party's host again",
    );
    guest.offNetwork = false;
    await clock.advance(5000);
    expect(statusText(guest.status(), 'member')).toBe(
      "Waiting for the party's host to answer: the party ends if it is not back within 1\u00a0min",
    );
    await clock.advance(PATIENCE);
    await lost;
    expect(guest.status().noNetwork).toBe(false);
  });

  it('silent without saying its PC went to sleep: ends after two heartbeat intervals, in words', async () => {
    const reasons = closeReasons();
    const lost = guest.goesSilent();
    // The config's heartbeat interval (30 s): one health period is a minute.
    await clock.advance(55_000);
    expect(guest.parties.has('party_lan')).toBe(true);
    expect(guest.status()).toMatchObject({ hostAway: true, hostAsleep: false });
    await clock.advance(10_000);
    await lost;
    expect(guest.parties.has('party_lan')).toBe(false);
    expect(reasons).toEqual(['host_silent']);
  });

  it('its PC said it went to sleep: waited for as long as its server keeps silent members', async () => {
    const reasons = closeReasons();
    guest.hostSaysItSleeps();
    const lost = guest.goesSilent();
    await clock.advance(4 * 60_000);
    expect(guest.parties.has('party_lan')).toBe(true);
    expect(statusText(guest.status(), 'member')).toBe(
      "Waiting for the party's host to wake: its PC went to sleep",
    );
    // The config's peer timeout (5 min): it did not wake in time.
    await clock.advance(70_000);
    await lost;
    expect(guest.parties.has('party_lan')).toBe(false);
    expect(reasons).toEqual(['host_left']);
    expect(guest.status()).toMatchObject({ hostAway: false, hostAsleep: false });
  });

  it('leaving while the host is away ends the wait; the app is no longer shown waiting', async () => {
    const lost = guest.lose(PATIENCE);
    await clock.advance(5000);
    await guest.leaveParty('party_lan', 'bob');
    expect(guest.parties.has('party_lan')).toBe(false);
    await clock.advance(5000);
    await lost;
    expect(guest.status().hostAway).toBe(false);
  });

  it('ends soon once the host machine refuses the connection: LANrage is gone there', async () => {
    guest.refuse = true;
    const lost = guest.lose(PATIENCE);
    await clock.advance(6000);
    await lost;
    expect(guest.parties.has('party_lan')).toBe(false);
  });

  it('a party handed to me ends, when the app serving it is gone, without "the host left"', async () => {
    const party = guest.parties.get('party_lan')!;
    guest.hold(party.with({ hostId: 'bob' }));
    const reasons: string[] = [];
    guest.subscribe((c) => {
      if (c.kind !== 'party') return;
      for (const e of c.events) if (e.type === 'party_closed') reasons.push(e.reason);
    });
    guest.refuse = true; // its first host's LANrage crashed or quit
    const lost = guest.lose(PATIENCE);
    await clock.advance(6000);
    await lost;
    expect(reasons).toEqual(['server_left']);
  });

  it('a link lost otherwise ends the party as soon as the host is not listed', async () => {
    await guest.lose(0);
    expect(guest.parties.has('party_lan')).toBe(false);
    expect(guest.attempts).toBe(0);
  });
});
