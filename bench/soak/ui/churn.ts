/**
 * One cycle of the renderer soak, as a host sees it: a friend (a raw ws client with an id
 * never used again) joins the party the page hosts, beats, renames and leaves, or the host
 * removes them from the member menu; now and then the host opens Settings and closes it.
 * Each step waits until the page shows what it should, so the UI does all its work.
 */
import type { Page } from 'playwright-core';
import { peerDict } from '../../load/peer-client';
import { SimPeer } from '../../ui/sims';

const STEP_TIMEOUT_MS = 10_000;

export interface ChurnContext {
  page: Page;
  serverUrl: string;
  partyId: string;
  /** Counts each step's outcome, `step:ok` or `step:failed`. */
  tally: Map<string, number>;
  firstFailure: string | null;
}

function count(ctx: ChurnContext, key: string): void {
  ctx.tally.set(key, (ctx.tally.get(key) ?? 0) + 1);
}

/** Runs `step`, counting its outcome; a failed step does not stop the soak. */
async function step(ctx: ChurnContext, name: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
    count(ctx, `${name}:ok`);
  } catch (error) {
    count(ctx, `${name}:failed`);
    ctx.firstFailure ??= `${name}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function row(page: Page, name: string) {
  return page.getByTestId('peer-row').filter({ hasText: name });
}

interface RowQuery {
  querySelectorAll(selector: string): { length: number };
}

/** Waits until the member list shows exactly `n` rows. */
export async function shownRows(page: Page, n: number): Promise<void> {
  // A function, not a string: the page's CSP refuses eval. This bench is compiled without the
  // DOM's types, so the page's document is reached through globalThis.
  await page.waitForFunction(
    (rows) => {
      const { document } = globalThis as unknown as { document: RowQuery };
      return document.querySelectorAll('[data-testid="peer-row"]').length === rows;
    },
    n,
    { timeout: STEP_TIMEOUT_MS },
  );
}

async function kick(page: Page, name: string): Promise<void> {
  await row(page, name).getByTestId('member-menu').click();
  await row(page, name).getByTestId('kick-member').click();
}

async function visitSettings(page: Page): Promise<void> {
  await page.getByTestId('settings-button').click();
  await page.getByTestId('settings-dialog').waitFor({ timeout: STEP_TIMEOUT_MS });
  await page.keyboard.press('Escape');
  await page
    .getByTestId('settings-dialog')
    .waitFor({ state: 'detached', timeout: STEP_TIMEOUT_MS });
}

/** Cycle `i`: every 4th friend is removed by the host, every 10th cycle visits Settings. */
export async function runCycle(ctx: ChurnContext, i: number): Promise<void> {
  const friend = new SimPeer(`soak_ui_${i}`);
  const renamed = `Renamed ${i}`;
  try {
    await step(ctx, 'join', async () => {
      await friend.connect(ctx.serverUrl);
      await friend.request({ type: 'hello', version: '1.0', client: 'lanrage-soak-ui' });
      const peer = peerDict(friend.peerId, i);
      const answer = await friend.request({ type: 'join_party', party_id: ctx.partyId, peer });
      if (answer.type !== 'party_update') throw new Error(`join answered ${answer.type}`);
      await shownRows(ctx.page, 2);
    });
    await step(ctx, 'rename', async () => {
      await friend.request({ type: 'heartbeat', party_id: ctx.partyId, peer_id: friend.peerId });
      const peer = { ...peerDict(friend.peerId, i), name: renamed };
      await friend.request({ type: 'update_peer', party_id: ctx.partyId, peer });
      await row(ctx.page, renamed).waitFor({ timeout: STEP_TIMEOUT_MS });
    });
    await step(ctx, i % 4 === 3 ? 'kick' : 'leave', async () => {
      if (i % 4 === 3) await kick(ctx.page, renamed);
      else
        await friend.request({
          type: 'leave_party',
          party_id: ctx.partyId,
          peer_id: friend.peerId,
        });
      await shownRows(ctx.page, 1);
    });
    if (i % 10 === 9) await step(ctx, 'settings', () => visitSettings(ctx.page));
  } finally {
    friend.close();
  }
}
