import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests drive the real UI served by headless instances in Debian's Chromium.
 * Fixtures start every process themselves (127.0.0.1, port 0), so there is no webServer.
 */
/** The benches' smoke runs, which measure the page. */
const ALONE = ['**/soak-ui.spec.ts', '**/bench-ui.spec.ts'];

export default defineConfig({
  testDir: 'e2e',
  // The server and headless app, bundled once and started with plain node (tools/test-bundles.ts).
  globalSetup: './e2e/fixtures/global-setup.ts',
  // Most tests wait on timeouts (heartbeats, reconnects, WebRTC): two at a time take 5.9 min
  // where one at a time took 7.7 on two cores. Each starts its own processes on port 0 and its
  // own homes and mDNS ports, so they do not meet.
  workers: 2,
  projects: [
    { name: 'e2e', testMatch: '**/*.spec.ts', testIgnore: ALONE },
    // Benches read the page's counters and timings: beside another test, the soak's page once
    // held 5 listeners more at its last reading. `npm run test:e2e` runs them after the rest,
    // one at a time.
    { name: 'alone', testMatch: ALONE, workers: 1 },
  ],
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  outputDir: 'test-results',
  reporter: 'list',
  use: {
    headless: true,
    viewport: { width: 1100, height: 760 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    },
  },
});
