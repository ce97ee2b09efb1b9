import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Test levels (DESIGN.md section 9): unit tests sit beside their code; integration tests talk to
// real server binaries started by test/servers. Browser and Electron e2e tests run under Playwright.
export default defineConfig({
  plugins: [react()],
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'electron/**/*.test.ts',
            'shared/**/*.test.ts',
            'test/servers/**/*.test.ts',
            'test/lint/**/*.test.ts',
            'test/security/**/*.test.ts',
            'test/support/**/*.test.ts',
          ],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'renderer',
          include: ['renderer/**/*.test.tsx', 'renderer/**/*.test.ts'],
          environment: 'jsdom',
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.int.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
