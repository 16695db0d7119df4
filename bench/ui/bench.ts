/**
 * The UI bench: Debian's Chromium (Playwright) on a headless instance in remote mode with a
 * real control server. The page's instance hosts a party; simulated peers join over raw ws.
 * One peer's update_peer must re-render only that peer's row (React Profiler counts) and be
 * on screen within 50 ms of the server's event (when a raw observer client in Node got it).
 *
 * Two passes, each on fresh processes: the production build (latency, first paint) and the
 * profiling build (re-render counts; production React never calls Profiler's onRender).
 * In both, a baseline page that is a raw WebSocket member writing names straight into the
 * DOM sees the same events, so the app's latency is also reported as a ratio to it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { peerDict, type WireMessage } from '../load/peer-client';
import type { StartedProcess } from '../lib/proc';
import { round } from '../lib/stats';
import { pageScripts, type PageMark } from './page';
import {
  bundleSize,
  uiResults,
  type FirstPaint,
  type PassOutcome,
  type Sample,
  type UiBenchResults,
} from './results';
import { joinSims, type SimPeer } from './sims';
import {
  buildProfilingRenderer,
  openBaseline,
  openParty,
  RenderBuild,
  startProcesses,
} from './setup';

export interface UiBenchOptions {
  peers: number;
  updates: number;
  reloads: number;
  log(line: string): void;
}
export const FULL_UI: Omit<UiBenchOptions, 'log'> = { peers: 256, updates: 40, reloads: 5 };
export const SMOKE_UI: Omit<UiBenchOptions, 'log'> = { peers: 8, updates: 3, reloads: 1 };

const MARK_TIMEOUT_MS = 10_000;
/** Time after the painted frame for any late commit to show up in the Profiler counts. */
const SETTLE_MS = 50;

const launchArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
];

/**
 * The raw observer: a party member whose frames are timestamped on arrival. Resolves with
 * Date.now() of the party_update that shows `name` for `peerId`.
 */
class Observer {
  private wanted: { peerId: string; name: string; resolve(at: number): void } | null = null;
  readonly onFrame = (text: string, at: number): void => {
    const w = this.wanted;
    if (!w || !text.includes(JSON.stringify(w.name))) return;
    const message = JSON.parse(text) as WireMessage;
    if (message.type !== 'party_update') return;
    const peers = (message.party as { peers?: Record<string, { name?: string }> }).peers ?? {};
    if (peers[w.peerId]?.name !== w.name) return;
    this.wanted = null;
    w.resolve(at);
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

interface Stage {
  app: Page;
  baseline: Page;
  observer: Observer;
  partyId: string;
}

async function oneUpdate(stage: Stage, sim: SimPeer, i: number): Promise<Sample> {
  const { app, baseline, observer } = stage;
  const name = `Renamed ${i}`;
  await Promise.all([
    app.evaluate(pageScripts.armMark(sim.peerId, name)),
    baseline.evaluate(pageScripts.armMark(sim.peerId, name)),
  ]);
  const before = await app.evaluate<Record<string, number>>(pageScripts.readProfile());
  const seen = observer.expect(sim.peerId, name, MARK_TIMEOUT_MS);
  const sentAt = Date.now();
  const peer = { ...peerDict(sim.peerId, i), name };
  await sim.request({ type: 'update_peer', party_id: stage.partyId, peer });
  const [serverAt, mark, baseMark] = await Promise.all([
    seen,
    app.evaluate<PageMark>(pageScripts.awaitMark(MARK_TIMEOUT_MS)),
    baseline.evaluate<PageMark>(pageScripts.awaitMark(MARK_TIMEOUT_MS)),
  ]);
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const after = await app.evaluate<Record<string, number>>(pageScripts.readProfile());
  return {
    serverToDom: mark.dom - serverAt,
    serverToFrame: mark.frame - serverAt,
    sendToDom: mark.dom - sentAt,
    baselineToDom: baseMark.dom - serverAt,
    baselineToFrame: baseMark.frame - serverAt,
    committed: Object.keys(after).filter((k) => after[k] !== before[k]),
    target: sim.peerId,
  };
}

const median = (values: readonly number[]): number | null =>
  values.length === 0 ? null : [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function firstPaint(page: Page, rows: number, runs: number): Promise<FirstPaint> {
  const times: number[] = [];
  const fcps: number[] = [];
  for (let r = 0; r < runs; r++) {
    await page.reload();
    times.push(await page.evaluate<number>(pageScripts.rowsShown(rows)));
    const fcp = await page.evaluate<number | null>(pageScripts.firstContentfulPaint());
    if (fcp !== null) fcps.push(fcp);
  }
  const fcp = median(fcps);
  return {
    fcp_ms: fcp === null ? null : round(fcp, 1),
    party_view_ms: round(median(times)!, 1),
    rows,
    runs,
  };
}

async function runPass(
  browser: Browser,
  rendererDir: string,
  o: UiBenchOptions,
): Promise<PassOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'lanrage-ui-bench-'));
  const procs: StartedProcess[] = [];
  let sims: SimPeer[] = [];
  const pages: Page[] = [];
  try {
    const [server, headless] = await startProcesses(dir, rendererDir);
    procs.push(server!, headless!);
    const { page: app, partyId } = await openParty(browser, headless!.url);
    pages.push(app);
    o.log(`party ${partyId} (${rendererDir}): ${o.peers - 1} peers joining…`);
    const observer = new Observer();
    const joinStarted = performance.now();
    sims = await joinSims(server!.url, partyId, o.peers - 2, observer.onFrame, async () => {
      pages.push(await openBaseline(browser, server!.url, partyId));
    });
    const baseline = pages[1]!;
    await app.evaluate(pageScripts.rowsShown(o.peers));
    const joins = {
      peers_joined: o.peers - 1,
      all_rows_shown_ms: round(performance.now() - joinStarted, 1),
    };
    const stage = { app, baseline, observer, partyId };
    const samples: Sample[] = [];
    for (let i = 0; i < o.updates; i++)
      samples.push(await oneUpdate(stage, sims[1 + (i % (sims.length - 1))]!, i));
    return { samples, paint: await firstPaint(app, o.peers, o.reloads), joins };
  } finally {
    for (const sim of sims) sim.close();
    for (const page of pages) await page.context().close();
    for (const p of procs.reverse()) await p.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runUiBench(o: UiBenchOptions, smoke: boolean): Promise<UiBenchResults> {
  if (o.peers < 4) throw new Error('the UI bench needs a party of at least 4');
  if (!existsSync(join(RenderBuild.PRODUCTION, 'index.html')))
    throw new Error('out/renderer is missing: run `npx electron-vite build` first');
  o.log('building the profiling renderer (out/renderer-profiling)…');
  await buildProfilingRenderer();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: launchArgs });
  try {
    const production = await runPass(browser, RenderBuild.PRODUCTION, o);
    const profiling = await runPass(browser, RenderBuild.PROFILING, o);
    return uiResults(o.peers, smoke, production, profiling, bundleSize(RenderBuild.PRODUCTION));
  } finally {
    await browser.close();
  }
}
