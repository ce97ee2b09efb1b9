/**
 * The in-page half of the decimation benchmark, bundled for Chromium with esbuild and injected next
 * to Chart.js's UMD build (the `Chart` global). Chart.js runs its LTTB decimation plugin during
 * `update()`, so both sides are timed in the same JavaScript engine, and the pixel comparison
 * draws raw, Vigie-decimated and LTTB-decimated series with one and the same Chart.js config.
 *
 * tsconfig.node.json compiles test/bench without the DOM library, so the few browser and Chart.js
 * shapes used here are declared structurally below instead of widening that program's globals.
 */
import { decimateColumns, type DecimatedSeries } from '../../../shared/domain/decimate';
import {
  makeSeries,
  POINTS_PER_SERIES,
  SAMPLE_EVERY_MS,
  START_MS,
  type BenchSeries,
} from './decimation-data';

interface ImageDataLike {
  readonly data: Uint8ClampedArray;
}
interface Context2D {
  fillStyle: string;
  save(): void;
  restore(): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  getImageData(x: number, y: number, w: number, h: number): ImageDataLike;
  createImageData(w: number, h: number): ImageDataLike;
  putImageData(image: ImageDataLike, x: number, y: number): void;
}
interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): Context2D | null;
  toDataURL(type: 'image/png'): string;
}
interface ChartArea {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
  readonly width: number;
  readonly height: number;
}
interface ScaleLike {
  width: number;
  getPixelForValue(value: number): number;
}
interface ChartLike {
  readonly chartArea: ChartArea;
  readonly canvas: CanvasLike;
  readonly ctx: Context2D;
  readonly width: number;
  readonly height: number;
  readonly scales: Readonly<Record<string, ScaleLike | undefined>>;
  update(mode: 'none'): void;
}
type Hook = (this: unknown, ...args: unknown[]) => unknown;
interface PluginLike {
  beforeElementsUpdate?: Hook;
}
interface ChartStatic {
  new (canvas: CanvasLike, config: object): ChartLike;
  readonly version: string;
  readonly registry: { getPlugin(id: string): PluginLike | undefined };
}
interface PageGlobals {
  readonly Chart: ChartStatic;
  readonly document: {
    createElement(tag: 'canvas'): CanvasLike;
    readonly body: { appendChild(node: CanvasLike): void };
  };
}

interface Point {
  readonly x: number;
  readonly y: number | null;
}

/** What the Node side passes in: the plot geometry both timing and drawing use. */
export interface PageSetup {
  readonly seriesCount: number;
  /** Kernel columns and LTTB samples for the timing comparison. */
  readonly columns: number;
  readonly cssWidth: number;
  readonly cssHeight: number;
  readonly devicePixelRatio: number;
  readonly borderWidth: number;
  /**
   * Width of the y axis in CSS px, fixed (as a console would, to align stacked charts) so that the
   * plot area starts on a whole CSS px: the kernel's columns then fall on Chart.js's pixel columns.
   */
  readonly yAxisWidth: number;
}

export interface TimingRound {
  /** Vigie's kernel, min/max at their own times (M4). */
  readonly vigieMs: number;
  /** Vigie's kernel, min/max/last at the column's mean time (the form that draws like raw). */
  readonly vigieBarsMs: number;
  readonly lttbMs: number;
}

/** One decimated drawing compared with the raw one. */
export interface PixelComparison {
  readonly points: number;
  readonly differing: number;
  /** Of those, pixels off by more than a quarter of the range in some channel. */
  readonly differingMuch: number;
  readonly maxChannelDelta: number;
}

export interface PixelReport {
  readonly chartJsVersion: string;
  readonly chartArea: ChartArea;
  readonly rawPoints: number;
  /** Plot width in CSS px: the columns Chart.js strokes a raw line in (it truncates x to CSS px). */
  readonly cssColumns: number;
  /** Plot width in device px. */
  readonly deviceColumns: number;
  /** Raw points whose kernel column differs from the column Chart.js draws them in. */
  readonly misalignedCss: number;
  readonly misalignedDevice: number;
  /** 'column-mean' reduction, CSS-px columns: the usage meant to draw like raw. */
  readonly vigie: PixelComparison;
  /** 'own-time' reduction (plain M4), device-px columns, for contrast. */
  readonly vigieOwnTime: PixelComparison;
  readonly lttb: PixelComparison;
  readonly pngs: Readonly<Record<string, string>>;
}

const page = globalThis as unknown as PageGlobals;
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];

let setup: PageSetup | undefined;
let series: BenchSeries[] = [];
let rawPoints: Point[][] = [];
let from = 0;
let to = 0;
let yMin = 0;
let yMax = 0;
let timingChart: ChartLike | undefined;
let lastLttbMs = Number.NaN;
/** Where results go so that no engine can drop the work that made them as dead code. */
let sink = 0;

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`decimation bench: ${what} missing (prepare() first?)`);
  return value;
}

/**
 * Chart.js wants {x, y} objects with `parsing: false`. A gap is a null y, as the API carries it
 * and as Chart.js documents it (it skips the point and breaks the line).
 */
function toPoints(times: Float64Array, values: Float64Array): Point[] {
  const points: Point[] = new Array<Point>(times.length);
  for (let i = 0; i < times.length; i++) {
    const y = values[i] ?? Number.NaN;
    points[i] = { x: times[i] ?? 0, y: Number.isNaN(y) ? null : y };
  }
  return points;
}

function newCanvas(s: PageSetup): CanvasLike {
  const canvas = page.document.createElement('canvas');
  canvas.width = s.cssWidth;
  canvas.height = s.cssHeight;
  page.document.body.appendChild(canvas);
  return canvas;
}

/** One config for every chart: only the data and the decimation plugin differ. */
function chartConfig(s: PageSetup, data: Point[][], lttb: boolean): object {
  return {
    type: 'line',
    data: {
      datasets: data.map((points, i) => ({
        data: points,
        borderColor: COLORS[i % COLORS.length],
        borderWidth: s.borderWidth,
        pointRadius: 0,
        fill: false,
      })),
    },
    options: {
      responsive: false,
      animation: false,
      parsing: false,
      normalized: true,
      devicePixelRatio: s.devicePixelRatio,
      events: [],
      plugins: {
        legend: { display: false },
        tooltip: { enabled: false },
        decimation: { enabled: lttb, algorithm: 'lttb', samples: s.columns },
      },
      scales: {
        x: {
          type: 'linear',
          min: from,
          max: to,
          // Day labels kept inside the plot, so the first and last do not push its edges around.
          ticks: {
            maxRotation: 0,
            align: 'inner',
            callback: (value: number | string) => new Date(Number(value)).toISOString().slice(5, 10),
          },
        },
        y: {
          type: 'linear',
          min: yMin,
          max: yMax,
          afterFit: (scale: ScaleLike) => {
            scale.width = s.yAxisWidth;
          },
        },
      },
    },
    plugins: [
      {
        // An opaque background, so the PNGs read like the console and alpha plays no part.
        id: 'vigieBenchBackground',
        beforeDraw: (chart: ChartLike) => {
          chart.ctx.save();
          chart.ctx.fillStyle = '#ffffff';
          chart.ctx.fillRect(0, 0, chart.width, chart.height);
          chart.ctx.restore();
        },
      },
    ],
  };
}

export interface Prepared {
  readonly points: number;
  /** The first run of each side in the page, code not yet optimised: the engine's first request. */
  readonly vigieColdMs: number;
  readonly lttbColdMs: number;
}

/** Generates the series and builds the LTTB chart the timing rounds update. */
export function prepare(s: PageSetup): Prepared {
  setup = s;
  series = Array.from({ length: s.seriesCount }, (_, i) => makeSeries(i));
  rawPoints = series.map((x) => toPoints(x.times, x.values));
  from = START_MS;
  to = START_MS + POINTS_PER_SERIES * SAMPLE_EVERY_MS;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const x of series)
    for (const v of x.values) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  const pad = (hi - lo) * 0.05;
  yMin = Math.floor(lo - pad);
  yMax = Math.ceil(hi + pad);

  // Time exactly the decimation plugin's hook (LTTB over every dataset), not layout or drawing.
  const plugin = required(page.Chart.registry.getPlugin('decimation'), 'Chart.js decimation plugin');
  const hook = required(plugin.beforeElementsUpdate, 'decimation beforeElementsUpdate hook');
  plugin.beforeElementsUpdate = function (this: unknown, ...args: unknown[]): unknown {
    const t0 = performance.now();
    const result = hook.apply(this, args);
    lastLttbMs = performance.now() - t0;
    return result;
  };
  const t0 = performance.now();
  const cold = decimateAll(s.columns, from, to, 'own-time');
  const vigieColdMs = performance.now() - t0;
  for (const o of cold) sink += o.times.length;
  // Building the chart runs the plugin once.
  timingChart = new page.Chart(newCanvas(s), chartConfig(s, rawPoints, true));
  return { points: POINTS_PER_SERIES, vigieColdMs, lttbColdMs: lastLttbMs };
}

function decimateAll(
  columns: number,
  rangeFrom: number,
  rangeTo: number,
  extremesAt: 'own-time' | 'column-mean',
): DecimatedSeries[] {
  return series.map((x) => decimateColumns(x, rangeFrom, rangeTo, columns, { extremesAt }));
}

/**
 * One interleaved round: Vigie's kernel on every series in both forms and Chart.js's LTTB, in an
 * order that rotates from round to round so that no side always runs first or last.
 */
export function timeRound(round: number): TimingRound {
  const s = required(setup, 'setup');
  const chart = required(timingChart, 'timing chart');
  const timed = (run: () => DecimatedSeries[]): number => {
    const t0 = performance.now();
    const out = run();
    const ms = performance.now() - t0;
    for (const o of out) sink += o.times.length;
    return ms;
  };
  const result = { vigieMs: 0, vigieBarsMs: 0, lttbMs: 0 };
  const steps = [
    (): void => {
      result.vigieMs = timed(() => decimateAll(s.columns, from, to, 'own-time'));
    },
    (): void => {
      result.vigieBarsMs = timed(() => decimateAll(s.columns, from, to, 'column-mean'));
    },
    (): void => {
      lastLttbMs = Number.NaN;
      chart.update('none');
      result.lttbMs = lastLttbMs;
    },
  ];
  for (let k = 0; k < steps.length; k++) steps[(round + k) % steps.length]?.();
  return result;
}

/** Read back once at the end, which keeps `sink` live. */
export function sinkValue(): number {
  return sink;
}

function pixels(chart: ChartLike): Uint8ClampedArray {
  const ctx = required(chart.canvas.getContext('2d') ?? undefined, '2d context');
  return ctx.getImageData(0, 0, chart.canvas.width, chart.canvas.height).data;
}

/** Differing pixels (any channel) and a PNG of them in red over a faded reference. */
function compare(
  reference: ChartLike,
  candidate: ChartLike,
  points: number,
): { comparison: PixelComparison; diffPng: string } {
  const a = pixels(reference);
  const b = pixels(candidate);
  const width = reference.canvas.width;
  const height = reference.canvas.height;
  const canvas = page.document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = required(canvas.getContext('2d') ?? undefined, '2d context');
  const image = ctx.createImageData(width, height);
  const out = image.data;
  let differing = 0;
  let differingMuch = 0;
  let maxDelta = 0;
  for (let p = 0; p < a.length; p += 4) {
    let delta = 0;
    for (let k = 0; k < 4; k++) delta = Math.max(delta, Math.abs((a[p + k] ?? 0) - (b[p + k] ?? 0)));
    if (delta > 0) {
      differing += 1;
      if (delta > 64) differingMuch += 1;
      if (delta > maxDelta) maxDelta = delta;
      out[p] = 255;
      out[p + 1] = 0;
      out[p + 2] = 0;
    } else {
      const faded = 255 - ((255 - (a[p] ?? 255)) >> 3);
      out[p] = faded;
      out[p + 1] = faded;
      out[p + 2] = faded;
    }
    out[p + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
  return {
    comparison: { points, differing, differingMuch, maxChannelDelta: maxDelta },
    diffPng: canvas.toDataURL('image/png'),
  };
}

const countPoints = (reduced: readonly DecimatedSeries[]): number =>
  reduced.reduce((sum, r) => sum + r.times.length, 0);

/** Raw points whose kernel column (of `columns` over the plot) is not where Chart.js draws them. */
function misaligned(chart: ChartLike, columns: number, pixelsPerCss: number): number {
  const xScale = required(chart.scales.x, 'x scale');
  const left = chart.chartArea.left;
  const span = to - from;
  let count = 0;
  for (const x of series)
    for (const t of x.times) {
      const kernel = Math.floor(((t - from) / span) * columns);
      // Chart.js's x in CSS px: its line drawing truncates it to find a point's CSS column, the
      // canvas transform scales it to device px.
      const drawn = Math.floor(xScale.getPixelForValue(t) * pixelsPerCss) - left * pixelsPerCss;
      if (kernel !== drawn) count += 1;
    }
  return count;
}

/**
 * Draws the raw series and its reductions into canvases of one size and one Chart.js config, and
 * compares each with the raw one pixel by pixel. The kernel gets the x scale's min/max and the plot
 * area's width (not the canvas's), whose left edge the fixed y-axis width puts on a whole CSS px:
 * - 'column-mean' in CSS-px columns, the columns Chart.js strokes a raw line in;
 * - 'own-time' (plain M4) in device-px columns, for contrast;
 * - Chart.js's LTTB plugin at the configured samples, for contrast.
 */
export function comparePixels(): PixelReport {
  const s = required(setup, 'setup');
  const raw = new page.Chart(newCanvas(s), chartConfig(s, rawPoints, false));
  const area = raw.chartArea;
  const cssColumns = Math.round(area.width);
  const deviceColumns = Math.round(area.width * s.devicePixelRatio);
  const bars = decimateAll(cssColumns, from, to, 'column-mean');
  const ownTime = decimateAll(deviceColumns, from, to, 'own-time');
  const draw = (reduced: DecimatedSeries[]): ChartLike =>
    new page.Chart(
      newCanvas(s),
      chartConfig(
        s,
        reduced.map((r) => toPoints(r.times, r.values)),
        false,
      ),
    );
  const vigie = draw(bars);
  const vigieOwnTime = draw(ownTime);
  const lttb = new page.Chart(newCanvas(s), chartConfig(s, rawPoints, true));

  const vigieDiff = compare(raw, vigie, countPoints(bars));
  const ownTimeDiff = compare(raw, vigieOwnTime, countPoints(ownTime));
  const lttbDiff = compare(raw, lttb, s.seriesCount * s.columns);
  return {
    chartJsVersion: page.Chart.version,
    chartArea: { ...area },
    rawPoints: rawPoints.reduce((sum, p) => sum + p.length, 0),
    cssColumns,
    deviceColumns,
    misalignedCss: misaligned(raw, cssColumns, 1),
    misalignedDevice: misaligned(raw, deviceColumns, s.devicePixelRatio),
    vigie: vigieDiff.comparison,
    vigieOwnTime: ownTimeDiff.comparison,
    lttb: lttbDiff.comparison,
    pngs: {
      raw: raw.canvas.toDataURL('image/png'),
      vigie: vigie.canvas.toDataURL('image/png'),
      'vigie-own-time': vigieOwnTime.canvas.toDataURL('image/png'),
      lttb: lttb.canvas.toDataURL('image/png'),
      'vigie-diff': vigieDiff.diffPng,
      'vigie-own-time-diff': ownTimeDiff.diffPng,
      'lttb-diff': lttbDiff.diffPng,
    },
  };
}
