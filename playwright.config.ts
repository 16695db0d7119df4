import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests drive the real UI served by headless instances in Debian's Chromium.
 * Fixtures start every process themselves (127.0.0.1, port 0), so there is no webServer.
 */
export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  // Most tests wait on timeouts (heartbeats, reconnects, WebRTC): two at a time take 5.9 min
  // where one at a time took 7.7 on two cores. Each starts its own processes on port 0 and its
  // own homes and mDNS ports, so they do not meet.
  workers: 2,
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
