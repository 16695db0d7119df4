/**
 * The renderer under churn: the production build of the UI in Debian's Chromium, served by a
 * headless instance that hosts a party on a real control server, through K + S·K cycles of
 * friends coming and going (churn.ts). After the warm-up and after each further K, with the
 * host alone again, the page is read (page-reading.ts). Does the window of a host who keeps
 * a party up all evening stay the same size?
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import type { StartedProcess } from '../../lib/proc';
import { machineInfo, type JudgedTarget, type MachineInfo } from '../../lib/results';
import { openParty, RenderBuild, startProcesses } from '../../ui/setup';
import { runCycle, shownRows, type ChurnContext } from './churn';
import { readPage, type PageReading } from './page-reading';

export type { PageReading } from './page-reading';

export interface UiSoakOptions {
  warmup: number;
  segments: number;
  /** Where to write the page's heap snapshots at the first and last checkpoints. */
  snapshotsDir: string | null;
  log(line: string): void;
}

export interface UiSoakResults {
  bench: 'soak-ui';
  machine: MachineInfo;
  options: { warmup: number; segments: number };
  checkpoints: PageReading[];
  outcomes: Record<string, number>;
  failures: number;
  first_failure: string | null;
  page_errors: string[];
  targets: Record<'data_ratio' | 'dom_flat' | 'unexpected_failures', JudgedTarget>;
}

/**
 * The smallest warm-up that fills the activity list to its cap (MAX_ACTIVITY lines, two a
 * cycle), so that the page shows as much at the warm-up as at the end.
 */
export const SMOKE_WARMUP = 30;

/** The page's values after the last segment over the warm-up's (nothing grows by design). */
export const UI_DATA_RATIO_MAX = 1.05;

export function uiSoakTargets(
  first: PageReading,
  end: PageReading,
  failures: number,
  pageErrors: number,
): UiSoakResults['targets'] {
  const ratio = end.data_bytes / first.data_bytes;
  const domGrown =
    end.dom_nodes > first.dom_nodes ||
    end.js_event_listeners > first.js_event_listeners ||
    end.documents > first.documents;
  return {
    data_ratio: {
      target: `the page's values (its heap less code and the browser's own) <= ${UI_DATA_RATIO_MAX}x the warm-up's`,
      value: Number(ratio.toFixed(3)),
      met: ratio <= UI_DATA_RATIO_MAX,
    },
    dom_flat: {
      target: 'DOM nodes, event listeners and documents no more than at the warm-up',
      value: `${first.dom_nodes} → ${end.dom_nodes} nodes, ${first.js_event_listeners} → ${end.js_event_listeners} listeners`,
      met: !domGrown,
    },
    unexpected_failures: {
      target: 'every step shows what it should; no error in the page',
      value: failures + pageErrors,
      met: failures + pageErrors === 0,
    },
  };
}

/** Every segment's cycles, each followed by a reading with the host alone again. */
async function churnAndRead(ctx: ChurnContext, options: UiSoakOptions): Promise<PageReading[]> {
  const { warmup, segments, snapshotsDir } = options;
  const checkpoints: PageReading[] = [];
  for (let s = 0; s <= segments; s++) {
    const cycles = warmup * (s + 1);
    for (let i = warmup * s; i < cycles; i++) await runCycle(ctx, i);
    await shownRows(ctx.page, 1);
    const keep = snapshotsDir !== null && (s === 0 || s === segments);
    const file = keep ? join(snapshotsDir, `page-${cycles}.heapsnapshot`) : null;
    const reading = await readPage(ctx.page, cycles, file);
    checkpoints.push(reading);
    const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(2);
    options.log(
      `${cycles} cycles: page JS heap ${mib(reading.js_heap_used)} MiB, values ` +
        `${mib(reading.data_bytes)} MiB, ${reading.dom_nodes} DOM nodes`,
    );
  }
  return checkpoints;
}

function results(
  ctx: ChurnContext,
  options: UiSoakOptions,
  checkpoints: PageReading[],
  pageErrors: string[],
): UiSoakResults {
  const failures = [...ctx.tally]
    .filter(([key]) => key.endsWith(':failed'))
    .reduce((n, [, c]) => n + c, 0);
  return {
    bench: 'soak-ui',
    machine: machineInfo(),
    options: { warmup: options.warmup, segments: options.segments },
    checkpoints,
    outcomes: Object.fromEntries([...ctx.tally].sort()),
    failures,
    first_failure: ctx.firstFailure,
    page_errors: pageErrors.slice(0, 10),
    targets: uiSoakTargets(checkpoints[0]!, checkpoints.at(-1)!, failures, pageErrors.length),
  };
}

async function onHostedParty(
  page: Page,
  serverUrl: string,
  partyId: string,
  options: UiSoakOptions,
) {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const ctx: ChurnContext = { page, serverUrl, partyId, tally: new Map(), firstFailure: null };
  const checkpoints = await churnAndRead(ctx, options);
  return results(ctx, options, checkpoints, pageErrors);
}

export async function runUiSoak(options: UiSoakOptions): Promise<UiSoakResults> {
  if (!existsSync(join(RenderBuild.PRODUCTION, 'index.html')))
    throw new Error('out/renderer is missing: run `npx electron-vite build` first');
  const dir = mkdtempSync(join(tmpdir(), 'lanrage-soak-ui-'));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  let processes: StartedProcess[] = [];
  try {
    processes = await startProcesses(dir, RenderBuild.PRODUCTION);
    const [server, headless] = processes as [StartedProcess, StartedProcess];
    const { page, partyId } = await openParty(browser, headless.url);
    return await onHostedParty(page, server.url, partyId, options);
  } finally {
    await browser.close();
    for (const p of processes.reverse()) await p.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
