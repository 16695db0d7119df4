/**
 * A LAN party whose host freezes (its PC asleep; here its process stopped with SIGSTOP, so
 * its sockets stay open and nothing answers): the guest finds the link silent within about
 * 30 s, says it waits for the host and shows nobody's status, and when the host runs again
 * the party goes on with both online. The host's own page, whose app is the frozen process,
 * says it is not responding rather than what it last heard, and sends nothing asked meanwhile.
 * Two headless instances sharing one LANRAGE_HOME.
 */
import { startHeadless } from './fixtures/processes';
import { expect, snap, test } from './fixtures/test';
import { createParty, joinById } from './fixtures/ui';

test('a host that freezes is waited for as away, and the party goes on when it wakes', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(150_000);
  const home = cleanup.tempDir('away');
  const host = await startHeadless({ home, peerName: 'Alice', instance: 'a' });
  const group = -host.process.child.pid!;
  cleanup.add(() => {
    process.kill(group, 'SIGCONT');
    return host.process.kill();
  });
  const guest = await startHeadless({ home, peerName: 'Bob', instance: 'b' });
  cleanup.add(() => guest.process.kill());
  const alice = await openUi(host.url);
  const bob = await openUi(guest.url);
  await joinById(bob, await createParty(alice, 'Nap Night'));
  const rows = bob.getByTestId('peer-row');
  await expect(rows).toHaveCount(2, { timeout: 15_000 });

  process.kill(group, 'SIGSTOP');
  const hostBar = alice.getByTestId('status-bar');
  // The page asks every 5 s and waits 5 s for an answer.
  await expect(hostBar).toContainText('The LANrage app is not responding', { timeout: 15_000 });
  await expect(alice.locator('.heartbeat-dot')).toHaveAttribute('data-health', 'offline');
  await snap(alice, 'app-not-responding');
  // A Leave clicked meanwhile is refused at once: sent, the app would end the party on waking.
  await alice.getByTestId('leave-party').click();
  await alice.getByTestId('leave-end').check();
  await alice.getByTestId('leave-confirm').click();
  const leave = alice.getByTestId('leave-dialog');
  await expect(leave).toContainText('The LANrage app is not responding, so this was not sent.');
  await leave.getByRole('button', { name: 'Cancel' }).click();
  const bar = bob.getByTestId('status-bar');
  await expect(bar).toContainText("Waiting for the party's host to answer", { timeout: 60_000 });
  await expect(bob.locator('.heartbeat-dot')).toHaveAttribute('data-health', 'late');
  await expect(rows.filter({ hasText: 'status unknown' })).toHaveCount(2);
  await snap(bob, 'host-away');

  process.kill(group, 'SIGCONT');
  await expect(bar).toContainText('No server: in a party hosted on this PC', {
    timeout: 30_000,
  });
  await expect(rows.filter({ hasText: 'online' })).toHaveCount(2, { timeout: 15_000 });
  await snap(bob, 'host-back');
  await expect(hostBar).toContainText('No server: only players on this PC can join', {
    timeout: 15_000,
  });
  await expect(alice.getByTestId('peer-row').filter({ hasText: 'online' })).toHaveCount(2);
});
