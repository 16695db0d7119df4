/**
 * Screen sharing between two headless apps on a real control server (fixtures/apps.ts, media.ts):
 * Alice shares, Bob watches, the two apps signal through the server and Bob's page plays
 * Alice's screen over WebRTC. Chromium's picker is skipped (the whole fake screen is picked at
 * once), so the screen is a test pattern.
 */
import type { Locator, Page } from '@playwright/test';
import { checkEveryLook } from './fixtures/a11y';
import { twoAppsOnServer } from './fixtures/apps';
import { startControlServer, startHeadless } from './fixtures/processes';
import { remoteSetUp } from './fixtures/access';
import { FAKE_MEDIA } from './fixtures/media';
import { LONG_NAMES, linesOf } from './fixtures/names';
import { expect, snap, test, type Fixtures } from './fixtures/test';
import { createParty, expectPeers, joinById } from './fixtures/ui';

test.use(FAKE_MEDIA);

// bypassCSP: axe-core is injected to check the panel's looks.
const setUp = (fixtures: Fixtures) => twoAppsOnServer(fixtures, { bypassCSP: true });

/** A member's line among those sharing, in my screen panel. */
const sharerRow = (page: Page, name: string) =>
  page.getByTestId('screen-sharer').filter({ hasText: name });

/** The fields of a <video> read here (e2e code is typed without the DOM's types). */
interface VideoElement {
  videoWidth: number;
  videoHeight: number;
  currentTime: number;
}

/** What the video element is playing: its picture's size and how far it has played. */
const playback = (video: Locator) =>
  video.evaluate((element: VideoElement) => ({
    width: element.videoWidth,
    height: element.videoHeight,
    time: element.currentTime,
  }));

/** The video really plays: it has a picture, and its time moves on. */
async function expectPlaying(video: Locator): Promise<void> {
  await expect.poll(async () => (await playback(video)).width).toBeGreaterThan(0);
  const before = (await playback(video)).time;
  await expect.poll(async () => (await playback(video)).time).toBeGreaterThan(before + 0.5);
}

test('a member shares their screen, another watches it play, stops, and sees it end', async ({
  cleanup,
  openUi,
}) => {
  const { alice, bob } = await setUp({ cleanup, openUi });
  const partyId = await createParty(alice, 'Screen night');
  await joinById(bob, partyId);
  await expectPeers(alice, ['Alice', 'Bob'], 'Alice', 'Alice');

  // From the keyboard: Share hands focus to Stop sharing, not to <body> as it goes.
  await alice.getByTestId('screen-share').focus();
  await alice.keyboard.press('Enter');
  await expect(alice.getByTestId('screen-stop')).toBeFocused();
  await expect(alice.getByTestId('screen-viewers')).toHaveText('0 watching');
  await expect(sharerRow(bob, 'Alice')).toBeVisible();
  await expect(bob.getByTestId('screen-sharer')).toHaveCount(1);

  await sharerRow(bob, 'Alice').getByTestId('screen-watch').click();
  await expect(bob.getByTestId('screen-state')).toHaveAttribute('data-state', 'connected');
  const video = bob.getByTestId('screen-video');
  await expect(video).toHaveAttribute('aria-label', "Alice's screen");
  await expectPlaying(video);
  // WebRTC may send it scaled down while it measures the link, but all of it: 16:9.
  const { width, height } = await playback(video);
  expect(width / height).toBeCloseTo(16 / 9, 1);
  await expect(alice.getByTestId('screen-viewers')).toHaveText('1 watching');
  await bob.getByTestId('screen-panel').scrollIntoViewIfNeeded();
  await snap(bob, 'screen-watching');
  await checkEveryLook(alice, 'screen-sharing');
  await checkEveryLook(bob, 'screen-watching');

  // Full screen: the video fills the display. (Esc is the browser's own way back, which a
  // page's key events do not reach; leaving it the page's way shows the page again.)
  const inFullScreen = () =>
    bob.evaluate("document.fullscreenElement?.getAttribute('data-testid') ?? null");
  await bob.getByTestId('screen-fullscreen').click();
  await expect.poll(inFullScreen).toBe('screen-video');
  await bob.evaluate('document.exitFullscreen()');
  await expect.poll(inFullScreen).toBeNull();
  await expectPlaying(video);

  await sharerRow(bob, 'Alice').getByTestId('screen-unwatch').click();
  await expect(alice.getByTestId('screen-viewers')).toHaveText('0 watching');
  await expect(video).toHaveCount(0);
  await expect(bob.getByTestId('screen-state')).toHaveCount(0);

  await sharerRow(bob, 'Alice').getByTestId('screen-watch').click();
  await expect(bob.getByTestId('screen-state')).toHaveAttribute('data-state', 'connected');
  await expect(alice.getByTestId('screen-viewers')).toHaveText('1 watching');
  await sharerRow(bob, 'Alice').getByTestId('screen-unwatch').focus();
  await alice.getByTestId('screen-stop').focus();
  await alice.keyboard.press('Enter');
  await expect(alice.getByTestId('screen-share')).toBeFocused();
  await expect(bob.getByTestId('screen-sharer')).toHaveCount(0);
  // Bob's focus was on Stop watching, in Alice's row, which went: it lands on his Share.
  await expect(bob.getByTestId('screen-share')).toBeFocused();
  await expect(video).toHaveCount(0);
  await expect(bob.getByTestId('screen-state')).toHaveCount(0);
});

test("a sharer whose app restarts leaves the others' list at once", async ({ cleanup, openUi }) => {
  const server = await startControlServer(cleanup.tempDir('server'));
  cleanup.add(() => server.process.kill());
  const app = async (name: string, home: string) => {
    const instance = await startHeadless({ home, peerName: name, controlServer: server.url });
    cleanup.add(() => instance.process.kill());
    const page = await openUi(instance.url);
    await expect(page.getByTestId('status-bar')).toHaveAttribute('data-state', 'connected');
    return { instance, page };
  };
  const aliceHome = cleanup.tempDir('Alice');
  const alice = await app('Alice', aliceHome);
  const bob = await app('Bob', cleanup.tempDir('Bob'));
  await joinById(bob.page, await createParty(alice.page, 'Screen night'));
  await alice.page.getByTestId('screen-share').click();
  await expect(sharerRow(bob.page, 'Alice')).toBeVisible();
  // Her app dies and starts again on her party: it shares nothing now. Bob's row stayed
  // "Alice is sharing their screen" until he pressed Watch.
  await alice.instance.process.kill('SIGKILL');
  const again = await app('Alice', aliceHome);
  await expect(again.page.getByTestId('screen-share')).toBeVisible();
  await expect(sharerRow(bob.page, 'Alice')).toHaveCount(0);
});

test('at 360 px a 64-character sharer name is cut, and whole while its row’s Watch has keyboard focus', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(60_000);
  const { ui } = await remoteSetUp({ cleanup, openUi });
  const alice = await ui('Alice', [], { viewport: { width: 360, height: 740 } });
  const partyId = await createParty(alice, 'Screen night');
  const long = await ui(LONG_NAMES[1]);
  await joinById(long, partyId);
  await long.getByTestId('screen-share').click();
  const row = alice.getByTestId('screen-sharer');
  await expect(row).toHaveCount(1);
  const name = row.locator('.peer-name');
  await expect(name).toHaveAttribute('title', LONG_NAMES[1]);
  await row.scrollIntoViewIfNeeded();
  const cut = () =>
    name.evaluate(
      (el: { scrollWidth: number; clientWidth: number }) => el.scrollWidth > el.clientWidth,
    );
  // Shown by mouse: one line, cut.
  expect(await cut()).toBe(true);
  await snap(alice, 'screen-360px-long-name');
  // Keyboard focus on the row's Watch (Shift+Tab and back: by keys) shows it whole.
  const watch = row.getByTestId('screen-watch');
  await watch.focus();
  await alice.keyboard.press('Shift+Tab');
  await alice.keyboard.press('Tab');
  await expect(watch).toBeFocused();
  expect(await cut()).toBe(false);
  expect(await linesOf(alice, '.screen-sharer .peer-name')).toBeGreaterThan(1.5);
  await snap(alice, 'screen-360px-long-name-focused');
});
