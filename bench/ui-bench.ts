/**
 * The UI bench: Debian's Chromium (Playwright) on a headless instance in remote mode with a
 * real control server. The page's instance hosts a party; simulated peers join over raw ws.
 * One peer's update_peer must re-render only that peer's row (React Profiler counts) and
 * reach the screen within 50 ms of the server's event (when a raw observer client got it).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PeerClient, peerDict, type WireMessage } from './load/peer-client';
import { runPool } from './load/pool';
import { startNodeScript, type StartedProcess } from './lib/proc';
import { machineInfo, type MachineInfo } from './lib/results';
import { round, summarize, type LatencySummary } from './lib/stats';
import { pageScripts, type PageMark } from './ui-page';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RENDERER_DIR = join(ROOT, 'out', 'renderer');

export interface UiBenchOptions {
  peers: number;
  updates: number;
  reloads: number;
  log(line: string): void;
}
export const FULL_UI: Omit<UiBenchOptions, 'log'> = { peers: 256, updates: 30, reloads: 3 };
export const SMOKE_UI: Omit<UiBenchOptions, 'log'> = { peers: 8, updates: 3, reloads: 1 };

export interface UiBenchResults {
  bench: 'ui';
  machine: MachineInfo;
  smoke: boolean;
  peers: number;
  update: {
    count: number;
    server_to_dom_ms: LatencySummary;
    server_to_frame_ms: LatencySummary;
    send_to_dom_ms: LatencySummary;
    only_target_rerendered: number;
    max_other_rows_rerendered: number;
  };
  first_paint: { fcp_ms: number | null; party_view_ms: number; rows: number; runs: number };
  joins: { peers_joined: number; all_rows_shown_ms: number };
  targets: Record<string, { target: string; value: number | boolean; met: boolean }>;
}

interface Sample {
  serverToDom: number;
  serverToFrame: number;
  sendToDom: number;
  onlyTarget: boolean;
  otherRows: number;
}

const launchArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
];

/** The raw observer client: resolves when the server's party_update shows `name` for `peerId`. */
class Observer {
  private wanted: { peerId: string; name: string; resolve(at: number): void } | null = null;
  readonly sink = (_c: PeerClient, message: WireMessage): void => {
    const w = this.wanted;
    if (!w || message.type !== 'party_update') return;
    const peers = (message.party as { peers?: Record<string, { name?: string }> }).peers ?? {};
    if (peers[w.peerId]?.name !== w.name) return;
    this.wanted = null;
    w.resolve(Date.now());
  };
  expect(peerId: string, name: string, timeoutMs: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`observer never saw ${peerId} as ${name}`)),
        timeoutMs,
      );
      this.wanted = { peerId, name, resolve: (at) => (clearTimeout(timer), resolve(at)) };
    });
  }
}

async function waitMark(page: Page, timeoutMs: number): Promise<PageMark> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const mark = await page.evaluate<PageMark | null>(pageScripts.readMark());
    if (mark) return mark;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('the page never showed the update');
}

async function oneUpdate(
  page: Page,
  observer: Observer,
  sim: PeerClient,
  partyId: string,
  i: number,
): Promise<Sample> {
  const name = `Renamed ${i}`;
  await page.evaluate(pageScripts.armMark(sim.peerId, name));
  const before = await page.evaluate<Record<string, number>>(pageScripts.readProfile());
  const seen = observer.expect(sim.peerId, name, 10_000);
  const sentAt = Date.now();
  await sim.request({
    type: 'update_peer',
    party_id: partyId,
    peer: { ...peerDict(sim.peerId, i), name },
  });
  const serverAt = await seen;
  const mark = await waitMark(page, 10_000);
  // Let React finish the commit the Profiler reports before reading the counts.
  await new Promise((resolve) => setTimeout(resolve, 30));
  const after = await page.evaluate<Record<string, number>>(pageScripts.readProfile());
  const changed = Object.keys(after).filter((k) => after[k] !== before[k]);
  return {
    serverToDom: mark.dom - serverAt,
    serverToFrame: mark.frame - serverAt,
    sendToDom: mark.dom - sentAt,
    onlyTarget: changed.length === 1 && changed[0] === sim.peerId,
    otherRows: changed.filter((k) => k !== sim.peerId).length,
  };
}

async function firstPaint(page: Page, rows: number, runs: number) {
  const times: number[] = [];
  let fcp: number | null = null;
  for (let r = 0; r < runs; r++) {
    await page.reload();
    times.push(await page.evaluate<number>(pageScripts.rowsShown(rows)));
    fcp = await page.evaluate<number | null>(pageScripts.firstContentfulPaint());
  }
  const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  return {
    fcp_ms: fcp === null ? null : round(fcp, 1),
    party_view_ms: round(median, 1),
    rows,
    runs,
  };
}

async function startProcesses(dir: string): Promise<StartedProcess[]> {
  const urlLine = /ws:\/\/127\.0\.0\.1:\d+\/ws/;
  const server = await startNodeScript(
    join(ROOT, 'server/cli.ts'),
    ['--port', '0', '--data-dir', join(dir, 'server')],
    urlLine,
    { cwd: ROOT },
  );
  try {
    const headless = await startNodeScript(
      join(ROOT, 'electron/headless/cli.ts'),
      ['--port', '0', '--renderer-dir', RENDERER_DIR],
      /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/,
      {
        cwd: ROOT,
        env: {
          LANRAGE_HOME: join(dir, 'host'),
          LANRAGE_PEER_NAME: 'Host',
          LANRAGE_CONTROL_SERVER: server.url,
        },
      },
    );
    return [server, headless];
  } catch (error) {
    await server.stop();
    throw error;
  }
}

async function openParty(browser: Browser, url: string): Promise<{ page: Page; partyId: string }> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
  await page.goto(`${url}&profile=1`);
  await page
    .locator('[data-testid="status-bar"][data-state="connected"]')
    .waitFor({ timeout: 20_000 });
  await page.getByTestId('create-party-name').fill('Bench Night');
  await page.getByTestId('create-party-button').click();
  await page.getByTestId('party-id').waitFor({ timeout: 10_000 });
  const partyId = ((await page.getByTestId('party-id').textContent()) ?? '').trim();
  if (!partyId) throw new Error('no party id shown');
  return { page, partyId };
}

async function joinSims(
  url: string,
  partyId: string,
  count: number,
  observer: Observer,
): Promise<PeerClient[]> {
  const sims = Array.from(
    { length: count },
    (_, i) =>
      new PeerClient(`bench_sim_${i}`, partyId, false, i === 0 ? observer.sink : () => undefined),
  );
  const outcome = await runPool(sims, 16, async (sim) => {
    await sim.connect(url, 10_000);
    await sim.request({ type: 'hello', version: '1.0', client: 'lanrage-bench' });
    const answer = await sim.request({
      type: 'join_party',
      party_id: partyId,
      peer: peerDict(sim.peerId, sims.indexOf(sim)),
    });
    if (answer.type !== 'party_update') throw new Error(`join answered with ${answer.type}`);
  });
  if (outcome.failed > 0)
    throw new Error(`${outcome.failed} simulated peers could not join: ${outcome.firstError}`);
  return sims;
}

export async function runUiBench(o: UiBenchOptions, smoke: boolean): Promise<UiBenchResults> {
  if (!existsSync(join(RENDERER_DIR, 'index.html')))
    throw new Error('out/renderer is missing: run `npx electron-vite build` first');
  const dir = mkdtempSync(join(tmpdir(), 'lanrage-ui-bench-'));
  const procs: StartedProcess[] = [];
  let browser: Browser | null = null;
  let sims: PeerClient[] = [];
  try {
    const [server, headless] = await startProcesses(dir);
    procs.push(server!, headless!);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: launchArgs });
    const { page, partyId } = await openParty(browser, headless!.url);
    o.log(`party ${partyId}: ${o.peers - 1} simulated peers joining…`);
    const observer = new Observer();
    const joinStarted = performance.now();
    sims = await joinSims(server!.url, partyId, o.peers - 1, observer);
    await page.evaluate(pageScripts.rowsShown(o.peers));
    const joins = {
      peers_joined: sims.length,
      all_rows_shown_ms: round(performance.now() - joinStarted, 1),
    };
    const samples: Sample[] = [];
    for (let i = 0; i < o.updates; i++)
      samples.push(await oneUpdate(page, observer, sims[1 + (i % (sims.length - 1))]!, partyId, i));
    const paint = await firstPaint(page, o.peers, o.reloads);
    return results(o, smoke, samples, paint, joins);
  } finally {
    for (const sim of sims) sim.close();
    await browser?.close();
    for (const p of procs.reverse()) await p.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function results(
  o: UiBenchOptions,
  smoke: boolean,
  samples: Sample[],
  paint: UiBenchResults['first_paint'],
  joins: UiBenchResults['joins'],
): UiBenchResults {
  const onlyTarget = samples.filter((s) => s.onlyTarget).length;
  const toFrame = summarize(samples.map((s) => s.serverToFrame));
  return {
    bench: 'ui',
    machine: machineInfo(),
    smoke,
    peers: o.peers,
    update: {
      count: samples.length,
      server_to_dom_ms: summarize(samples.map((s) => s.serverToDom)),
      server_to_frame_ms: toFrame,
      send_to_dom_ms: summarize(samples.map((s) => s.sendToDom)),
      only_target_rerendered: onlyTarget,
      max_other_rows_rerendered: Math.max(0, ...samples.map((s) => s.otherRows)),
    },
    first_paint: paint,
    joins,
    targets: {
      only_updated_row_rerenders: {
        target: 'every update re-renders only its row',
        value: onlyTarget === samples.length,
        met: onlyTarget === samples.length,
      },
      update_on_screen_ms: {
        target: 'server event → painted frame <= 50 ms (max)',
        value: toFrame.max,
        met: toFrame.max <= 50,
      },
    },
  };
}
