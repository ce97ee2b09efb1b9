/**
 * Decimation kernel benchmark (DESIGN.md section 9): Vigie's per-pixel-column M4 reduction against
 * Chart.js's own LTTB decimation plugin, 3 series x 259,200 points (30 days at 10 s) to 3,840
 * columns/samples, both timed inside the same Chromium page, interleaved. Then the pixel check of
 * DESIGN.md section 7: raw, Vigie-reduced and LTTB-reduced series drawn by Chart.js with one config,
 * compared pixel by pixel. Prints medians, the ratio, the target and the pixel counts; asserts
 * nothing (timing targets are read, not enforced). PNGs go to test-results/bench/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Page } from 'playwright-core';
import type * as PageModule from './support/decimation-page';

const TARGET_RATIO = 0.25;
const WARMUP_ROUNDS = 20;
const ROUNDS = 60;
const OUT_DIR = 'test-results/bench';
const setup: PageModule.PageSetup = {
  seriesCount: 3,
  columns: 3840,
  // 1,920 CSS px at a device pixel ratio of 2: a 3,840-pixel-wide canvas, as in the issue.
  cssWidth: 1920,
  cssHeight: 480,
  devicePixelRatio: 2,
  borderWidth: 1,
  yAxisWidth: 48,
};

type PageApi = typeof PageModule;
const GLOBAL_NAME = 'vigieDecimationBench';

/** Calls an export of the bundled page module inside the page. */
async function call<K extends keyof PageApi>(
  page: Page,
  name: K,
  ...args: Parameters<PageApi[K]>
): Promise<ReturnType<PageApi[K]>> {
  const result: unknown = await page.evaluate(
    ({ globalName, name: fn, args: fnArgs }) => {
      const api = (globalThis as unknown as Record<string, Record<string, (...a: unknown[]) => unknown>>)[
        globalName
      ];
      const f = api?.[fn];
      if (!f) throw new Error(`${globalName}.${fn} is not in the page`);
      return f(...fnArgs);
    },
    { globalName: GLOBAL_NAME, name, args: [...args] as unknown[] },
  );
  return result as ReturnType<PageApi[K]>;
}

function quantile(sorted: readonly number[], q: number): number {
  const at = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[at] ?? Number.NaN;
}

function summary(samples: readonly number[]): { median: number; p90: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median =
    sorted.length % 2 === 1
      ? (sorted[mid] ?? Number.NaN)
      : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
  return { median, p90: quantile(sorted, 0.9) };
}

function writePng(name: string, dataUrl: string): string {
  const file = join(OUT_DIR, `decimation-${name}.png`);
  writeFileSync(file, Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64'));
  return file;
}

async function main(): Promise<void> {
  const started = performance.now();
  const require = createRequire(import.meta.url);
  // The UMD build sits next to the CommonJS entry; the package's exports map does not list it.
  const chartUmd = join(dirname(require.resolve('chart.js')), 'chart.umd.js');
  const bundle = await build({
    entryPoints: ['test/bench/support/decimation-page.ts'],
    bundle: true,
    format: 'iife',
    globalName: GLOBAL_NAME,
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0]?.text;
  if (!script) throw new Error('esbuild produced no bundle for the page');

  const browser = await chromium.launch({
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
  });
  try {
    const page = await browser.newPage({ viewport: { width: setup.cssWidth, height: setup.cssHeight } });
    await page.setContent('<!doctype html><html><body style="margin:0"></body></html>');
    await page.addScriptTag({ path: chartUmd });
    await page.addScriptTag({ content: script });

    const prepared = await call(page, 'prepare', setup);
    console.log(
      `data: ${setup.seriesCount} series × ${prepared.points.toLocaleString('en')} points ` +
        `(30 days at 10 s; daily cycle, noise, spikes, a ~2 h gap) → ${setup.columns} columns/samples`,
    );

    // Interleaved rounds; the order of the sides rotates from round to round.
    const vigie: number[] = [];
    const vigieBars: number[] = [];
    const lttb: number[] = [];
    for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
      const r = await call(page, 'timeRound', round);
      if (round < WARMUP_ROUNDS) continue;
      vigie.push(r.vigieMs);
      vigieBars.push(r.vigieBarsMs);
      lttb.push(r.lttbMs);
    }
    const v = summary(vigie);
    const b = summary(vigieBars);
    const l = summary(lttb);
    const ms = (x: number): string => x.toFixed(1);
    console.log(
      `decimation kernel: vigie median ${ms(v.median)} ms (p90 ${ms(v.p90)}) | ` +
        `chart.js LTTB median ${ms(l.median)} ms (p90 ${ms(l.p90)}) | ` +
        `ratio ${(v.median / l.median).toFixed(2)}× (target ≤ ${TARGET_RATIO}×)`,
    );
    console.log(
      `  vigie 'column-mean' form: median ${ms(b.median)} ms (p90 ${ms(b.p90)}) | ` +
        `ratio ${(b.median / l.median).toFixed(2)}× | ${ROUNDS} interleaved rounds after ${WARMUP_ROUNDS} ` +
        `warm-up, in Chromium; performance.now() in a page ticks in ~0.1 ms`,
    );
    console.log(
      `  first run in the page (code not optimised yet): vigie ${ms(prepared.vigieColdMs)} ms, ` +
        `chart.js LTTB ${ms(prepared.lttbColdMs)} ms`,
    );

    const px = await call(page, 'comparePixels');
    const detail = (c: PageModule.PixelComparison): string =>
      `${c.points.toLocaleString('en')} points, ${c.differingMuch} off by > 64/255, max delta ${c.maxChannelDelta}`;
    console.log(
      `pixel identity: vigie vs raw ${px.vigie.differing} differing pixels; lttb vs raw ${px.lttb.differing}`,
    );
    console.log(
      `  canvas ${setup.cssWidth * setup.devicePixelRatio}x${setup.cssHeight * setup.devicePixelRatio} ` +
        `device px (DPR ${setup.devicePixelRatio}), Chart.js ${px.chartJsVersion}, plot area from x=${px.chartArea.left} ` +
        `CSS px, ${px.cssColumns} CSS px = ${px.deviceColumns} device px wide; raw ${px.rawPoints.toLocaleString('en')} points`,
    );
    console.log(
      `  vigie: 'column-mean', ${px.cssColumns} CSS-px columns (${detail(px.vigie)}); ` +
        `points in another column than Chart.js draws them: ${px.misalignedCss}`,
    );
    console.log(
      `  vigie 'own-time' (plain M4), ${px.deviceColumns} device-px columns: ${px.vigieOwnTime.differing} ` +
        `differing (${detail(px.vigieOwnTime)}); misaligned points: ${px.misalignedDevice}`,
    );
    console.log(`  lttb, ${setup.columns} samples: ${detail(px.lttb)}`);
    await call(page, 'sinkValue');
    mkdirSync(OUT_DIR, { recursive: true });
    const files = Object.entries(px.pngs).map(([name, url]) => writePng(name, url));
    console.log(`images: ${files.join(', ')}`);
  } finally {
    await browser.close();
  }
  console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

await main();
