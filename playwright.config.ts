import { defineConfig } from '@playwright/test'

/**
 * End-to-end tests: the built renderer in Debian's Chromium against the real host over the
 * loopback WebSocket transport (test/e2e/fixtures.ts). `npm test` builds out/renderer first.
 * Never `playwright install`: the browser is /usr/bin/chromium (see TESTING.md).
 */
export default defineConfig({
  testDir: 'test/e2e',
  // Playwright empties test-results/ at the start of a run, so screenshots there are always this run's.
  outputDir: 'test-results',
  reporter: [['list'], ['json', { outputFile: 'reports/playwright.json' }]],
  // Shared 2-core machines: one browser at a time keeps timings honest.
  workers: 1,
  retries: 0,
  fullyParallel: false,
  forbidOnly: true,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    colorScheme: 'light',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
})
