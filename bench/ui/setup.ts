/**
 * What one pass of the UI bench stands on: a control server and a headless instance (remote
 * mode) serving one build of the renderer, the app page hosting a party, the simulated peers
 * (raw ws clients in Node) and the baseline page (a raw WebSocket member in the browser).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { peerDict } from '../load/peer-client';
import { startNodeScript, type StartedProcess } from '../lib/proc';
import { LOAD_SERVER_FLAGS } from '../lib/server-flags';
import { pageScripts } from './page';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const RenderBuild = {
  PRODUCTION: join(ROOT, 'out', 'renderer'),
  PROFILING: join(ROOT, 'out', 'renderer-profiling'),
} as const;

/** Builds out/renderer-profiling (React DOM's profiling build; see electron.vite.config.ts). */
export function buildProfilingRenderer(): Promise<void> {
  const cli = join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const child = spawn(process.execPath, [cli, 'build', '--mode', 'profiling'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errText = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (errText = (errText + chunk).slice(-8192)));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`profiling build failed (${code}):\n${errText}`)),
    );
  });
}

export async function startProcesses(dir: string, rendererDir: string): Promise<StartedProcess[]> {
  const server = await startNodeScript(
    join(ROOT, 'server/cli.ts'),
    ['--port', '0', '--data-dir', join(dir, 'server'), ...LOAD_SERVER_FLAGS],
    /ws:\/\/127\.0\.0\.1:\d+\/ws/,
    { cwd: ROOT },
  );
  try {
    // A returning user: no first-run welcome between the page and its party.
    mkdirSync(join(dir, 'host'), { recursive: true });
    writeFileSync(join(dir, 'host', 'config.json'), '{"welcome_done":true}');
    const headless = await startNodeScript(
      join(ROOT, 'electron/headless/cli.ts'),
      ['--port', '0', '--renderer-dir', rendererDir],
      /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/,
      {
        cwd: ROOT,
        env: {
          LANRAGE_HOME: join(dir, 'host'),
          LANRAGE_PEER_NAME: 'Host',
          LANRAGE_CONTROL_SERVER: server.url,
          LANRAGE_LAN_DISCOVERY: 'off',
        },
      },
    );
    return [server, headless];
  } catch (error) {
    await server.stop();
    throw error;
  }
}

export async function openParty(
  browser: Browser,
  url: string,
): Promise<{ page: Page; partyId: string }> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
  await page.goto(`${url}&profile=1`);
  await page
    .locator('[data-testid="status-bar"][data-state="connected"]')
    .waitFor({ timeout: 20_000 });
  await page.getByTestId('create-party-name').fill('Bench Night');
  // The party of 256 needs the largest limit (the form's default is 8; the server enforces it).
  await page.getByTestId('create-max-players').fill('256');
  await page.getByTestId('create-party-button').click();
  await page.getByTestId('party-id').waitFor({ timeout: 10_000 });
  const partyId = ((await page.getByTestId('party-id').textContent()) ?? '').trim();
  if (!partyId) throw new Error('no party id shown');
  return { page, partyId };
}

/** The baseline page, in its own browser context (its own window, never a background tab). */
export async function openBaseline(browser: Browser, url: string, partyId: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const page = await context.newPage();
  // Chromium's local network access checks refuse a ws to 127.0.0.1 from about:blank; the
  // server's own plain-HTTP answer (426, a line of text) gives the page a loopback origin.
  await page.goto(url.replace(/^ws/, 'http'));
  await page.evaluate(pageScripts.baseline(url, partyId, peerDict('bench_baseline', 250)));
  return page;
}
