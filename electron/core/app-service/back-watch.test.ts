/**
 * "<party> is back" (back-watch.ts): told once per return of a party whose host went away,
 * taken back when it is joined or not heard any more, never for one ended otherwise.
 */
import { describe, expect, it } from 'vitest';
import type { DiscoveredParty, PartyEnded } from '../../../shared/ipc/app-state';
import { ManualClock } from '../test-util/manual-clock';
import { BACK_WITHIN_MS, BackWatch } from './back-watch';

const row = (party_id: string, contested = false): DiscoveredParty => ({
  party_id,
  name: 'Friday Frag',
  host_name: 'Bob',
  peer_count: 1,
  max_peers: 8,
  join_policy: 'open',
  online_count: 1,
  created_at: null,
  where: 'lan',
  address: contested ? null : '10.0.0.5',
  contested,
  host_pin: null,
});

function watching(reason = 'host_left') {
  const clock = new ManualClock();
  const said: string[] = [];
  const notices = {
    offer: (message: string, partyId: string) => said.push(`offer ${partyId}: ${message}`),
    withdraw: (partyId: string) => said.push(`withdraw ${partyId}`),
  };
  const watch = new BackWatch({ clock, notices });
  const ended: PartyEnded = { party_name: 'Friday Frag', reason, message: '', at: '' };
  watch.ended('party_a', ended);
  return { clock, said, watch };
}

const offered = 'offer party_a: Friday Frag is back: its host is hosting it again.';

describe('the “is back” notice', () => {
  it('waits for the party to be missing first: a crashed host’s announcement outlives it', () => {
    const { said, watch } = watching();
    watch.check([row('party_a')], null);
    watch.check([row('party_a')], null);
    expect(said).toEqual([]);
    watch.check([], null);
    watch.check([row('party_a')], null);
    watch.check([row('party_a')], null);
    expect(said).toEqual([offered]);
  });

  it('is told too for a host that stopped answering without saying its PC slept', () => {
    const { said, watch } = watching('host_silent');
    watch.check([], null);
    watch.check([row('party_a')], null);
    expect(said).toEqual([offered]);
  });

  it('is taken back when not heard any more, and told again at the next return', () => {
    const { said, watch } = watching();
    watch.check([], null);
    watch.check([row('party_a')], null);
    watch.check([], null);
    watch.check([row('party_a')], null);
    expect(said).toEqual([offered, 'withdraw party_a', offered]);
  });

  it('is taken back once joined, and never told again for that ending', () => {
    const { said, watch } = watching();
    watch.check([], null);
    watch.check([row('party_a')], null);
    watch.check([], 'party_a');
    watch.check([row('party_a')], null);
    expect(said).toEqual([offered, 'withdraw party_a']);
  });

  it('is not told for a party ended otherwise, one contested, or one back too late', async () => {
    const kicked = watching('kicked');
    kicked.watch.check([], null);
    kicked.watch.check([row('party_a')], null);
    expect(kicked.said).toEqual([]);
    const contested = watching();
    contested.watch.check([], null);
    contested.watch.check([row('party_a', true)], null);
    expect(contested.said).toEqual([]);
    const late = watching();
    late.watch.check([], null);
    await late.clock.advance(BACK_WITHIN_MS + 1);
    late.watch.check([], null);
    late.watch.check([row('party_a')], null);
    expect(late.said).toEqual([]);
  });
});

// Anyone on the LAN can announce a party id a member knows: "its host is hosting it again"
// holds only for the certificate its host showed us.
describe('the “is back” notice and the host’s certificate', () => {
  const PIN = 'A'.repeat(43);
  const pinned = (host_pin: string | null) => ({ ...row('party_a'), host_pin });

  it('is told for the pin its host showed us, never for another PC announcing the party', () => {
    const clock = new ManualClock();
    const said: string[] = [];
    const notices = {
      offer: (message: string, partyId: string) => said.push(`offer ${partyId}: ${message}`),
      withdraw: (partyId: string) => said.push(`withdraw ${partyId}`),
    };
    const watch = new BackWatch({ clock, notices, pinOf: () => PIN });
    const ended: PartyEnded = {
      party_name: 'Friday Frag',
      reason: 'host_left',
      message: '',
      at: '',
    };
    watch.ended('party_a', ended);
    watch.check([], null);
    watch.check([pinned('B'.repeat(43))], null);
    watch.check([pinned(null)], null);
    expect(said).toEqual([]);
    watch.check([pinned(PIN)], null);
    expect(said).toEqual([offered]);
  });

  // Another instance on this PC (discovery.json, in my own home): no LAN PC can write it.
  it('is told for a party hosted on this PC again, which has no pin in its row', () => {
    const clock = new ManualClock();
    const said: string[] = [];
    const notices = { offer: (m: string) => void said.push(m), withdraw: () => undefined };
    const watch = new BackWatch({ clock, notices, pinOf: () => PIN });
    const ended: PartyEnded = {
      party_name: 'Friday Frag',
      reason: 'host_left',
      message: '',
      at: '',
    };
    watch.ended('party_a', ended);
    watch.check([], null);
    watch.check([{ ...pinned(null), where: 'this_pc', address: null }], null);
    expect(said).toHaveLength(1);
  });
});
