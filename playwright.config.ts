import { defineConfig } from '@playwright/test';

// End-to-end tests (DESIGN.md section 9). `electron` drives the built app through Playwright's
// _electron and reports itself skipped where no Electron binary exists; `browser` drives the
// console served by `vigie serve` in Chromium. Build first: `npm run test:e2e` does.
export default defineConfig({
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  outputDir: 'test-results/e2e',
  retries: 0,
  workers: 1,
  fullyParallel: false,
  projects: [
    { name: 'electron', testDir: 'test/e2e/electron', testMatch: '*.e2e.ts', timeout: 120_000 },
    {
      name: 'browser',
      testDir: 'test/e2e',
      testMatch: '*.e2e.ts',
      testIgnore: 'electron/**',
      timeout: 120_000,
      use: {
        browserName: 'chromium',
        viewport: { width: 1600, height: 1000 },
        // Debian's Chromium: Playwright's own browser download cannot work on these machines.
        launchOptions: {
          executablePath: process.env.VIGIE_CHROMIUM ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
            '--disable-quic',
          ],
        },
        screenshot: 'only-on-failure',
        trace: 'retain-on-failure',
      },
    },
  ],
});
