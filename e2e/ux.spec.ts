/**
 * From first launch to a party: the welcome, inviting, plain status words, Settings'
 * server check, a party of 20, focus after each view change, and axe-core on every screen
 * and state in both themes at 1024 and 360 px (screenshots in e2e/artifacts/).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { checkEveryLook, lowestEdgeContrast, setLook, LOOKS } from './fixtures/a11y';
import { joinMembers } from './fixtures/members';
import { overTwoLines } from './fixtures/names';
import { startControlServer, startHeadless } from './fixtures/processes';
import { expect, snap, test } from './fixtures/test';
import { createParty } from './fixtures/ui';
import { focusHiddenInTable, unreadableNet } from './fixtures/zoom';

/** A loopback address where nothing listens (a port that was just free). */
function deadServerUrl(): Promise<string> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(`ws://127.0.0.1:${port}/ws`));
    });
  });
}

async function expectHeadingFocused(page: Page, text: string | RegExp): Promise<void> {
  await expect(page.locator('h1')).toHaveText(text);
  await expect(page.locator('h1')).toBeFocused();
}

/** Inputs' and buttons' edges stand 3:1 on what they sit on, in both themes (WCAG 1.4.11). */
async function expectEdges(page: Page, selector: string): Promise<void> {
  for (const colorScheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme });
    const lowest = await lowestEdgeContrast(page, selector);
    expect(lowest, `${selector} edges in the ${colorScheme} theme`).toBeGreaterThanOrEqual(3);
  }
}

// Page code is passed as text: this project's Node typings have no DOM.
const clipboard = (page: Page) => page.evaluate<string>('navigator.clipboard.readText()');

test('first launch: a two-step welcome, saved once; then a party without a server', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(120_000);
  const home = cleanup.tempDir('welcome');
  const first = await startHeadless({ home, firstRun: true });
  cleanup.add(() => first.process.kill());
  const page = await openUi(first.url, { bypassCSP: true });

  await expect(page.getByTestId('welcome-step-1')).toBeVisible();
  await expectHeadingFocused(page, 'Welcome to LANrage');
  await expect(page.getByTestId('welcome-name')).toHaveValue(userInfo().username);
  await checkEveryLook(page, 'welcome-name');
  await page.getByTestId('welcome-name').fill('Zoe');
  await page.getByTestId('welcome-next').click();
  await expectHeadingFocused(page, 'How do you play?');
  // No name at the top until the welcome saves Zoe (not the OS user's it offered first).
  await expect(page.getByTestId('me-name')).toHaveCount(0);
  await page.getByTestId('welcome-mode-server').check();
  await page.getByTestId('welcome-done').click();
  await expect(page.getByTestId('welcome-error')).toContainText('server address');
  await checkEveryLook(page, 'welcome-mode-error');
  await page.getByTestId('welcome-mode-local').check();
  await page.getByTestId('welcome-done').click();
  await expectHeadingFocused(page, 'Host or join a party');
  await expect(page.getByTestId('me-name')).toHaveText('Zoe');
  const config = JSON.parse(readFileSync(join(home, 'config.json'), 'utf8')) as object;
  expect(config).toMatchObject({ peer_name: 'Zoe', control_server: null, welcome_done: true });

  // Never shown again: a restart goes straight home.
  await first.process.kill();
  const again = await startHeadless({ home, firstRun: true });
  cleanup.add(() => again.process.kill());
  const page2 = await openUi(again.url, { bypassCSP: true });
  await expect(page2.locator('h1')).toHaveText('Host or join a party');
  await expect(page2.getByTestId('welcome-step-1')).toHaveCount(0);
  await expect(page2.getByTestId('status-text')).toHaveText(
    'No server: only players on this PC can join',
  );
  await expect(page2.getByTestId('discovered-source')).toHaveText(
    'Hosted with LANrage on this PC or your local network',
  );
  await expect(page2.getByTestId('create-reach')).toContainText('only players on this PC');
  await checkEveryLook(page2, 'home-local');

  await createParty(page2, 'Couch LAN');
  await expect(page2.locator('h1')).toBeFocused();
  await expect(page2.getByTestId('invite-hint')).toContainText(
    'No server is set, so only players on this PC can join',
  );
  await checkEveryLook(page2, 'party-local');
});

const NAMES = [
  'Bob',
  'zed',
  'Amy',
  'Player 10',
  'Player 2',
  'Élodie',
  'Kim',
  'Marco',
  'Nia',
  'Oscar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sven',
  'Tariq',
  'Uma',
  'Victor',
  'Xena',
  'W'.repeat(8) + ' The Extremely Long Display Name Of Doom And Glory 1234',
];

/** Rows whose whole box is on screen above the status bar. */
async function rowsOnScreen(page: Page): Promise<number> {
  return page.evaluate<number>(`(() => {
    const bar = document.querySelector('[data-testid="status-bar"]').getBoundingClientRect();
    return [...document.querySelectorAll('[data-testid="peer-row"]')].filter((row) => {
      const box = row.getBoundingClientRect();
      return box.top >= 0 && box.bottom <= bar.top;
    }).length;
  })()`);
}

/**
 * Scrolls the view until the members table's top is 40 px past the scrolling area's top (a
 * screenshot then), and says how far below that top the sticky header sits: 0 is flush; at
 * 14 px (the area's padding) rows showed above it and it covered the second one.
 */
async function headerBelowScrollTop(page: Page, shot: string): Promise<number> {
  await page.evaluate(`(() => {
    const area = document.querySelector('main.content');
    const table = document.querySelector('.peer-table');
    area.scrollTop = 0;
    area.scrollTop = table.getBoundingClientRect().top - area.getBoundingClientRect().top + 40;
  })()`);
  const area = await page.locator('main.content').boundingBox();
  const header = await page.locator('.peer-table thead th').first().boundingBox();
  await snap(page, shot);
  await page.evaluate(`document.querySelector('main.content').scrollTop = 0`);
  return header!.y - area!.y;
}

/** The members table's names. */
const NAME = '[data-testid="peer-name"]';

test('a party of 20 over a server: invite, copy, join by pasted text, columns, order, fit, a11y', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(180_000);
  const server = await startControlServer(cleanup.tempDir('server'));
  cleanup.add(() => server.process.kill());
  const ui = async (peerName: string) => {
    const instance = await startHeadless({
      home: cleanup.tempDir(peerName),
      peerName,
      controlServer: server.url,
    });
    cleanup.add(() => instance.process.kill());
    const page = await openUi(instance.url, { bypassCSP: true });
    await expect(page.getByTestId('status-text')).toHaveText(
      `Connected to 127.0.0.1:${server.port}`,
    );
    return page;
  };
  const alice = await ui('Alice');
  const bob = await ui('Bobby');
  // With a server, "Parties nearby" could only list this PC's own parties: not shown.
  await expect(alice.getByTestId('discovered-source')).toHaveCount(0);
  await checkEveryLook(alice, 'home-server');

  await bob.getByTestId('open-join-dialog').click();
  await checkEveryLook(bob, 'join-dialog');
  await bob.getByTestId('join-input').fill('no id in here');
  await bob.getByTestId('join-submit').click();
  await expect(bob.getByTestId('join-error')).toContainText('not a valid party ID');
  await checkEveryLook(bob, 'join-error');

  // 20 players: past the form's default limit of 8, which the server now enforces.
  const partyId = await createParty(alice, 'Friday Frag Night', { maxPlayers: 32 });
  await expectHeadingFocused(alice, 'Friday Frag Night');
  await expect(alice.getByTestId('invite-hint')).toContainText('Send your friends');
  await alice.getByTestId('copy-party-id').click();
  expect(await clipboard(alice)).toBe(partyId);
  await alice.getByTestId('copy-invite-link').click();
  expect(await clipboard(alice)).toBe(`lanrage://join/${partyId}`);
  await alice.getByTestId('copy-invite-message').click();
  const message = await clipboard(alice);
  expect(message).toContain('"Friday Frag Night"');
  expect(message).toContain(`lanrage://join/${partyId}`);

  // Bob pastes a chat line with the ID in capitals.
  await bob.getByTestId('join-input').fill(`yo, join my party: ${partyId.toUpperCase()}!`);
  await bob.getByTestId('join-submit').click();
  await expectHeadingFocused(bob, 'Friday Frag Night');
  await expect(bob.getByTestId('party-id')).toHaveText(partyId);

  const sims = await joinMembers(server.url, partyId, NAMES.slice(1));
  cleanup.add(() => sims.forEach((s) => s.close()));
  await expect(alice.getByTestId('peer-row')).toHaveCount(20);

  const headers = alice.getByRole('columnheader');
  // The host's table has a last column for each member's menu (named for screen readers).
  await expect(headers).toHaveText([
    'Name',
    'Status',
    'NAT type',
    'Address',
    'Last seen',
    'Actions',
  ]);
  await expect(bob.getByRole('columnheader')).toHaveText([
    'Name',
    'Status',
    'NAT type',
    'Address',
    'Last seen',
  ]);
  // Host first, then (all online) by name, case- and accent-insensitive, numbers by value.
  const others = ['Bobby', ...NAMES.slice(1)].sort(
    new Intl.Collator(undefined, { sensitivity: 'base', numeric: true }).compare,
  );
  await expect(alice.getByTestId('peer-name')).toHaveText(['Alice', ...others]);

  // A long name takes two lines at most, cut with "…", whole in its text and its title, and
  // no Tab stop of its own (a11y M8): the table's one stop shows it (e2e/name-lines.spec.ts).
  const long = alice.getByTestId('peer-name').filter({ hasText: 'Extremely Long' });
  await expect(long).toHaveText(NAMES[NAMES.length - 1]!);
  await expect(long).toHaveAttribute('title', NAMES[NAMES.length - 1]!);
  expect(await overTwoLines(alice, NAME), 'names on two lines at most').toEqual([]);
  await expect(alice.locator('[data-testid="peer-name"][tabindex]')).toHaveCount(0);
  await long.scrollIntoViewIfNeeded();
  await snap(alice, 'party-20-long-name');

  for (const look of LOOKS) {
    await setLook(alice, look);
    const bar = await alice.getByTestId('status-bar').boundingBox();
    expect(bar!.y + bar!.height, 'status bar pinned to the bottom').toBeCloseTo(look.height, 0);
    // At 360 px each member takes a second line, its NAT type and address (their columns
    // do not fit): four members show below the party's header, where five did without them.
    expect(await rowsOnScreen(alice)).toBeGreaterThanOrEqual(look.width === 1024 ? 12 : 4);
    const gap = await headerBelowScrollTop(alice, `party-20-scrolled-${look.scheme}-${look.width}`);
    expect(gap, 'the sticky header sits flush at the top of the scrolling area').toBeCloseTo(0, 0);
  }
  // Zoomed in (200 % of 1280 x 720, and a phone's width): each address and NAT type can be
  // read whole, and Shift+Tab up the table never leaves focus under its sticky header.
  for (const width of [640, 360]) {
    await alice.setViewportSize({ width, height: 360 });
    await alice.evaluate(`document.querySelector('main.content').scrollTop = 0`);
    expect(await unreadableNet(alice), `addresses at ${width} px`).toEqual([]);
    await alice.locator('.peer-table').scrollIntoViewIfNeeded();
    await snap(alice, `party-20-zoomed-${width}`);
    await long.scrollIntoViewIfNeeded();
    // Shift+Tab up the table last round ended on the table, which shows names whole focused.
    await alice.evaluate('document.activeElement.blur()');
    expect(await overTwoLines(alice, NAME), `names at ${width} px`).toEqual([]);
    await snap(alice, `party-20-long-name-${width}`);
    expect(await focusHiddenInTable(alice, 'voice-join'), `focus at ${width} px`).toEqual([]);
  }
  await checkEveryLook(alice, 'party-20');
  await expectEdges(alice, '.party-view .button:not(.button-primary):not(.button-danger)');

  // Forced colours: status by shape and word.
  await alice.emulateMedia({ forcedColors: 'active', colorScheme: 'dark' });
  await expect(alice.locator('.heartbeat-dot')).toHaveText('●');
  await expect(alice.locator('.presence-mark').first()).toHaveText('●');
  await expect(alice.locator('.peer-state').first()).toHaveText('online');
  await snap(alice, 'party-20-forced-colors');
  await alice.emulateMedia({ forcedColors: 'none' });

  await bob.getByTestId('leave-party').click();
  await expectHeadingFocused(bob, 'Host or join a party');

  // Settings (out of the party: a party keeps its server): a new address is tested first; one
  // that does not answer can be saved anyway.
  const dead = await deadServerUrl();
  await bob.getByTestId('settings-button').click();
  await checkEveryLook(bob, 'settings');
  await expectEdges(
    bob,
    '.dialog input:not([type="checkbox"]), .dialog .button:not(.button-primary)',
  );
  await bob.getByTestId('settings-server').fill(dead);
  await bob.getByTestId('settings-save').click();
  await expect(bob.getByTestId('settings-check')).toContainText('did not answer');
  await expect(bob.getByTestId('settings-save')).toHaveText('Save anyway');
  await checkEveryLook(bob, 'settings-check-failed');
  await bob.getByTestId('settings-server').fill(server.url.replace('ws://', 'http://'));
  await bob.getByTestId('settings-save').click();
  await expect(bob.getByTestId('settings-dialog')).toBeHidden();

  await server.process.kill('SIGKILL');
  await expect(alice.getByTestId('status-text')).toHaveText(
    `Can't reach 127.0.0.1:${server.port}, retrying every 5 s`,
  );
  await checkEveryLook(alice, 'party-cant-reach');
});

test('a server that never answered: status says to check the address; create explains', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(90_000);
  const dead = await deadServerUrl();
  const port = new URL(dead).port;
  const home = cleanup.tempDir('never');
  // A storage fault too, so its notice is checked with the rest of the screen.
  mkdirSync(join(home, 'control_state.json'));
  const instance = await startHeadless({
    home,
    peerName: 'Ana',
    controlServer: dead,
  });
  cleanup.add(() => instance.process.kill());
  const page = await openUi(instance.url, { bypassCSP: true });
  await expect(page.getByTestId('status-text')).toHaveText(
    `Never connected to 127.0.0.1:${port}: check the address in Settings`,
  );
  await expect(page.getByTestId('notice')).toContainText(
    'could not be read: a folder is in its place',
  );
  // There as the app opens: focus starts on it, above the view, not under it (a11y M4).
  await expect(page.getByTestId('notice')).toBeFocused();
  await expect(page.getByRole('region', { name: 'Notices' })).toHaveAttribute(
    'aria-live',
    'polite',
  );
  await checkEveryLook(page, 'home-never-connected');
  // A name too long is said under it, and Max players beside it keeps its size and line.
  await page.getByTestId('create-party-name').fill('X'.repeat(70));
  await page.getByTestId('create-party-button').click();
  await expect(page.getByTestId('create-party-name-error')).toHaveText(
    'Party name must be at most 64 characters (this one has 70)',
  );
  const name = (await page.getByTestId('create-party-name').boundingBox())!;
  const max = (await page.getByTestId('create-max-players').boundingBox())!;
  expect(max.y, 'Max players on the name’s line').toBeCloseTo(name.y, 0);
  expect(max.height, 'Max players as tall as the name').toBeCloseTo(name.height, 0);
  await page.getByTestId('create-party-name').fill('Nope');
  await page.getByTestId('create-party-button').click();
  // Waiting does not mend a wrong address: the answer says to check it.
  await expect(page.getByRole('alert')).toContainText(
    `LANrage has never reached 127.0.0.1:${port}, so the party could not be made there. ` +
      'Check the address in Settings.',
  );
  await checkEveryLook(page, 'create-error');
});
