/**
 * The in-page half of the chart render benchmark, bundled for Chromium with esbuild (see
 * ./bundle.ts). It imports Chart.js, Vigie's chart configuration and the engine's reduction the
 * way the product does (`decimateForPlot` as `metrics.query` calls it, `Chart.register(...
 * CHART_COMPONENTS)`, `framePoints`, `buildChartConfig` with its dense-lines plugin, `new Chart(
 * canvas, config)`), so the page runs the product's own code on three variants:
 *
 * - `vigie`: the raw series as the store returns them (arrays, null for a gap) reduced by
 *   `decimateForPlot` to the plot's width in CSS px (what the chart reports as `widthPx`), then
 *   framed, configured and drawn as the console does;
 * - `lttb`: the same raw data as `{x, y}` points (built before "data ready", as Chart.js needs
 *   them), Vigie's config with Chart.js's own decimation plugin (LTTB, one sample per device-px
 *   column of the plot) in place of Vigie's plugin;
 * - `floor`: Vigie's config on 3 × 1,000 points, the cost of a chart with almost nothing to draw;
 * - `renderer`: the vigie variant without the reduction, which the engine runs in its own process:
 *   the reduced frames as they arrive from it, then framePoints, config and Chart. What the
 *   renderer's main thread does in the product.
 *
 * `comparePixels` draws the vigie variant (markers off) and the raw series as Chart.js strokes them
 * (solid, no plugin) in the same box, and counts the pixels that differ.
 *
 * tsconfig.node.json compiles test/bench without the DOM library, so the few browser shapes used
 * here are declared structurally below instead of widening that program's globals.
 */
import { Chart, Decimation } from 'chart.js';
import {
  buildChartConfig,
  CHART_COMPONENTS,
  framePoints,
  type ChartPoint,
  seriesStyle,
  type ChartSeriesInput,
  type FrameColumns,
  type MetricChartConfig,
  type SeriesPoints,
} from '../../../renderer/src/components/metric-chart/chart-config';
import { decimateForPlot } from '../../../shared/domain/decimate';
import { makeSeries, RANGE_MS, RAW_POINTS, START_MS, type RawSeries } from './data';

// As metric-chart.tsx does: the components of CHART_COMPONENTS only (no decimation plugin).
Chart.register(...CHART_COMPONENTS);

interface StyleLike {
  cssText: string;
}
interface ElementLike {
  id: string;
  readonly style: StyleLike;
  appendChild(child: ElementLike): void;
  remove(): void;
}
interface EntryLike {
  readonly entryType: string;
  readonly name: string;
  readonly startTime: number;
  readonly duration: number;
}
interface ObserverLike {
  observe(options: { type: string; buffered?: boolean }): void;
  takeRecords(): EntryLike[];
}
interface PortLike {
  onmessage: (() => void) | null;
  postMessage(message: number): void;
}
interface ImageDataLike {
  readonly data: Uint8ClampedArray;
}
interface Context2DLike {
  getImageData(x: number, y: number, w: number, h: number): ImageDataLike;
  createImageData(w: number, h: number): ImageDataLike;
  putImageData(image: ImageDataLike, x: number, y: number): void;
}
interface CanvasLike extends ElementLike {
  width: number;
  height: number;
  getContext(kind: '2d'): Context2DLike | null;
  toDataURL(type: 'image/png'): string;
}
interface PageGlobals {
  readonly document: {
    createElement(tag: 'div' | 'canvas'): ElementLike;
    readonly body: ElementLike;
  };
  readonly devicePixelRatio: number;
  requestAnimationFrame(callback: () => void): number;
  readonly MessageChannel: new () => { readonly port1: PortLike; readonly port2: PortLike };
  readonly PerformanceObserver: {
    new (callback: (list: { getEntries(): EntryLike[] }) => void): ObserverLike;
    readonly supportedEntryTypes: readonly string[];
  };
}

const page = globalThis as unknown as PageGlobals;

export type Variant = 'vigie' | 'lttb' | 'floor' | 'renderer';

export interface PageSetup {
  readonly cssWidth: number;
  readonly cssHeight: number;
  readonly seriesCount: number;
  readonly floorPoints: number;
  readonly locale: string;
  readonly timeZone: string;
}

export interface Prepared {
  readonly rawPoints: number;
  readonly floorPoints: number;
  readonly devicePixelRatio: number;
  /** The plot area (CSS px) of the probe chart. */
  readonly plotLeft: number;
  readonly plotWidth: number;
  /** Its width in CSS px, rounded: the `widthPx` the chart reports, the reduction's columns. */
  readonly widthPx: number;
  /** Its width in device px: LTTB's samples. */
  readonly deviceColumns: number;
  readonly longTaskSupported: boolean;
}

/** Absolute `performance.now()` stamps of one run, and what was drawn. */
export interface RunResult {
  readonly variant: Variant;
  /** "Data ready": the run's task starts with the variant's input already in the page. */
  readonly t0: number;
  /** Input converted and configured, just before `new Chart`. */
  readonly tConfig: number;
  /** `new Chart` returned: Chart.js has laid out and drawn (into the canvas's recording). */
  readonly tScript: number;
  /**
   * The next animation frame starts: the frame that paints the chart. Chromium rasterizes a 2D
   * canvas's recorded drawing when the task that drew ends (CanvasRenderingContext2D::FinalizeFrame,
   * after the script, in the same task), so from tScript to here is that flush, plus the wait for
   * the frame's vsync when the task was short.
   */
  readonly tFrame: number;
  /**
   * The rAF after that (double rAF): the following frame starts once the chart's frame has run its
   * rendering update and committed (the canvas's bitmap handed to the compositor): "first paint".
   */
  readonly tNextFrame: number;
  readonly pointsDrawn: number;
  readonly plotLeft: number;
  readonly plotWidth: number;
}

export interface LongTask {
  readonly startTime: number;
  readonly duration: number;
}

let setup: PageSetup | undefined;
/** The raw series as the store returns them: arrays, null for a gap. */
let rawFrames: FrameColumns[] = [];
/** Raw series as Chart.js needs them, built once before any "data ready" (LTTB variant). */
let rawPoints: SeriesPoints[] = [];
/** The floor's 1,000-point frames, as the API would deliver them. */
let floorFrames: FrameColumns[] = [];
/** The vigie variant's frames as the engine sends them (reduced), for the `renderer` variant. */
let reducedFrames: FrameColumns[] = [];
/** The reduction's columns (CSS px) and LTTB's samples (device px). */
let widthPx = 0;
let deviceColumns = 0;
let observer: ObserverLike | undefined;
const longTasks: LongTask[] = [];
let kept: { chart: Chart<'line', ChartPoint[]>; host: ElementLike } | undefined;

const tasks: (() => void)[] = [];
let channel: { readonly port1: PortLike; readonly port2: PortLike } | undefined;

/** Runs `callback` in a task of its own, queued behind whatever is queued now. */
function inNewTask(callback: () => void): void {
  if (!channel) {
    channel = new page.MessageChannel();
    channel.port1.onmessage = () => tasks.shift()?.();
  }
  tasks.push(callback);
  channel.port2.postMessage(0);
}

function nextFrame(): Promise<void> {
  return new Promise((resolve) => {
    page.requestAnimationFrame(() => resolve());
  });
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`chart render bench: ${what} missing (prepare() first?)`);
  return value;
}

function seriesInputs(data: readonly SeriesPoints[]): ChartSeriesInput[] {
  return data.map((points, i) => ({
    key: `inlet-${i}`,
    label: `Inlet temperature ${i + 1}`,
    unit: 'celsius',
    unitLabel: '°C',
    data: points,
    style: seriesStyle(i),
  }));
}

function config(s: PageSetup, data: readonly SeriesPoints[]): MetricChartConfig {
  return buildChartConfig({
    series: seriesInputs(data),
    from: START_MS,
    to: START_MS + RANGE_MS,
    locale: s.locale,
    timeZone: s.timeZone,
  });
}

/** The frames of the vigie variant: the engine's reduction, then the renderer's conversion. */
function vigieData(): SeriesPoints[] {
  return rawFrames.map((frame) =>
    framePoints(decimateForPlot(frame, START_MS, START_MS + RANGE_MS, widthPx)),
  );
}

/** A fresh plot box and canvas, sized as the chart: Chart.js sizes the canvas to the box. */
function newHost(s: PageSetup): { host: ElementLike; canvas: ElementLike } {
  const host = page.document.createElement('div');
  host.id = 'chart-host';
  host.style.cssText = `position:relative;width:${s.cssWidth}px;height:${s.cssHeight}px;background:#0e1319`;
  const canvas = page.document.createElement('canvas');
  canvas.style.cssText = 'display:block';
  host.appendChild(canvas);
  page.document.body.appendChild(host);
  return { host, canvas };
}

/** The variant's work from "data ready" to a drawn chart; `configured` stamps the end of the input. */
function createChart(
  variant: Variant,
  s: PageSetup,
  canvas: ElementLike,
  configured: () => void,
): Chart<'line', ChartPoint[]> {
  let chartConfig: MetricChartConfig;
  switch (variant) {
    case 'vigie':
      // metrics.query's reduction to the plot's CSS-px columns, then the frame as the renderer
      // gets it (framePoints), Vigie's config and plugin.
      chartConfig = config(s, vigieData());
      break;
    case 'lttb': {
      const base = config(s, rawPoints);
      const options = base.options ?? {};
      chartConfig = {
        ...base,
        options: {
          ...options,
          plugins: {
            ...options.plugins,
            decimation: { enabled: true, algorithm: 'lttb', samples: deviceColumns },
          },
        },
        // Chart.js's plugin in place of Vigie's, local to this chart.
        plugins: [Decimation],
      };
      break;
    }
    case 'floor':
      chartConfig = config(s, floorFrames.map(framePoints));
      break;
    case 'renderer':
      chartConfig = config(s, reducedFrames.map(framePoints));
      break;
  }
  configured();
  return new Chart(canvas, chartConfig);
}

function countDrawn(chart: Chart<'line', ChartPoint[]>): number {
  let count = 0;
  for (let i = 0; i < chart.data.datasets.length; i++) count += chart.getDatasetMeta(i).data.length;
  return count;
}

/** Generates the data, starts the long-task observer, and measures the plot area once. */
export function prepare(s: PageSetup): Prepared {
  setup = s;
  const raw: RawSeries[] = Array.from({ length: s.seriesCount }, (_, i) => makeSeries(i, RAW_POINTS));
  rawFrames = raw.map((series) => ({
    times: Array.from(series.times),
    values: Array.from(series.values, (v) => (Number.isNaN(v) ? null : v)),
  }));
  rawPoints = rawFrames.map(framePoints);
  floorFrames = Array.from({ length: s.seriesCount }, (_, i) => {
    const series = makeSeries(i, s.floorPoints);
    return { times: Array.from(series.times), values: Array.from(series.values) };
  });

  const longTaskSupported = page.PerformanceObserver.supportedEntryTypes.includes('longtask');
  if (longTaskSupported && !observer) {
    observer = new page.PerformanceObserver((list) => {
      for (const e of list.getEntries()) longTasks.push({ startTime: e.startTime, duration: e.duration });
    });
    observer.observe({ type: 'longtask', buffered: true });
  }

  // The console knows its plot's width (from the chart's layout) before it asks for data, so the
  // columns are fixed here, from a probe chart in the same box, and not counted in any run.
  const { host, canvas } = newHost(s);
  widthPx = 1;
  deviceColumns = 1;
  const probe = createChart('floor', s, canvas, () => undefined);
  const area = probe.chartArea;
  widthPx = Math.round(area.width);
  deviceColumns = Math.round(area.width * page.devicePixelRatio);
  reducedFrames = rawFrames.map((frame) => decimateForPlot(frame, START_MS, START_MS + RANGE_MS, widthPx));
  probe.destroy();
  host.remove();
  return {
    rawPoints: RAW_POINTS,
    floorPoints: s.floorPoints,
    devicePixelRatio: page.devicePixelRatio,
    plotLeft: area.left,
    plotWidth: area.width,
    widthPx,
    deviceColumns,
    longTaskSupported,
  };
}

/** Removes the chart a `keep` run left for a screenshot. */
export function disposeKept(): void {
  kept?.chart.destroy();
  kept?.host.remove();
  kept = undefined;
}

/**
 * One run on a fresh box, canvas and chart. The box is laid out and painted empty first (two
 * frames), then the variant runs in a task of its own from "data ready" to `new Chart`, and the
 * stamps follow the frame that paints it. `keep` leaves the chart up (for a screenshot).
 */
export async function run(variant: Variant, keep: boolean): Promise<RunResult> {
  const s = required(setup, 'setup');
  disposeKept();
  const { host, canvas } = newHost(s);
  await nextFrame();
  await nextFrame();
  return new Promise<RunResult>((resolve) => {
    inNewTask(() => {
      const t0 = performance.now();
      let tConfig = t0;
      const chart = createChart(variant, s, canvas, () => {
        tConfig = performance.now();
      });
      const tScript = performance.now();
      // Nothing else is queued here on purpose: a task posted now or from the rAF callback runs
      // after frames that are overdue, so it would only add noise to the stamps.
      page.requestAnimationFrame(() => {
        const tFrame = performance.now();
        page.requestAnimationFrame(() => {
          const tNextFrame = performance.now();
          const area = chart.chartArea;
          const result: RunResult = {
            variant,
            t0,
            tConfig,
            tScript,
            tFrame,
            tNextFrame,
            pointsDrawn: countDrawn(chart),
            plotLeft: area.left,
            plotWidth: area.width,
          };
          if (keep) kept = { chart, host };
          else {
            chart.destroy();
            host.remove();
          }
          resolve(result);
        });
      });
    });
  });
}

/** Every long task seen so far (startTime, duration in ms); the Node side matches them to runs. */
export async function collectLongTasks(): Promise<LongTask[]> {
  // Entries are queued when a task ends: let a frame and a task pass before reading them.
  await nextFrame();
  await new Promise<void>((resolve) => inNewTask(resolve));
  for (const e of observer?.takeRecords() ?? [])
    longTasks.push({ startTime: e.startTime, duration: e.duration });
  return [...longTasks];
}

/** Pixels of one drawing against the raw line's. */
export interface PixelComparison {
  readonly points: number;
  readonly differing: number;
  /** Of those, pixels off by more than a quarter of the range (64/255) in some channel. */
  readonly differingMuch: number;
  readonly maxChannelDelta: number;
}

export interface PixelReport {
  /** Pixels the raw line covers (alpha > 0): the scale of the counts below. */
  readonly inkPixels: number;
  readonly rawPoints: number;
  /** The product's drawing (markers off): reduced data, bars where dense, dashes where sparse. */
  readonly vigie: PixelComparison;
  /** The reduced data stroked by Chart.js itself (solid, no plugin): the reduction alone. */
  readonly reductionOnly: PixelComparison;
  readonly pngs: Readonly<Record<string, string>>;
}

/** A chart drawn in a fresh box, its pixels read, and the box removed. */
function drawn(
  s: PageSetup,
  chartConfig: MetricChartConfig,
): { pixels: Uint8ClampedArray; png: string; width: number; height: number } {
  const { host, canvas } = newHost(s);
  const chart = new Chart(canvas, chartConfig);
  const element = chart.canvas as unknown as CanvasLike;
  const ctx = required(element.getContext('2d') ?? undefined, '2d context');
  const pixels = ctx.getImageData(0, 0, element.width, element.height).data;
  const png = element.toDataURL('image/png');
  const { width, height } = element;
  chart.destroy();
  host.remove();
  return { pixels, png, width, height };
}

/** Chart.js on its own: no Vigie plugin, every line solid (its fast path, the raw line's stroke). */
function chartJsOnly(chartConfig: MetricChartConfig): MetricChartConfig {
  for (const dataset of chartConfig.data.datasets) dataset.borderDash = [];
  return { ...chartConfig, plugins: [] };
}

function compare(reference: Uint8ClampedArray, candidate: Uint8ClampedArray, points: number) {
  let differing = 0;
  let differingMuch = 0;
  let maxChannelDelta = 0;
  const diff = new Uint8ClampedArray(reference.length);
  for (let p = 0; p < reference.length; p += 4) {
    let delta = 0;
    for (let k = 0; k < 4; k++)
      delta = Math.max(delta, Math.abs((reference[p + k] ?? 0) - (candidate[p + k] ?? 0)));
    if (delta > 0) {
      differing += 1;
      if (delta > 64) differingMuch += 1;
      if (delta > maxChannelDelta) maxChannelDelta = delta;
      diff[p] = 255;
      diff[p + 3] = 255;
    } else if ((reference[p + 3] ?? 0) > 0) {
      diff[p] = diff[p + 1] = diff[p + 2] = 90;
      diff[p + 3] = 255;
    }
  }
  return { comparison: { points, differing, differingMuch, maxChannelDelta }, diff };
}

/**
 * The vigie variant's drawing (markers off: they are not part of the line) and the reduced data
 * stroked by Chart.js alone, each against the raw series stroked by Chart.js alone, in the same box.
 */
export function comparePixels(): PixelReport {
  const s = required(setup, 'setup');
  const reduced = vigieData();
  const reducedPoints = reduced.reduce((sum, r) => sum + r.points.length, 0);
  const raw = drawn(s, chartJsOnly(config(s, rawPoints)));
  const product = config(s, reduced);
  const vigieLines = product.options?.plugins?.vigieLines;
  if (product.options?.plugins && vigieLines)
    product.options.plugins.vigieLines = { ...vigieLines, markers: [] };
  const vigie = drawn(s, product);
  const reductionOnly = drawn(s, chartJsOnly(config(s, reduced)));
  let inkPixels = 0;
  for (let p = 3; p < raw.pixels.length; p += 4) if ((raw.pixels[p] ?? 0) > 0) inkPixels += 1;
  const vigieDiff = compare(raw.pixels, vigie.pixels, reducedPoints);
  // A PNG of the differences: red where they differ, grey where the raw drawing has ink.
  const canvas = page.document.createElement('canvas') as CanvasLike;
  canvas.width = raw.width;
  canvas.height = raw.height;
  const ctx = required(canvas.getContext('2d') ?? undefined, '2d context');
  const image = ctx.createImageData(canvas.width, canvas.height);
  image.data.set(vigieDiff.diff);
  ctx.putImageData(image, 0, 0);
  return {
    inkPixels,
    rawPoints: rawPoints.reduce((sum, r) => sum + r.points.length, 0),
    vigie: vigieDiff.comparison,
    reductionOnly: compare(raw.pixels, reductionOnly.pixels, reducedPoints).comparison,
    pngs: { raw: raw.png, vigie: vigie.png, 'vigie-diff': canvas.toDataURL('image/png') },
  };
}
