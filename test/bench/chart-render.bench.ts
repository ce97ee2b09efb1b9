/**
 * Chart render benchmark (DESIGN.md sections 7 and 9): 3 series × 30 days at 10 s (259,200 points
 * each) in a 1,920 CSS-px chart at device-pixel ratio 2, in Debian Chromium. Time from "data ready"
 * to the first paint of the chart, and long tasks over 50 ms, for three variants in the same run:
 *
 * - vigie: what the product does: the engine's reduction (`decimateForPlot`, as `metrics.query`
 *   calls it) of the raw series to the plot's width in CSS px (the `widthPx` the chart reports),
 *   then the renderer's framePoints, buildChartConfig and its dense-lines plugin (bars where a
 *   line is dense, see renderer/src/components/metric-chart/dense-lines.ts);
 * - lttb (anchor): the raw points with Chart.js's own decimation plugin (LTTB, one sample per
 *   device-px column of the plot) instead of Vigie's plugin;
 * - floor (anchor): Vigie's config with 3 × 1,000 points;
 * - renderer: the vigie variant from the reduced frames, as they arrive from the engine (the
 *   renderer's share of the work; the reduction runs in the engine's process).
 *
 * The reduction runs in the engine, not in the renderer: it is counted here anyway (from raw data
 * ready, as the LTTB anchor), and shown apart in the breakdown ("input + config").
 *
 * Method (see chart-render/page.ts): each run gets a fresh box, canvas and chart; the empty box is
 * laid out and painted first. "Data ready" is the start of a task of its own, with the variant's
 * input already in the page (raw Float64Arrays; for lttb also the {x, y} points Chart.js needs; for
 * floor the 1,000-point frames). The variant then runs synchronously to `new Chart(...)`, which lays
 * out and draws with animation off. Chromium rasterizes the canvas's recorded drawing at the end of
 * that task (CanvasRenderingContext2D::FinalizeFrame, seen in a trace), then the next frame's
 * rendering update hands the bitmap to the compositor (commit). "First paint" is the double rAF:
 * the rAF after the one of the chart's frame starts once that frame has committed. A trace showed
 * it starting right behind the commit: frames are overdue by then, so it adds no vsync wait. The
 * compositor's draw and swap (other threads) are not in the number.
 *
 * Long tasks come from a PerformanceObserver ('longtask') and are matched to the runs they overlap:
 * the one holding "data ready" ran the variant's script, the others are the browser's frame work.
 * Chromium leaves the canvas flush at the end of the task out of its long-task entry (a trace shows
 * the task, the entry only its script), so the variant's whole task, flush included (data ready to
 * the chart's rAF, at most a frame's wait more when the task is short), is printed beside it.
 *
 * Variants are interleaved (order rotating per round) after warm-up rounds. Prints medians, p90,
 * ratios and targets; asserts nothing. Then the pixel check: the vigie drawing (markers off)
 * against the raw series stroked by Chart.js alone (solid), and the reduced data stroked by
 * Chart.js alone against the same (the reduction by itself, pixel-identical when the plot starts on
 * a whole CSS px). One screenshot per variant, and the pixel check's images, in test-results/bench/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { bundlePage, PAGE_GLOBAL } from './chart-render/bundle';
import type * as PageModule from './chart-render/page';

type PageApi = typeof PageModule;
type Variant = PageModule.Variant;

const WARMUP_ROUNDS = 3;
const ROUNDS = 25;
const LONG_TASK_MS = 50;
const TARGET_VS_LTTB = 0.7;
const TARGET_VS_FLOOR = 1.15;
const OUT_DIR = 'test-results/bench';
const VARIANTS: readonly Variant[] = ['vigie', 'lttb', 'floor', 'renderer'];
const LABELS: Readonly<Record<Variant, string>> = {
  vigie: 'vigie (reduction + chart)',
  lttb: 'chart.js LTTB',
  floor: 'floor (3 × 1,000)',
  renderer: 'vigie, renderer only',
};
const setup: PageModule.PageSetup = {
  cssWidth: 1920,
  cssHeight: 480,
  seriesCount: 3,
  floorPoints: 1000,
  locale: 'en-GB',
  timeZone: 'Europe/Brussels',
};
const DEVICE_SCALE_FACTOR = 2;

/** Calls an export of the bundled page module inside the page (promises are awaited there). */
async function call<K extends keyof PageApi>(
  page: Page,
  name: K,
  ...args: Parameters<PageApi[K]>
): Promise<Awaited<ReturnType<PageApi[K]>>> {
  const result: unknown = await page.evaluate(
    ({ globalName, fn, fnArgs }) => {
      const api = (globalThis as unknown as Record<string, Record<string, (...a: unknown[]) => unknown>>)[
        globalName
      ];
      const f = api?.[fn];
      if (!f) throw new Error(`${globalName}.${fn} is not in the page`);
      return f(...fnArgs);
    },
    { globalName: PAGE_GLOBAL, fn: name, fnArgs: [...args] as unknown[] },
  );
  return result as Awaited<ReturnType<PageApi[K]>>;
}

interface Summary {
  readonly median: number;
  readonly p90: number;
}

function summary(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  const mid = n >> 1;
  const median =
    n % 2 === 1
      ? (sorted[mid] ?? Number.NaN)
      : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
  // Nearest rank.
  const p90 = sorted[Math.min(n - 1, Math.max(0, Math.ceil(0.9 * n) - 1))] ?? Number.NaN;
  return { median, p90 };
}

interface RunLongTasks {
  /** The task that ran the variant's code (it holds "data ready"). */
  readonly script: number[];
  /** Other tasks during the run: the browser's frame work (layout, paint, canvas flush). */
  readonly frame: number[];
}

function longTasksOf(run: PageModule.RunResult, all: readonly PageModule.LongTask[]): RunLongTasks {
  const script: number[] = [];
  const frame: number[] = [];
  for (const task of all) {
    const end = task.startTime + task.duration;
    if (task.duration <= LONG_TASK_MS || end <= run.t0 || task.startTime >= run.tNextFrame) continue;
    // Long-task times are coarsened (1 ms); half a millisecond of slack either side.
    if (task.startTime <= run.t0 + 0.5 && end >= run.tScript - 0.5) script.push(task.duration);
    else frame.push(task.duration);
  }
  return { script, frame };
}

const ms = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
const stat = (s: Summary): string => `${ms(s.median)} (p90 ${ms(s.p90)})`;
const pad = (text: string, width: number): string => text.padEnd(width);
/** The machine's load from other work, which these timings are sensitive to. */
const load = (): string => `load average ${(loadavg()[0] ?? 0).toFixed(1)} on ${cpus().length} cores`;

async function main(): Promise<void> {
  const started = performance.now();
  const script = await bundlePage();
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
    const context = await browser.newContext({
      viewport: { width: setup.cssWidth, height: 1080 },
      deviceScaleFactor: DEVICE_SCALE_FACTOR,
    });
    const page = await context.newPage();
    await page.setContent(
      '<!doctype html><html><head><meta charset="utf-8"></head>' +
        '<body style="margin:0;background:#0e1319"></body></html>',
    );
    await page.addScriptTag({ content: script });
    const version = `Chromium ${browser.version()}`;

    const prepared = await call(page, 'prepare', setup);
    console.log(
      `data: ${setup.seriesCount} series × ${prepared.rawPoints.toLocaleString('en')} points (30 days at 10 s), ` +
        `floor ${setup.seriesCount} × ${prepared.floorPoints.toLocaleString('en')}; ${version}; ${load()}`,
    );
    console.log(
      `chart: ${setup.cssWidth}×${setup.cssHeight} CSS px at DPR ${prepared.devicePixelRatio}; plot area ` +
        `x=${prepared.plotLeft.toFixed(1)}, ${prepared.plotWidth.toFixed(1)} CSS px → widthPx ` +
        `${prepared.widthPx} (the reduction's columns); LTTB samples ${prepared.deviceColumns} (device px)`,
    );
    if (!prepared.longTaskSupported) console.log('long tasks: not supported by this browser, not counted');

    const runs: Record<Variant, PageModule.RunResult[]> = { vigie: [], lttb: [], floor: [], renderer: [] };
    for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
      for (let k = 0; k < VARIANTS.length; k++) {
        const variant = VARIANTS[(round + k) % VARIANTS.length] as Variant;
        const result = await call(page, 'run', variant, false);
        if (round >= WARMUP_ROUNDS) runs[variant].push(result);
      }
    }
    const longTasks = await call(page, 'collectLongTasks');

    mkdirSync(OUT_DIR, { recursive: true });
    const shots: string[] = [];
    for (const variant of VARIANTS) {
      await call(page, 'run', variant, true);
      const file = join(OUT_DIR, `chart-${variant}.png`);
      await page.locator('#chart-host').screenshot({ path: file });
      shots.push(file);
    }
    await call(page, 'disposeKept');

    const px = await call(page, 'comparePixels');
    const detail = (c: PageModule.PixelComparison): string =>
      `${c.differing.toLocaleString('en')} differing pixels (${c.differingMuch.toLocaleString('en')} by more ` +
      `than 64/255, max ${c.maxChannelDelta}), ${c.points.toLocaleString('en')} points`;
    for (const [name, url] of Object.entries(px.pngs)) {
      const file = join(OUT_DIR, `chart-pixels-${name}.png`);
      writeFileSync(file, Buffer.from(url.replace(/^data:image\/png;base64,/, ''), 'base64'));
      shots.push(file);
    }

    const paint = {} as Record<Variant, Summary>;
    console.log(
      `\n${pad('variant', 26)}${pad('data ready → first paint', 26)}${pad('JS to new Chart', 22)}` +
        `${pad('task + canvas flush', 24)}points drawn`,
    );
    for (const variant of VARIANTS) {
      const list = runs[variant];
      paint[variant] = summary(list.map((r) => r.tNextFrame - r.t0));
      const js = summary(list.map((r) => r.tScript - r.t0));
      const task = summary(list.map((r) => r.tFrame - r.t0));
      const points = list[0]?.pointsDrawn ?? 0;
      console.log(
        `${pad(LABELS[variant], 26)}${pad(stat(paint[variant]), 26)}${pad(stat(js), 22)}` +
          `${pad(stat(task), 24)}${points.toLocaleString('en')}`,
      );
    }
    // The variants of a round run back to back: the ratio within each round leaves out most of
    // the load other work puts on the machine from round to round (printed beside the ratio of
    // medians; both read against the targets).
    const paired = (variant: Variant, anchor: Variant): Summary =>
      summary(
        runs[variant].map((r, i) => {
          const a = runs[anchor][i];
          return a ? (r.tNextFrame - r.t0) / (a.tNextFrame - a.t0) : Number.NaN;
        }),
      );
    const x = (v: number): string => `${v.toFixed(2)}×`;
    const verdict = (ratio: number, target: number): string =>
      `${x(ratio)} (target ≤ ${target}×, ${ratio <= target ? 'met' : 'NOT met'})`;
    console.log('\nratios, data ready → first paint: of medians | paired per round, median (p90)');
    for (const variant of ['vigie', 'renderer'] as const) {
      const vsLttb = paint[variant].median / paint.lttb.median;
      const vsFloor = paint[variant].median / paint.floor.median;
      const pairedLttb = paired(variant, 'lttb');
      const pairedFloor = paired(variant, 'floor');
      console.log(
        `  ${pad(LABELS[variant], 26)}/LTTB ${verdict(vsLttb, TARGET_VS_LTTB)} | ${x(pairedLttb.median)} ` +
          `(p90 ${x(pairedLttb.p90)});  /floor ${verdict(vsFloor, TARGET_VS_FLOOR)} | ` +
          `${x(pairedFloor.median)} (p90 ${x(pairedFloor.p90)})`,
      );
    }

    console.log(
      '\nbreakdown (medians, ms): input + config | new Chart | canvas flush (+ vsync wait if short) | ' +
        "chart's frame (rendering + commit)",
    );
    for (const variant of VARIANTS) {
      const list = runs[variant];
      const part = (f: (r: PageModule.RunResult) => number): string => ms(summary(list.map(f)).median);
      console.log(
        `  ${pad(LABELS[variant], 27)}${part((r) => r.tConfig - r.t0)} | ${part((r) => r.tScript - r.tConfig)} | ` +
          `${part((r) => r.tFrame - r.tScript)} | ${part((r) => r.tNextFrame - r.tFrame)}`,
      );
    }

    if (prepared.longTaskSupported) {
      console.log(
        `\nlong tasks > ${LONG_TASK_MS} ms, ${ROUNDS} measured runs per variant (PerformanceObserver; ` +
          'the variant task entries cover its script, not the canvas flush):',
      );
      for (const variant of VARIANTS) {
        const perRun = runs[variant].map((r) => longTasksOf(r, longTasks));
        const scriptTasks = perRun.flatMap((t) => t.script);
        const frameTasks = perRun.flatMap((t) => t.frame);
        const all = [...scriptTasks, ...frameTasks];
        const max = (list: readonly number[]): string => (list.length ? `${ms(Math.max(...list))} ms` : '-');
        const whole = runs[variant].map((r) => r.tFrame - r.t0).filter((d) => d > LONG_TASK_MS);
        console.log(
          `  ${pad(LABELS[variant], 27)}${all.length} (max ${max(all)}) | in the variant's task: ` +
            `${scriptTasks.length}, max ${max(scriptTasks)} | browser frame: ${frameTasks.length}, ` +
            `max ${max(frameTasks)} | variant's task with its flush > ${LONG_TASK_MS} ms: ` +
            `${whole.length}/${ROUNDS}, max ${max(whole)}`,
        );
      }
    }

    console.log(
      `\npixels against the raw line (${px.rawPoints.toLocaleString('en')} points stroked by Chart.js alone, ` +
        `solid; it covers ${px.inkPixels.toLocaleString('en')} pixels):`,
    );
    console.log(`  vigie as drawn (markers off): ${detail(px.vigie)}`);
    console.log(`  the reduction alone (stroked by Chart.js): ${detail(px.reductionOnly)}`);

    const areas = new Set(
      VARIANTS.flatMap((v) => runs[v].map((r) => `${r.plotLeft.toFixed(1)}+${r.plotWidth.toFixed(1)}`)),
    );
    console.log(
      `\nplot areas seen (left+width CSS px): ${[...areas].join(', ')}; ${ROUNDS} interleaved rounds after ` +
        `${WARMUP_ROUNDS} warm-up, a fresh box/canvas/chart per run`,
    );
    console.log(`images: ${shots.join(', ')}`);
  } finally {
    await browser.close();
  }
  console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s; ${load()}`);
}

await main();
