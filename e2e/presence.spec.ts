/**
 * Presence and host hand-over with a real control server (heartbeat interval 1 s) and
 * three headless instances, each in its own browser page.
 */
import type { Page } from '@playwright/test';
import { startControlServer, startHeadless, type HeadlessInstance } from './fixtures/processes';
import { expect, snap, test, type Fixtures } from './fixtures/test';
import { createParty, joinById, peerRow } from './fixtures/ui';

const NAMES = ['Alice', 'Bob', 'Cid'] as const;
type Name = (typeof NAMES)[number];

async function setUp({ cleanup, openUi }: Fixtures) {
  const server = await startControlServer(cleanup.tempDir('server'), 0, [
    '--heartbeat-interval',
    '1',
  ]);
  cleanup.add(() => server.process.kill());
  const homes = Object.fromEntries(NAMES.map((n) => [n, cleanup.tempDir(n)])) as Record<
    Name,
    string
  >;
  const processes: Partial<Record<Name, HeadlessInstance>> = {};
  const start = async (name: Name): Promise<Page> => {
    const instance = await startHeadless({
      home: homes[name],
      peerName: name,
      controlServer: server.url,
    });
    processes[name] = instance;
    cleanup.add(() => instance.process.kill());
    const page = await openUi(instance.url);
    await expect(page.getByTestId('status-bar')).toHaveAttribute('data-state', 'connected');
    return page;
  };
  const pages = { Alice: await start('Alice'), Bob: await start('Bob'), Cid: await start('Cid') };
  const partyId = await createParty(pages.Alice, 'Presence Night');
  await joinById(pages.Bob, partyId);
  await joinById(pages.Cid, partyId);
  for (const page of Object.values(pages)) await expectAllOnline(page, [...NAMES]);
  const kill = (name: Name) => processes[name]!.process.kill('SIGKILL');
  return { pages, start, kill };
}

async function expectAllOnline(page: Page, names: string[]): Promise<void> {
  await expect(page.getByTestId('peer-row')).toHaveCount(names.length);
  for (const name of names) {
    await expect(peerRow(page, name)).toHaveAttribute('data-presence', 'online');
  }
}

async function expectHost(page: Page, name: string): Promise<void> {
  await expect(page.getByTestId('host-badge')).toHaveCount(1);
  await expect(peerRow(page, name).getByTestId('host-badge')).toBeVisible();
}

test('steady beats keep everyone online; a SIGKILLed member is offline within 3 s and back when it returns; the host hands over from the Leave dialog', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(150_000);
  const { pages, start, kill } = await setUp({ cleanup, openUi });

  // 30 s of steady heartbeats (interval 1 s): nobody is ever shown anything but online.
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    for (const page of Object.values(pages)) {
      await expect(
        page.locator('[data-testid="peer-row"]:not([data-presence="online"])'),
      ).toHaveCount(0, {
        timeout: 100,
      });
    }
    await pages.Alice.waitForTimeout(1000);
  }
  await expect(peerRow(pages.Bob, 'Alice').getByTestId('peer-ping')).toContainText(/\d+ ms/);
  await snap(pages.Bob, 'presence-all-online');

  const killed = Date.now();
  await kill('Cid');
  for (const page of [pages.Alice, pages.Bob]) {
    await expect(peerRow(page, 'Cid')).toHaveAttribute('data-presence', 'offline', {
      timeout: 3000,
    });
  }
  expect(Date.now() - killed).toBeLessThan(3000);
  await expect(peerRow(pages.Bob, 'Cid').getByTestId('peer-state')).toContainText(
    /offline for \d+ s, removed in \d+ min/,
  );
  await expect(pages.Bob.getByTestId('activity-entry').first()).toContainText('Cid went offline');
  await snap(pages.Bob, 'presence-member-offline');

  const cid = await start('Cid');
  for (const page of [pages.Alice, pages.Bob]) {
    await expect(peerRow(page, 'Cid')).toHaveAttribute('data-presence', 'online', {
      timeout: 15_000,
    });
  }
  await expect(pages.Bob.getByTestId('activity-entry').first()).toContainText('Cid is back online');
  await expectAllOnline(cid, [...NAMES]);

  // The host leaves: the dialog offers to hand over to the longest-present member (Bob).
  await pages.Alice.getByTestId('leave-party').click();
  const dialog = pages.Alice.getByTestId('leave-dialog');
  await expect(dialog).toContainText('Hand over to Bob');
  await expect(dialog).toContainText('End the party for everyone');
  await expect(pages.Alice.getByTestId('leave-hand-over')).toBeChecked();
  await snap(pages.Alice, 'presence-leave-dialog');
  await pages.Alice.getByTestId('leave-confirm').click();
  await expect(pages.Alice.getByTestId('create-party-button')).toBeVisible();
  for (const page of [pages.Bob, cid]) {
    await expect(page.getByTestId('peer-row')).toHaveCount(2);
    await expectHost(page, 'Bob');
  }
  await expect(cid.getByTestId('activity-list')).toContainText('Bob is now the host (handed over)');
  await snap(cid, 'presence-handed-over');
});

test('with hand-over on, a killed host is replaced by the longest-present member; a guest sees why the party ended', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(120_000);
  const { pages, kill } = await setUp({ cleanup, openUi });
  await kill('Alice');
  // Offline at once (connection closed), host after two more intervals (2 s).
  for (const page of [pages.Bob, pages.Cid]) {
    await expect(peerRow(page, 'Alice')).toHaveAttribute('data-presence', 'offline', {
      timeout: 3000,
    });
    await expectHost(page, 'Bob');
  }
  await expect(pages.Cid.getByTestId('activity-list')).toContainText(
    'Bob is now the host (the host went offline)',
  );
  await snap(pages.Cid, 'presence-host-migrated');

  // Bob, now host, ends the party for everyone: Cid is told why, until dismissing it.
  await pages.Bob.getByTestId('leave-party').click();
  await pages.Bob.getByTestId('leave-end').check();
  await pages.Bob.getByTestId('leave-confirm').click();
  await expect(pages.Bob.getByTestId('create-party-button')).toBeVisible();
  await expect(pages.Bob.getByTestId('party-ended')).toBeHidden();
  const ended = pages.Cid.getByTestId('party-ended');
  await expect(ended).toContainText('The host ended the party');
  await expect(ended).toContainText('Presence Night');
  await snap(pages.Cid, 'presence-party-ended');
  await pages.Cid.waitForTimeout(2000);
  await expect(ended).toBeVisible();
  await pages.Cid.getByTestId('dismiss-ended').click();
  await expect(ended).toBeHidden();
});
