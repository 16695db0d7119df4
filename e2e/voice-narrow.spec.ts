/**
 * The voice panel at a phone's width (360 px), three members in voice: a review found "Bob"
 * cut to "B…", "Bartholomew" to half, a failed call's row with no name at all ("could not
 * connect · Try again · MUTED": whose?), and the volume slider past the card's edge.
 */
import type { Page } from '@playwright/test';
import { FAKE_MEDIA } from './fixtures/media';
import { LONG_NAMES, linesOf } from './fixtures/names';
import { startControlServer, startHeadless } from './fixtures/processes';
import { remoteSetUp } from './fixtures/access';
import { expect, snap, test, type Fixtures } from './fixtures/test';
import { createParty, joinById } from './fixtures/ui';

test.use(FAKE_MEDIA);

/** Alice at 360 px, Bartholomew and Bob at the default width, in one party on one server. */
async function threeApps({ cleanup, openUi }: Fixtures) {
  const server = await startControlServer(cleanup.tempDir('server'));
  cleanup.add(() => server.process.kill());
  const open = async (peerName: string, viewport?: { width: number; height: number }) => {
    const app = await startHeadless({
      home: cleanup.tempDir(peerName),
      peerName,
      controlServer: server.url,
    });
    cleanup.add(() => app.process.kill());
    const page = await openUi(app.url, { microphone: true, ...(viewport ? { viewport } : {}) });
    await expect(page.getByTestId('status-bar')).toHaveAttribute('data-state', 'connected');
    return page;
  };
  const alice = await open('Alice', { width: 360, height: 740 });
  const partyId = await createParty(alice, 'Voice night');
  const bart = await open('Bartholomew');
  await joinById(bart, partyId);
  const bob = await open('Bob');
  await joinById(bob, partyId);
  return { alice, bart, bob };
}

/**
 * Each voice row's name as shown, and what ends past the card's right edge (page code as
 * text: this project's Node typings have no DOM).
 */
const MEASURE = `(() => {
  const card = document.querySelector('[data-testid=voice-panel]').getBoundingClientRect();
  return [...document.querySelectorAll('[data-testid=voice-peer]')].map((row) => {
    const name = row.querySelector('.peer-name');
    const past = [...row.querySelectorAll('*')]
      .filter((el) => el.getBoundingClientRect().right > card.right + 0.5)
      .map((el) => el.tagName.toLowerCase() + '.' + el.className);
    return {
      name: name.textContent,
      cut: name.scrollWidth > name.clientWidth,
      shownPx: Math.round(name.getBoundingClientRect().width),
      state: row.getAttribute('data-state'),
      past,
    };
  });
})()`;

interface Row {
  name: string;
  cut: boolean;
  shownPx: number;
  state: string;
  past: string[];
}

const rows = (page: Page) => page.evaluate<Row[]>(MEASURE);

test('at 360 px each voice row shows its whole name, a failed one too, and its volume inside the card', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(90_000);
  const { alice, bart, bob } = await threeApps({ cleanup, openUi });
  for (const page of [alice, bart]) await page.getByTestId('voice-join').click();
  const row = (name: string) => alice.getByTestId('voice-peer').filter({ hasText: name });
  await expect(row('Bartholomew')).toHaveAttribute('data-state', 'connected');
  // From now on Alice's page cannot take the other side's description: her call with Bob, who
  // joins next, fails at once (and each retry fails the same), "could not connect".
  await alice.evaluate(`RTCPeerConnection.prototype.setRemoteDescription = function () {
    return Promise.reject(new DOMException('refused by the test', 'OperationError'));
  }`);
  await bob.getByTestId('voice-join').click();
  // Once Bob has a call with Alice, his mute goes to her (before, it would reach no one).
  await expect(bob.getByTestId('voice-peer').filter({ hasText: 'Alice' })).toHaveCount(1);
  await bob.getByTestId('voice-mute').click();
  await expect(row('Bob')).toHaveAttribute('data-state', 'failed');
  await expect(row('Bob')).toContainText('muted');
  await expect(row('Bob').getByTestId('voice-retry')).toBeVisible();
  const shown = await rows(alice);
  await alice.getByTestId('voice-panel').scrollIntoViewIfNeeded();
  await snap(alice, 'voice-360px');
  expect(shown.map((r) => r.name).sort()).toEqual(['Bartholomew', 'Bob']);
  for (const r of shown) {
    expect(r, `${r.name}'s row (${r.state})`).toMatchObject({ cut: false, past: [] });
    expect(r.shownPx, `${r.name}'s name on screen`).toBeGreaterThan(20);
  }
});

test('at 360 px a 64-character name in voice is cut to one line, and whole while its volume has keyboard focus', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(60_000);
  const { ui } = await remoteSetUp({ cleanup, openUi });
  const alice = await ui('Alice', [], { microphone: true, viewport: { width: 360, height: 740 } });
  const partyId = await createParty(alice, 'Voice night');
  const long = await ui(LONG_NAMES[1], [], { microphone: true });
  await joinById(long, partyId);
  for (const page of [alice, long]) await page.getByTestId('voice-join').click();
  const row = alice.getByTestId('voice-peer');
  await expect(row).toHaveCount(1);
  await expect(row.locator('.peer-name')).toHaveAttribute('title', LONG_NAMES[1]);
  await row.scrollIntoViewIfNeeded();
  // Opened and clicked by mouse: one line, cut.
  expect(await rows(alice)).toMatchObject([{ name: LONG_NAMES[1], cut: true, past: [] }]);
  expect(await linesOf(alice, '.voice-peer .peer-name')).toBeLessThan(1.5);
  await snap(alice, 'voice-360px-long-name');
  // Keyboard focus on the row's volume (Shift+Tab and back: by keys) shows it whole.
  const volume = row.getByTestId('voice-volume');
  await volume.focus();
  await alice.keyboard.press('Shift+Tab');
  await alice.keyboard.press('Tab');
  await expect(volume).toBeFocused();
  expect(await rows(alice)).toMatchObject([{ name: LONG_NAMES[1], cut: false, past: [] }]);
  expect(await linesOf(alice, '.voice-peer .peer-name')).toBeGreaterThan(1.5);
  await snap(alice, 'voice-360px-long-name-focused');
});
