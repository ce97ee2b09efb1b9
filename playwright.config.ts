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
    { name: 'browser', testDir: 'test/e2e', testMatch: '*.e2e.ts', testIgnore: 'electron/**' },
  ],
});
