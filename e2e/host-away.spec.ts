/**
 * A LAN party whose host freezes (here its process stopped with SIGSTOP, so its sockets stay
 * open and nothing answers). Its PC going to sleep says so first (SIGUSR2, headless mode's
 * stand-in for the desktop's powerMonitor `suspend`): the guest shows the host asleep, finds
 * the link silent within about 30 s, says it waits for the host to wake and shows nobody's
 * status, and when the host runs again the party goes on with both online. The host's own
 * page, whose app is the frozen process, says it is not responding rather than what it last
 * heard, and sends nothing asked meanwhile. A host that freezes without saying so (a crash, a
 * power cut) is waited for one heartbeat-health period, then the party ends saying so.
 * Two headless instances sharing one LANRAGE_HOME.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startHeadless } from './fixtures/processes';
import { expect, snap, test, type Fixtures } from './fixtures/test';
import { createParty, joinById } from './fixtures/ui';

/**
 * Alice hosts `partyName` on this PC (her app's process group can be stopped: `group`), Bob
 * joins from a second instance on the same home; both pages open, Bob seeing both rows.
 */
async function hostAndGuest(
  { cleanup, openUi }: Fixtures,
  home: string,
  partyName: string,
): Promise<{ hostPid: number; group: number; alice: Page; bob: Page }> {
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
  await joinById(bob, await createParty(alice, partyName));
  await expect(bob.getByTestId('peer-row')).toHaveCount(2, { timeout: 15_000 });
  return { hostPid: host.process.child.pid!, group, alice, bob };
}

test('a host whose PC goes to sleep says so, is waited for, and the party goes on when it wakes', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(150_000);
  const home = cleanup.tempDir('away');
  const { hostPid, group, alice, bob } = await hostAndGuest({ cleanup, openUi }, home, 'Nap Night');
  const rows = bob.getByTestId('peer-row');

  // Its PC is going to sleep: the guest sees the host asleep.
  process.kill(hostPid, 'SIGUSR2');
  await expect(rows.filter({ hasText: 'asleep for' })).toHaveCount(1, { timeout: 15_000 });
  await snap(bob, 'host-asleep');
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
  await expect(bar).toContainText("Waiting for the party's host to wake: its PC went to sleep", {
    timeout: 60_000,
  });
  await expect(bob.locator('.heartbeat-dot')).toHaveAttribute('data-health', 'late');
  await expect(rows.filter({ hasText: 'status unknown' })).toHaveCount(2);
  await snap(bob, 'host-away');

  process.kill(group, 'SIGCONT');
  await expect(bar).toContainText('No server: in a party hosted on this PC', {
    timeout: 30_000,
  });
  // Awake, it beats (a beat overdue runs as soon as it does): online again.
  await expect(rows.filter({ hasText: 'online' })).toHaveCount(2, { timeout: 30_000 });
  await snap(bob, 'host-back');
  await expect(hostBar).toContainText('No server: only players on this PC can join', {
    timeout: 15_000,
  });
  await expect(alice.getByTestId('peer-row').filter({ hasText: 'online' })).toHaveCount(2);
});

test('a host that freezes without saying its PC went to sleep: the party ends, saying so', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(150_000);
  const home = cleanup.tempDir('silent');
  // A beat every 5 s: one heartbeat-health period (the wait) is 10 s, not a minute.
  writeFileSync(join(home, 'config.json'), JSON.stringify({ heartbeat_interval: 5 }));
  const { group, bob } = await hostAndGuest({ cleanup, openUi }, home, 'Power Cut');

  process.kill(group, 'SIGSTOP');
  const bar = bob.getByTestId('status-bar');
  await expect(bar).toContainText(
    "Waiting for the party's host to answer: the party ends if it is not back within 10\u00a0s",
    { timeout: 60_000 },
  );
  await expect(bob.getByTestId('party-ended-reason')).toHaveText(
    'Alice stopped answering, so the party ended: their PC may have crashed or lost power',
    { timeout: 40_000 },
  );
  await snap(bob, 'host-silent-ended');
});
