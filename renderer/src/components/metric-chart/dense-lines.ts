/**
 * How a metric line is drawn where it is dense (DESIGN.md section 7), as a Chart.js plugin.
 *
 * The engine reduces a dense series to the CSS-pixel columns of the plot ('column-mean' form of
 * shared/domain/decimate.ts): per column, the first point, then the minimum, maximum and last at
 * the column's mean time. Chart.js strokes that as the raw line: into the first point, a vertical
 * bar from min to max, out from the last. Stroking is what costs: Skia turns every segment of a
 * 1.5-px line into an outline with joins (dashed, into hundreds of dash pieces) and fills it, 50 to
 * 90 ms for 3 × 1,900 columns at a device-pixel ratio of 2 on the benchmark's machine, against 2 to
 * 3 ms for the same bars filled as axis-aligned rectangles (test/bench/chart-render.bench.ts).
 *
 * So a column holding at least {@link MIN_BAR_POINTS} points (Chart.js's truncated CSS-px x) is
 * drawn as one filled rectangle, line-wide, centred where Chart.js would draw its bar, from its
 * highest to its lowest point. Consecutive bars are joined: each bar reaches down or up to the
 * first value of the next column, where the raw line's segment between them goes (that segment
 * spans half a pixel horizontally: drawn vertically, it is off by half a pixel at most). Where
 * points are sparse, the line is stroked as Chart.js strokes it, with its dash pattern. Gaps stay
 * gaps: a run of points ends at a point Chart.js skips (a null) and nothing joins across it.
 *
 * A band of bars has no room for a dash pattern (dashes along bars show nothing), so the bars are
 * solid, and every line carries its marker shape (markers.ts), which the legend shows too: colour
 * is never the only difference between two lines, dense or not. Markers sit on the drawn line at
 * a fixed spacing, staggered per series so that two series never put theirs at the same x.
 *
 * The plugin draws a dataset itself only when it has dense columns; otherwise Chart.js draws it.
 * Hover, tooltips and isolated-value dots are Chart.js's own: the points stay in the dataset and
 * the plugin draws them (Chart.js's point elements) after the line, as Chart.js does.
 */
import type { ChartType, Plugin, PointElement } from 'chart.js';
import { clipArea, getDatasetClipArea, unclipArea } from 'chart.js/helpers';
import { traceMarker, type MarkerShape } from './markers';

/** A point where Chart.js placed it (CSS px); `skip` marks a gap (a null value). */
export interface PlacedPoint {
  readonly x: number;
  readonly y: number;
  readonly skip?: boolean;
}

/** Points in one CSS-px column from which the column is drawn as a bar (first + a min/max pair). */
export const MIN_BAR_POINTS = 3;

/** What to draw for one line, in CSS px. */
export interface LinePlan {
  /** Per dense column, flattened: the bar's centre x, its top y and its bottom y. */
  readonly bars: readonly number[];
  /** Polylines through the sparse stretches, each flattened as x, y pairs. */
  readonly runs: readonly (readonly number[])[];
}

/**
 * Splits a line into bars (dense columns) and polylines (the rest). Columns are CSS-px columns of
 * x truncated, as Chart.js's fast path groups them; a bar stands at the mean x of the column's
 * points after the first, where Chart.js strokes its bar.
 */
export function planLine(points: readonly PlacedPoint[]): LinePlan {
  const bars: number[] = [];
  const runs: number[][] = [];
  const n = points.length;
  let run: number[] | null = null;
  // Index in `bars` of the previous column's bar when that column was dense, else -1.
  let previousBar = -1;
  let previousX = 0;
  let previousLastY = 0;
  let i = 0;
  while (i < n) {
    const first = points[i] as PlacedPoint;
    if (first.skip) {
      run = null;
      previousBar = -1;
      i += 1;
      continue;
    }
    const column = Math.trunc(first.x);
    const start = i;
    let top = first.y;
    let bottom = first.y;
    let lastY = first.y;
    let sumX = 0;
    for (i += 1; i < n; i += 1) {
      const p = points[i] as PlacedPoint;
      if (p.skip || Math.trunc(p.x) !== column) break;
      if (p.y < top) top = p.y;
      else if (p.y > bottom) bottom = p.y;
      sumX += p.x;
      lastY = p.y;
    }
    const count = i - start;
    if (count >= MIN_BAR_POINTS && top !== bottom) {
      const x = sumX / (count - 1);
      if (previousBar >= 0) {
        // The segment from the previous column's last point to this first one: the previous bar
        // reaches this first value.
        if (first.y < (bars[previousBar + 1] as number)) bars[previousBar + 1] = first.y;
        else if (first.y > (bars[previousBar + 2] as number)) bars[previousBar + 2] = first.y;
      } else if (run) {
        run.push(first.x, first.y);
      }
      previousBar = bars.length;
      bars.push(x, top, bottom);
      previousX = x;
      previousLastY = lastY;
      run = null;
    } else {
      if (!run) {
        run = previousBar >= 0 ? [previousX, previousLastY] : [];
        runs.push(run);
      }
      for (let k = start; k < i; k += 1) {
        const p = points[k] as PlacedPoint;
        run.push(p.x, p.y);
      }
      previousBar = -1;
    }
  }
  return { bars, runs: runs.filter((r) => r.length >= 4) };
}

type LineJoin = 'bevel' | 'miter' | 'round';
type LineCap = 'butt' | 'round' | 'square';

/** How a line is stroked: Chart.js's resolved line options. */
export interface LineStyle {
  readonly color: string;
  readonly width: number;
  readonly dash: readonly number[];
  readonly dashOffset: number;
  readonly join: LineJoin;
  readonly cap: LineCap;
}

/**
 * The canvas calls the drawing needs, which a CanvasRenderingContext2D has (spelled out: the
 * benchmark compiles this file without the DOM library).
 */
export interface LineContext {
  fillStyle: unknown;
  strokeStyle: unknown;
  lineWidth: number;
  lineJoin: LineJoin;
  lineCap: LineCap;
  lineDashOffset: number;
  setLineDash(segments: number[]): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  stroke(): void;
}

/** Draws a plan: bars filled (solid), polylines stroked with the line's dash pattern. */
export function drawPlan(ctx: LineContext, plan: LinePlan, style: LineStyle): void {
  const half = style.width / 2;
  ctx.fillStyle = style.color;
  const bars = plan.bars;
  for (let k = 0; k + 2 < bars.length; k += 3) {
    const top = bars[k + 1] as number;
    ctx.fillRect((bars[k] as number) - half, top, style.width, (bars[k + 2] as number) - top);
  }
  if (plan.runs.length === 0) return;
  ctx.strokeStyle = style.color;
  ctx.lineWidth = style.width;
  ctx.lineJoin = style.join;
  ctx.lineCap = style.cap;
  ctx.setLineDash([...style.dash]);
  ctx.lineDashOffset = style.dashOffset;
  ctx.beginPath();
  for (const run of plan.runs) {
    ctx.moveTo(run[0] as number, run[1] as number);
    for (let k = 2; k + 1 < run.length; k += 2) ctx.lineTo(run[k] as number, run[k + 1] as number);
  }
  ctx.stroke();
}

/**
 * Where a line's markers go: at `left + offset + k × spacing` up to `right`, on the line (linear
 * between the points either side, sorted by x); none where either side is a gap or beyond the data.
 */
export function markerPositions(
  points: readonly PlacedPoint[],
  left: number,
  right: number,
  spacing: number,
  offset: number,
): { x: number; y: number }[] {
  const result: { x: number; y: number }[] = [];
  if (!(spacing > 0)) return result;
  const n = points.length;
  let i = 0;
  for (let x = left + offset; x <= right; x += spacing) {
    while (i < n && (points[i] as PlacedPoint).x < x) i += 1;
    if (i === 0 || i === n) continue;
    const a = points[i - 1] as PlacedPoint;
    const b = points[i] as PlacedPoint;
    if (a.skip || b.skip) continue;
    const y = b.x > a.x ? a.y + ((b.y - a.y) * (x - a.x)) / (b.x - a.x) : b.y;
    result.push({ x, y });
  }
  return result;
}

/** Options of the plugin, per chart (`options.plugins.vigieLines`). */
export interface VigieLinesOptions {
  /** The marker shape of each dataset, by index; a dataset without one gets no markers. */
  readonly markers?: readonly MarkerShape[];
  /** CSS px between two markers of one line. Default {@link MARKER_SPACING_PX}. */
  readonly markerSpacing?: number;
  /** Marker radius, CSS px. Default {@link MARKER_RADIUS_PX}. */
  readonly markerRadius?: number;
  /** The outline around markers, to stand out from the lines under them: the chart's surface. */
  readonly markerOutline?: string;
}

declare module 'chart.js' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the declaration being merged has it
  interface PluginOptionsByType<TType extends ChartType> {
    vigieLines?: VigieLinesOptions;
  }
}

export const MARKER_SPACING_PX = 240;
export const MARKER_RADIUS_PX = 4;
/** Series whose markers are staggered apart within one spacing (the number of series styles). */
const MARKER_STAGGER = 8;

interface DatasetMeta {
  readonly data: unknown[];
  readonly dataset?: unknown;
  readonly hidden?: boolean | null;
}

interface LineOptionsLike {
  readonly borderColor?: unknown;
  readonly borderWidth?: number;
  readonly borderDash?: number[];
  readonly borderDashOffset?: number;
  readonly borderJoinStyle?: LineJoin;
  readonly borderCapStyle?: LineCap;
}

/** Plans per dataset element, dropped whenever Chart.js updates the dataset (positions change). */
const plans = new WeakMap<object, LinePlan>();

function planOf(meta: DatasetMeta): LinePlan | null {
  const key = meta.dataset;
  if (typeof key !== 'object' || key === null) return null;
  let plan = plans.get(key);
  if (!plan) {
    plan = planLine(meta.data as PlacedPoint[]);
    plans.set(key, plan);
  }
  return plan;
}

function lineStyle(meta: DatasetMeta): LineStyle | null {
  const options = (meta.dataset as { options?: LineOptionsLike } | undefined)?.options;
  if (!options || !options.borderWidth || typeof options.borderColor !== 'string') return null;
  return {
    color: options.borderColor,
    width: options.borderWidth,
    dash: options.borderDash ?? [],
    dashOffset: options.borderDashOffset ?? 0,
    join: options.borderJoinStyle ?? 'miter',
    cap: options.borderCapStyle ?? 'butt',
  };
}

/**
 * The plugin. Local to the charts whose config lists it (chart-config.ts does), so a chart built
 * without it (the benchmark's anchors) is drawn by Chart.js alone.
 */
export const vigieLinesPlugin: Plugin<'line', VigieLinesOptions> = {
  id: 'vigieLines',
  afterDatasetUpdate(_chart, args) {
    const key = (args.meta as DatasetMeta).dataset;
    if (typeof key === 'object' && key !== null) plans.delete(key);
  },
  beforeDatasetDraw(chart, args) {
    const meta = args.meta as DatasetMeta;
    const plan = planOf(meta);
    const style = lineStyle(meta);
    if (!plan || !style || plan.bars.length === 0) return true;
    const ctx = chart.ctx;
    const area = chart.chartArea;
    const clip = getDatasetClipArea(chart, args.meta);
    if (clip) clipArea(ctx, clip);
    ctx.save();
    drawPlan(ctx, plan, style);
    ctx.restore();
    // The points (isolated values, the hovered point), active ones on top, as Chart.js does.
    const points = meta.data as PointElement[];
    const active: PointElement[] = [];
    for (const point of points) {
      if (point.active) active.push(point);
      else point.draw(ctx, area);
    }
    for (const point of active) point.draw(ctx, area);
    if (clip) unclipArea(ctx);
    return false;
  },
  afterDatasetsDraw(chart, _args, options) {
    const shapes = options.markers ?? [];
    if (shapes.length === 0) return;
    const spacing = options.markerSpacing ?? MARKER_SPACING_PX;
    const radius = options.markerRadius ?? MARKER_RADIUS_PX;
    const area = chart.chartArea;
    const ctx = chart.ctx;
    ctx.save();
    ctx.beginPath();
    ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
    ctx.clip();
    ctx.lineWidth = 1;
    ctx.lineJoin = 'round';
    ctx.setLineDash([]);
    ctx.strokeStyle = options.markerOutline ?? '#000000';
    for (const meta of chart.getSortedVisibleDatasetMetas()) {
      const shape = shapes[meta.index];
      const style = lineStyle(meta);
      if (!shape || !style) continue;
      const offset = (spacing * ((meta.index % MARKER_STAGGER) + 0.5)) / MARKER_STAGGER;
      const at = markerPositions(meta.data, area.left, area.right, spacing, offset);
      ctx.fillStyle = style.color;
      for (const { x, y } of at) {
        if (y < area.top || y > area.bottom) continue;
        ctx.beginPath();
        traceMarker(ctx, shape, x, y, radius);
        ctx.fill();
        ctx.stroke();
      }
    }
    ctx.restore();
  },
};
