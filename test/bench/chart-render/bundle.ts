/**
 * Bundles the in-page half of the chart render benchmark for Chromium: one IIFE script that puts
 * page.ts's exports on a global. esbuild resolves `chart.js` to its ES module build and tree-shakes
 * it, as the console's bundle does (only what CHART_COMPONENTS, and the LTTB variant's Decimation
 * plugin, pull in).
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const PAGE_GLOBAL = 'vigieChartRenderBench';

const ENTRY = fileURLToPath(new URL('./page.ts', import.meta.url));

export async function bundlePage(): Promise<string> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    format: 'iife',
    globalName: PAGE_GLOBAL,
    platform: 'browser',
    target: 'es2022',
    // Minified as in a production build of the console.
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  const script = result.outputFiles[0]?.text;
  if (!script) throw new Error('esbuild produced no bundle for the chart render page');
  return script;
}
