/**
 * Voice through the party server's relay (shared/protocol/relay.ts): a real coturn on 127.0.0.1, a
 * real server handing its members credentials for it (--turn-url, --turn-secret-file), and two
 * headless apps whose users ticked "Hide my address" in Settings. Their pages then gather
 * relayed paths only, so the call that connects went through coturn, which logs both members'
 * allocations under their peer ids.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { CoturnTestServer } from '../server/test-util/coturn-server';
import { FAKE_MEDIA } from './fixtures/media';
import { startControlServer, startHeadless } from './fixtures/processes';
import { expect, snap, test, type Fixtures } from './fixtures/test';
import { createParty, expectPeers, joinById } from './fixtures/ui';

test.use(FAKE_MEDIA);

const SECRET = 'e2e-relay-secret-0123456789abcdefghij';

/** A coturn, and the server flags that hand out credentials for it. */
async function relayFlags({ cleanup }: Pick<Fixtures, 'cleanup'>) {
  const coturn = await CoturnTestServer.start(SECRET);
  cleanup.add(() => coturn.stop());
  const secretFile = join(cleanup.tempDir('turn-secret'), 'turn-secret');
  writeFileSync(secretFile, `${SECRET}\n`);
  chmodSync(secretFile, 0o600);
  const flags = [
    ...['--turn-url', `turn:127.0.0.1:${coturn.port}?transport=udp`],
    ...['--turn-secret-file', secretFile],
  ];
  return { coturn, flags };
}

async function relayedServer({ cleanup }: Pick<Fixtures, 'cleanup'>) {
  const { coturn, flags } = await relayFlags({ cleanup });
  const server = await startControlServer(cleanup.tempDir('server'), 0, flags);
  cleanup.add(() => server.process.kill());
  return { coturn, server };
}

/** An app on `url`, linked to it. */
async function openApp(fixtures: Fixtures, url: string, peerName: string): Promise<Page> {
  const app = await startHeadless({
    home: fixtures.cleanup.tempDir(peerName),
    peerName,
    controlServer: url,
  });
  fixtures.cleanup.add(() => app.process.kill());
  const page = await fixtures.openUi(app.url, { microphone: true });
  await expect(page.getByTestId('status-bar')).toHaveAttribute('data-state', 'connected');
  return page;
}

/** The user ticks "Hide my address" in Settings. */
async function hideAddress(page: Page): Promise<void> {
  await page.getByTestId('settings-button').click();
  await page.getByTestId('settings-relay-only').check();
  // The box stood flush against the buttons under it.
  const box = await page.locator('.settings-form > .choice').boundingBox();
  const buttons = await page.locator('.settings-form .dialog-actions').boundingBox();
  expect(buttons!.y - (box!.y + box!.height)).toBeGreaterThanOrEqual(10);
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-dialog')).toHaveCount(0);
}

/** An app on `url` whose user ticks "Hide my address" in Settings. */
async function hiddenApp(fixtures: Fixtures, url: string, peerName: string): Promise<Page> {
  const page = await openApp(fixtures, url, peerName);
  await hideAddress(page);
  return page;
}

/** Alice hosts `name`, Bob joins it by its ID; both see both. */
async function partyOfTwo(alice: Page, bob: Page, name: string): Promise<void> {
  const partyId = await createParty(alice, name);
  await joinById(bob, partyId);
  await expectPeers(alice, ['Alice', 'Bob'], 'Alice', 'Alice');
}

/** Bob presses Watch on Alice's shared screen. */
const watchAlice = (bob: Page) =>
  bob.getByTestId('screen-sharer').filter({ hasText: 'Alice' }).getByTestId('screen-watch').click();

const voicePeer = (page: Page, name: string) =>
  page.getByTestId('voice-peer').filter({ hasText: name });

test('with "Hide my address", a call connects through the server\'s relay only', async ({
  cleanup,
  openUi,
}) => {
  const { coturn, server } = await relayedServer({ cleanup });
  const alice = await hiddenApp({ cleanup, openUi }, server.url, 'Alice');
  const bob = await hiddenApp({ cleanup, openUi }, server.url, 'Bob');
  await partyOfTwo(alice, bob, 'Relay night');
  await expect(alice.getByTestId('voice-panel')).toContainText(
    "Your voice goes only through your server's relay, so it gives the others no address of yours.",
  );
  for (const page of [alice, bob]) await page.getByTestId('voice-join').click();
  for (const [page, other] of [
    [alice, 'Bob'],
    [bob, 'Alice'],
  ] as const) {
    await expect(voicePeer(page, other)).toHaveAttribute('data-state', 'connected');
    await expect(voicePeer(page, other)).toHaveAttribute('data-speaking', 'true');
    // The link's own stats say its path is relayed, and the row says so.
    await expect(voicePeer(page, other)).toHaveAttribute('data-relayed', 'true');
    await expect(voicePeer(page, other)).toContainText('connected · via relay');
  }
  // coturn names each allocation's user <expiry>:<peer id> (the server's credentials): both
  // members allocated a relay and bound a channel to the other's, which carries the call.
  for (const [page, other] of [
    [alice, 'Bob'],
    [bob, 'Alice'],
  ] as const) {
    const peerId = await voicePeer(page, other).getAttribute('data-peer-id');
    expect(coturn.output()).toMatch(
      new RegExp(`user <\\d+:${peerId}>: incoming packet CHANNEL_BIND processed, success`),
    );
  }
  await snap(alice, 'relay-voice-connected');
});

test('with "Hide my address" on a server without a relay, the panels say calls cannot connect', async ({
  cleanup,
  openUi,
}) => {
  const server = await startControlServer(cleanup.tempDir('server'));
  cleanup.add(() => server.process.kill());
  const alice = await hiddenApp({ cleanup, openUi }, server.url, 'Alice');
  await createParty(alice, 'No relay night');
  await expect(alice.getByTestId('voice-relay-problem')).toHaveText(
    '"Hide my address" is on, but this server has no relay, so calls can\'t connect. ' +
      'Turn it off in Settings to connect straight to the others.',
  );
  await expect(alice.getByTestId('screen-relay-problem')).toContainText("so screens can't connect");
});

test('with "Hide my address", a watched screen comes through the relay, and its line says so', async ({
  cleanup,
  openUi,
}) => {
  const { server } = await relayedServer({ cleanup });
  const alice = await hiddenApp({ cleanup, openUi }, server.url, 'Alice');
  const bob = await hiddenApp({ cleanup, openUi }, server.url, 'Bob');
  await partyOfTwo(alice, bob, 'Relay screens');
  await alice.getByTestId('screen-share').click();
  await watchAlice(bob);
  const state = bob.getByTestId('screen-state');
  await expect(state).toHaveAttribute('data-state', 'connected');
  await expect(state).toHaveAttribute('data-relayed', 'true');
  await expect(state).toHaveText("Watching Alice's screen · via relay");
  await expect(alice.getByTestId('screen-viewers')).toHaveText('1 watching');
});

test('ticking "Hide my address" mid-call starts the straight call and screen over through the relay', async ({
  cleanup,
  openUi,
}) => {
  const { server } = await relayedServer({ cleanup });
  const alice = await openApp({ cleanup, openUi }, server.url, 'Alice');
  const bob = await openApp({ cleanup, openUi }, server.url, 'Bob');
  await partyOfTwo(alice, bob, 'Relay evening');
  for (const page of [alice, bob]) await page.getByTestId('voice-join').click();
  await alice.getByTestId('screen-share').click();
  await watchAlice(bob);
  const state = bob.getByTestId('screen-state');
  // Both PCs reach each other straight on this machine: that is the path WebRTC picks.
  await expect(state).toHaveAttribute('data-state', 'connected');
  await expect(state).toHaveAttribute('data-relayed', 'false');
  for (const [page, other] of [
    [alice, 'Bob'],
    [bob, 'Alice'],
  ] as const) {
    await expect(voicePeer(page, other)).toHaveAttribute('data-state', 'connected');
    await expect(voicePeer(page, other)).toHaveAttribute('data-relayed', 'false');
  }

  await hideAddress(alice);
  for (const [page, other] of [
    [alice, 'Bob'],
    [bob, 'Alice'],
  ] as const) {
    await expect(voicePeer(page, other)).toContainText('connected · via relay');
    await expect(voicePeer(page, other)).toHaveAttribute('data-speaking', 'true');
  }
  await expect(state).toHaveText("Watching Alice's screen · via relay");
  await expect(alice.getByTestId('screen-viewers')).toHaveText('1 watching');
});

test('the relay going away mid-call: the rows say so, and the call comes back with it', async ({
  cleanup,
  openUi,
}) => {
  test.slow();
  const { coturn, server } = await relayedServer({ cleanup });
  const alice = await hiddenApp({ cleanup, openUi }, server.url, 'Alice');
  const bob = await hiddenApp({ cleanup, openUi }, server.url, 'Bob');
  await partyOfTwo(alice, bob, 'Relay outage');
  for (const page of [alice, bob]) await page.getByTestId('voice-join').click();
  const rows = [voicePeer(alice, 'Bob'), voicePeer(bob, 'Alice')];
  for (const row of rows) await expect(row).toContainText('connected · via relay');

  await coturn.stop();
  for (const row of rows) {
    await expect(row).toHaveAttribute('data-state', 'failed', { timeout: 60_000 });
    await expect(row).toContainText('could not connect');
    await expect(row.getByTestId('voice-retry')).toBeVisible();
  }
  const back = await CoturnTestServer.start(SECRET, { port: coturn.port });
  cleanup.add(() => back.stop());
  for (const row of rows) {
    await expect(row).toContainText('connected · via relay', { timeout: 60_000 });
    await expect(row).toHaveAttribute('data-speaking', 'true');
  }
});
