import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// Three builds from one config (see docs/adr/0001-engine-in-utility-process.md):
// - main: the Electron shell, the utilityProcess entry that hosts the engine, and the `vigie` CLI
//   (the CLI and the engine host never import 'electron', so they also run under plain Node);
// - preload: one CommonJS file, because sandboxed preloads cannot be ES modules;
// - renderer: the React console, served by the custom app:// protocol or by `vigie serve`.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          'engine-host': resolve(__dirname, 'electron/engine/host/utility-host.ts'),
          cli: resolve(__dirname, 'electron/engine/cli/main.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      // Browser seats on wall displays load it over the LAN: ship it minified.
      minify: true,
      rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
    },
  },
});
