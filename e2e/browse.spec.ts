/**
 * Browse (issue 10): public parties on a real control server, listed newest first with
 * their counts, limits and marks, searched by name, paged with next_cursor, joined from
 * the list. Most parties are hosted by raw ws clients so the list can pass a page.
 */
import { SimPeer } from '../bench/ui/sims';
import { checkEveryLook } from './fixtures/a11y';
import { createWith, remoteSetUp } from './fixtures/access';
import { expect, snap, test } from './fixtures/test';
import { expectPeers } from './fixtures/ui';

const CREATION_FLAGS = [
  '--parties-per-minute',
  '0',
  '--max-parties-per-ip',
  '0',
  '--max-parties-per-peer',
  '0',
];

function hostPeer(peerId: string, name: string) {
  return {
    peer_id: peerId,
    name,
    public_key: Buffer.from(peerId.padEnd(32, '=')).toString('base64').slice(0, 44),
    nat_type: 'full_cone',
    public_ip: '203.0.113.7',
    public_port: 51820,
    local_ip: '192.168.1.7',
    local_port: 51820,
    last_seen: new Date().toISOString(),
  };
}

/** `count` public parties "Public 01"…, oldest first; the last is locked, one asks a password. */
async function hostPublicParties(url: string, count: number): Promise<SimPeer> {
  const sim = new SimPeer('browse_host');
  await sim.connect(url);
  await sim.request({ type: 'hello', version: '1.2', client: 'lanrage-e2e' });
  for (let i = 1; i <= count; i++) {
    const label = String(i).padStart(2, '0');
    const answer = await sim.request({
      type: 'register_party',
      party_id: `party_browse_${label}`,
      name: `Public ${label}`,
      host_peer: hostPeer(sim.peerId, 'Robo Host'),
      settings: {
        visibility: 'public',
        max_peers: 10,
        locked: i === count,
        ...(i === 3 ? { join_policy: 'password', password: 'pw-three' } : {}),
      },
    });
    if (answer.type !== 'party_update') throw new Error(`register answered ${answer.type}`);
    // Two parties made in one millisecond are listed by id, the older first: 21 came before 22
    // in a CI run. Each gets a millisecond of its own, so "newest first" decides the order.
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return sim;
}

test('Browse lists public parties newest first, pages on, searches by name and joins one', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(120_000);
  const { server, ui } = await remoteSetUp({ cleanup, openUi }, CREATION_FLAGS);
  const sim = await hostPublicParties(server.url, 22);
  cleanup.add(() => sim.close());
  const alice = await ui('Alice');
  await createWith(alice, 'Friday Frag', {
    policy: 'password',
    password: 'frag-pass',
    listed: true,
  });
  const bob = await ui('Bob');

  await bob.getByTestId('open-browse').click();
  await expect(bob.getByRole('heading', { level: 1 })).toHaveText('Public parties');
  const rows = bob.getByTestId('browse-party');
  await expect(rows).toHaveCount(20);
  const first = rows.first();
  await expect(first).toContainText('Friday Frag');
  await expect(first).toContainText('hosted by Alice');
  await expect(first.getByTestId('browse-count')).toHaveText('1 of 8 players');
  await expect(first.getByTestId('browse-access')).toContainText('Password');
  // The newest raw party is the locked one: marked, and its Join is off.
  await expect(rows.nth(1)).toContainText('Public 22');
  await expect(rows.nth(1).getByTestId('browse-access')).toContainText('Locked');
  await expect(rows.nth(1).getByTestId('browse-join')).toBeDisabled();
  await checkEveryLook(bob, 'browse-list');

  await bob.getByTestId('browse-more').click();
  await expect(rows).toHaveCount(23);
  await expect(rows.last()).toContainText('Public 01');
  await expect(bob.getByTestId('browse-more')).toHaveCount(0);
  await snap(bob, 'browse-all-pages');

  await bob.getByTestId('browse-query').fill('frag');
  await bob.getByTestId('browse-query').press('Enter');
  await expect(rows).toHaveCount(1);
  // Focus stays in the search box: a polite status says what was found (a11y M5).
  await expect(bob.getByTestId('browse-query')).toBeFocused();
  await expect(bob.getByTestId('browse-status')).toHaveText('1 party found');
  await bob.getByTestId('browse-query').fill('no such party');
  await bob.getByTestId('browse-search').click();
  await expect(bob.getByTestId('browse-empty')).toBeVisible();
  await expect(bob.getByTestId('browse-status')).toHaveText('No party found');
  await bob.getByTestId('browse-query').fill('FRAG');
  await bob.getByTestId('browse-search').click();
  await expect(rows).toHaveCount(1);

  await rows.first().getByTestId('browse-join').click();
  const dialog = bob.getByTestId('join-dialog');
  await expect(dialog).toContainText('Friday Frag');
  await expect(bob.getByTestId('join-password')).toBeVisible();
  await snap(bob, 'browse-join-password');
  await bob.getByTestId('join-password').fill('frag-pass');
  await bob.getByTestId('join-submit').click();
  await expect(bob.getByTestId('party-view')).toBeVisible();
  await expectPeers(alice, ['Alice', 'Bob'], 'Alice', 'Alice');
});
