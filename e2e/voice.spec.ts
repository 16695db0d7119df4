/**
 * Voice chat between two headless apps on a real control server (fixtures/apps.ts, media.ts): each
 * joins voice, the two apps signal through the server and their pages connect a WebRTC call.
 * Chromium's fake microphone beeps, so each side hears the other speak.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { twoAppsOnServer } from './fixtures/apps';
import { FAKE_MEDIA } from './fixtures/media';
import { expect, snap, test, type Fixtures } from './fixtures/test';
import { createParty, expectPeers, joinById } from './fixtures/ui';

test.use(FAKE_MEDIA);

const setUp = (fixtures: Fixtures) => twoAppsOnServer(fixtures, { microphone: true });

/** Alice's party "Voice night", Bob in it. */
async function partyOfTwo(fixtures: Fixtures) {
  const apps = await setUp(fixtures);
  await joinById(apps.bob, await createParty(apps.alice, 'Voice night'));
  return apps;
}

/** The other member's line in my voice panel. */
const voicePeer = (page: Page, name: string) =>
  page.getByTestId('voice-peer').filter({ hasText: name });

test('two members join voice, connect, hear each other, see a mute and a leave', async ({
  cleanup,
  openUi,
}) => {
  const { alice, bob } = await partyOfTwo({ cleanup, openUi });
  await expectPeers(alice, ['Alice', 'Bob'], 'Alice', 'Alice');

  await alice.getByTestId('voice-join').click();
  await expect(alice.getByTestId('voice-leave')).toBeVisible();
  await expect(alice.getByText('No one else is in voice yet')).toBeVisible();
  // Bob, not in voice, sees who is before he joins.
  await expect(bob.getByTestId('voice-present')).toHaveText('In voice now: Alice');
  // From the keyboard: Join voice hands focus to Mute, not to <body> as it goes.
  await bob.getByTestId('voice-join').focus();
  await bob.keyboard.press('Enter');
  await expect(bob.getByTestId('voice-mute')).toBeFocused();

  for (const [page, other] of [
    [alice, 'Bob'],
    [bob, 'Alice'],
  ] as const) {
    await expect(voicePeer(page, other)).toHaveAttribute('data-state', 'connected');
    // The fake microphone beeps about once a second: each side hears the other's.
    await expect(voicePeer(page, other)).toHaveAttribute('data-speaking', 'true');
    // No relay on this server: the path, read from the link's stats, is straight.
    await expect(voicePeer(page, other)).toHaveAttribute('data-relayed', 'false');
  }
  await snap(alice, 'voice-connected');

  await bob.getByTestId('voice-mute').click();
  await expect(bob.getByTestId('voice-mute')).toHaveText('Unmute');
  await expect(voicePeer(alice, 'Bob')).toContainText('muted');
  await expect(voicePeer(alice, 'Bob')).toHaveAttribute('data-speaking', 'false');
  // Deafened, Bob hears nobody; undeafened, Alice at full volume, and he is still muted.
  await bob.evaluate(RECORD_VOLUME);
  await bob.getByTestId('voice-deafen').click();
  await expect(bob.getByTestId('voice-deafen')).toHaveText('Undeafen');
  await expect.poll(() => bob.evaluate('window.lastVolume')).toBe(0);
  await bob.getByTestId('voice-deafen').click();
  await expect.poll(() => bob.evaluate('window.lastVolume')).toBe(1);
  await expect(bob.getByTestId('voice-mute')).toHaveText('Unmute');

  await bob.getByTestId('voice-leave').focus();
  await bob.keyboard.press('Enter');
  await expect(bob.getByTestId('voice-join')).toBeFocused();
  await expect(bob.getByTestId('voice-present')).toHaveText('In voice now: Alice');
  await expect(voicePeer(alice, 'Bob')).toHaveCount(0);
  await expect(alice.getByText('No one else is in voice yet')).toBeVisible();
});

test("a member whose app restarts mid-call drops out of the others' voice", async ({
  cleanup,
  openUi,
}) => {
  const { alice, bob } = await partyOfTwo({ cleanup, openUi });
  for (const page of [alice, bob]) await page.getByTestId('voice-join').click();
  await expect(voicePeer(alice, 'Bob')).toHaveAttribute('data-state', 'connected');
  // Bob's page starts over, out of voice (as after his app restarted): it asks who is in.
  await bob.reload();
  await expect(bob.getByTestId('voice-present')).toHaveText('In voice now: Alice');
  // Not left listed as "could not connect", then "connecting…" for minutes of retries.
  await expect(voicePeer(alice, 'Bob')).toHaveCount(0);
  await expect(alice.getByText('No one else is in voice yet')).toBeVisible();
});

test('a member whose app opens on a party where someone is in voice is told who', async ({
  cleanup,
  openUi,
}) => {
  const { alice, bob } = await setUp({ cleanup, openUi });
  const partyId = await createParty(alice, 'Voice night');
  await alice.getByTestId('voice-join').click();
  await expect(alice.getByTestId('voice-leave')).toBeVisible();
  // Bob joins the party after Alice joined voice: he never heard her join, so he asks.
  await joinById(bob, partyId);
  await expect(bob.getByTestId('voice-present')).toHaveText('In voice now: Alice');
  await alice.getByTestId('voice-leave').click();
  await expect(bob.getByTestId('voice-present')).toHaveCount(0);
});

/** Records, in the page, the volume last given to any audio or video element. */
const RECORD_VOLUME = `(() => {
  const own = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'volume');
  Object.defineProperty(HTMLMediaElement.prototype, 'volume', {
    get() { return own.get.call(this); },
    set(value) { window.lastVolume = value; own.set.call(this, value); },
  });
})()`;

test('a member turned down plays lower at once and stays down after a restart', async ({
  cleanup,
  openUi,
}) => {
  const { alice, bob, homes } = await partyOfTwo({ cleanup, openUi });
  await alice.evaluate(RECORD_VOLUME);
  for (const page of [alice, bob]) await page.getByTestId('voice-join').click();
  await expect(voicePeer(alice, 'Bob')).toHaveAttribute('data-state', 'connected');
  const bobId = await voicePeer(alice, 'Bob').getAttribute('data-peer-id');

  const slider = voicePeer(alice, 'Bob').getByTestId('voice-volume');
  await expect(slider).toHaveValue('100');
  await slider.fill('30');
  await slider.blur();
  await expect.poll(() => alice.evaluate('window.lastVolume')).toBe(0.3);
  const config = () =>
    JSON.parse(readFileSync(join(homes.Alice!, 'config.json'), 'utf8')) as {
      voice_volumes?: Record<string, number>;
    };
  await expect.poll(() => config().voice_volumes).toEqual({ [bobId!]: 30 });
  // Bob's own side is his to set: he still hears Alice at full volume.
  await expect(voicePeer(bob, 'Alice').getByTestId('voice-volume')).toHaveValue('100');

  await alice.reload();
  await alice.getByTestId('voice-join').click();
  await expect(voicePeer(alice, 'Bob')).toHaveAttribute('data-state', 'connected');
  await expect(voicePeer(alice, 'Bob').getByTestId('voice-volume')).toHaveValue('30');
});

test('the mute shortcut set in Settings mutes and unmutes from the keyboard', async ({
  cleanup,
  openUi,
}) => {
  const { alice, bob, homes } = await partyOfTwo({ cleanup, openUi });
  await bob.getByTestId('settings-button').click();
  await bob.getByTestId('settings-mute-shortcut').click();
  await bob.keyboard.press('Control+Alt+KeyM');
  await expect(bob.getByTestId('settings-mute-shortcut')).toHaveValue('Ctrl+Alt+M');
  await snap(bob, 'settings-mute-shortcut');
  await bob.getByTestId('settings-save').click();
  await expect(bob.getByTestId('settings-dialog')).toHaveCount(0);
  const config = () =>
    JSON.parse(readFileSync(join(homes.Bob!, 'config.json'), 'utf8')) as {
      mute_shortcut?: string;
    };
  expect(config().mute_shortcut).toBe('Control+Alt+M');

  for (const page of [alice, bob]) await page.getByTestId('voice-join').click();
  await expect(voicePeer(alice, 'Bob')).toHaveAttribute('data-state', 'connected');
  // Headless: the page hears the keys while it has the focus (the desktop app, in any app).
  await bob.keyboard.press('Control+Alt+KeyM');
  await expect(bob.getByTestId('voice-mute')).toHaveText('Unmute');
  await expect(voicePeer(alice, 'Bob')).toContainText('muted');
  await bob.keyboard.press('Control+Alt+KeyM');
  await expect(bob.getByTestId('voice-mute')).toHaveText('Mute');
  await expect(voicePeer(alice, 'Bob')).not.toContainText('muted');
});
