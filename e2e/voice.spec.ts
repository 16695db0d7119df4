/**
 * Voice chat between two headless apps on a real control server (fixtures/apps.ts, media.ts): each
 * joins voice, the two apps signal through the server and their pages connect a WebRTC call.
 * Chromium's fake microphone beeps, so each side hears the other speak.
 */
import type { Page } from '@playwright/test';
import { twoAppsOnServer } from './fixtures/apps';
import { FAKE_MEDIA } from './fixtures/media';
import { expect, snap, test, type Fixtures } from './fixtures/test';
import { createParty, expectPeers, joinById } from './fixtures/ui';

test.use(FAKE_MEDIA);

const setUp = (fixtures: Fixtures) => twoAppsOnServer(fixtures, { microphone: true });

/** The other member's line in my voice panel. */
const voicePeer = (page: Page, name: string) =>
  page.getByTestId('voice-peer').filter({ hasText: name });

test('two members join voice, connect, hear each other, see a mute and a leave', async ({
  cleanup,
  openUi,
}) => {
  const { alice, bob } = await setUp({ cleanup, openUi });
  const partyId = await createParty(alice, 'Voice night');
  await joinById(bob, partyId);
  await expectPeers(alice, ['Alice', 'Bob'], 'Alice', 'Alice');

  await alice.getByTestId('voice-join').click();
  await expect(alice.getByTestId('voice-leave')).toBeVisible();
  await expect(alice.getByText('No one else is in voice yet')).toBeVisible();
  // Bob, not in voice, sees who is before he joins.
  await expect(bob.getByTestId('voice-present')).toHaveText('In voice now: Alice');
  await bob.getByTestId('voice-join').click();

  for (const [page, other] of [
    [alice, 'Bob'],
    [bob, 'Alice'],
  ] as const) {
    await expect(voicePeer(page, other)).toHaveAttribute('data-state', 'connected');
    // The fake microphone beeps about once a second: each side hears the other's.
    await expect(voicePeer(page, other)).toHaveAttribute('data-speaking', 'true');
  }
  await snap(alice, 'voice-connected');

  await bob.getByTestId('voice-mute').click();
  await expect(bob.getByTestId('voice-mute')).toHaveAttribute('aria-pressed', 'true');
  await expect(voicePeer(alice, 'Bob')).toContainText('muted');
  await expect(voicePeer(alice, 'Bob')).toHaveAttribute('data-speaking', 'false');

  await bob.getByTestId('voice-leave').click();
  await expect(bob.getByTestId('voice-join')).toBeVisible();
  await expect(bob.getByTestId('voice-present')).toHaveText('In voice now: Alice');
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
