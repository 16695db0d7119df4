/**
 * The last two names a keyboard could not show whole (names.css, without a Tab stop per name):
 * a row under Parties nearby that two PCs announce (no control in it) and the join dialog's
 * "Waiting for the host of …" when Enter in the field sent the request (no button had focus).
 */
import { LanDiscovery } from '../electron/core/lan/discovery';
import { openMdnsTransport } from '../electron/core/lan/mdns-transport';
import { systemClock } from '../shared/time/clock';
import { PROTOCOL_VERSION } from '../shared/protocol/protocol';
import { axeViolations } from './fixtures/a11y';
import { createWith, remoteSetUp } from './fixtures/access';
import { byKeyboard, linesOf } from './fixtures/names';
import { mdnsPortFor, startHeadless } from './fixtures/processes';
import { expect, snap, test } from './fixtures/test';

const PARTY = 'W'.repeat(64);
const NARROW = { viewport: { width: 360, height: 740 } };

/** How many words of the waiting sentence, apart from the name, break over two lines. */
const brokenWords = `(() => {
  const words = document.querySelector('[data-testid=join-waiting] .waiting');
  const walker = document.createTreeWalker(words, NodeFilter.SHOW_TEXT);
  let broken = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest('.name-clamp')) continue;
    for (const match of node.textContent.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (tops.size > 1) broken += 1;
    }
  }
  return broken;
})()`;

test('a party two PCs announce: its cut name shows whole with keyboard focus on the list, one Tab stop', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(60_000);
  const home = cleanup.tempDir('keys-nearby');
  const mdnsPort = await mdnsPortFor(home);
  const bob = await startHeadless({ home, peerName: 'Bob', mdnsPort });
  cleanup.add(() => bob.process.kill());
  const page = await openUi(bob.url, { bypassCSP: true, ...NARROW });
  const announce = async (address: string, party_id: string, name: string) => {
    const transport = await openMdnsTransport({ port: mdnsPort, interface: address });
    const pc = new LanDiscovery({ transport, clock: systemClock, hostName: `${address}.local` });
    cleanup.add(() => pc.close());
    pc.advertise({
      ...{ party_id, name, host_name: 'Dana', peer_count: 1, max_peers: 8 },
      ...{ protocol: PROTOCOL_VERSION, port: 8667 },
    });
  };
  // A joinable row's cut name has its Join: the list is no Tab stop for it.
  await announce('127.0.0.1', 'party_joinable', 'J'.repeat(64));
  const list = page.getByTestId('discovered-list');
  await expect(list.getByRole('button', { name: /^Join J/ })).toBeVisible({ timeout: 5000 });
  expect(await linesOf(page, '[data-party-id=party_joinable] .discovered-name')).toBeLessThan(2.1);
  await expect(list).not.toHaveAttribute('tabindex');

  await announce('127.0.0.1', 'party_twice', PARTY);
  await announce('127.0.0.2', 'party_twice', PARTY);
  const contested = page.locator('[data-party-id=party_twice]');
  await expect(contested).toHaveAttribute('data-contested', 'true', { timeout: 5000 });
  const name = '[data-party-id=party_twice] .discovered-name';
  expect(await linesOf(page, name)).toBeLessThan(2.1);
  await expect(list).toHaveAttribute('tabindex', '0');
  await byKeyboard(page, list);
  expect(await linesOf(page, name)).toBeGreaterThan(2.5);
  await snap(page, 'names-by-keys-contested-focused-360px');
  // A list that takes focus, labelled by its heading: nothing serious or critical to axe.
  await expect(list).toHaveAccessibleName('Parties nearby');
  expect(await axeViolations(page)).toEqual([]);
  // The next Tab goes on to the joinable row's Join: one stop for the list's names.
  await page.keyboard.press('Tab');
  await expect(list.getByRole('button', { name: /^Join J/ })).toBeFocused();
});

test('the wait, after Enter in the join field: focus on its sentence shows the party name whole', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(60_000);
  const { ui } = await remoteSetUp({ cleanup, openUi });
  const alice = await ui('Alice');
  const partyId = await createWith(alice, PARTY, { policy: 'approval' });
  const bob = await ui('Bob', [], NARROW);
  const sentence = '[data-testid=join-waiting] .name-clamp';
  await bob.getByTestId('open-join-dialog').click();
  await bob.getByTestId('join-input').fill(partyId);
  await bob.getByTestId('join-input').press('Enter');
  await expect(bob.getByTestId('join-waiting')).toContainText(PARTY);
  await expect(bob.locator('.waiting')).toBeFocused();
  expect(await linesOf(bob, sentence)).toBeGreaterThan(2.5);
  // Its words run as a sentence: each a column of its own, "Waiting" broke as "Wait/ing".
  expect(await bob.evaluate<number>(brokenWords)).toBe(0);
  await snap(bob, 'names-by-keys-waiting-360px');
  // Cancelled by mouse: the name held whole under the pointer, the click reached Cancel.
  await bob.getByTestId('join-cancel-wait').click();
  await expect(bob.getByTestId('join-dialog')).toBeHidden();
});
