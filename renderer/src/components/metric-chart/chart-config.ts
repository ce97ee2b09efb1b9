/**
 * The Chart.js configuration of a metric chart, as a pure function of the series and the range:
 * no React and no DOM here, so the benchmark imports it as it is (DESIGN.md section 7 and 9).
 *
 * The data arrive already reduced by the engine to the CSS-pixel columns of the plot (first, then
 * min/max/last at the column's mean time: shared/domain/decimate.ts, 'column-mean'), so Chart.js
 * must not parse, animate, decimate or join anything: `parsing: false` with `{x, y}` points built
 * once per frame, `normalized: true` (times are sorted), no animation, and `spanGaps: false` so that
 * a null (no data) breaks the line instead of bridging it or dropping to zero.
 *
 * The plot starts on a whole CSS pixel and keeps its width whatever the ticks say: y-axes are at
 * least {@link Y_AXIS_WIDTH_PX} wide, rounded up to whole pixels, and the time axis keeps a fixed
 * margin for its last label. The engine's columns are then Chart.js's pixel columns (the
 * component reports the plot's width, metric-chart.tsx), and a new tick label never changes the
 * width and so never asks for the data again. Lines join with bevels: a miter at the sharp turns of
 * a dense line draws spikes up to 5 line widths beyond the data. Dense stretches are drawn as bars
 * by the plugin of dense-lines.ts.
 */
import {
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartComponentLike,
  type ChartConfiguration,
  type ChartDataset,
  type Scale,
  type ChartOptions,
  type TooltipItem,
} from 'chart.js';
import { vigieLinesPlugin } from './dense-lines';
import type { MarkerShape } from './markers';
import { fullTimeLabel, tickLabel, tickStepFor, timeTicks } from './time-axis';

/** Minimum width of a y-axis (ticks and unit title), CSS px: most never need more, so stay put. */
export const Y_AXIS_WIDTH_PX = 64;
/** Room right of the plot for the last time label (centred on its tick), CSS px. */
export const X_AXIS_END_PX = 28;

/**
 * Everything the charts use, registered once (tree-shaken: no bar, pie, time scale, legend,
 * decimation or filler code in the bundle). The legend is HTML, next to the canvas.
 */
export const CHART_COMPONENTS: readonly ChartComponentLike[] = [
  LineController,
  LineElement,
  PointElement,
  LinearScale,
  Tooltip,
];

/** A point as Chart.js draws it with parsing off; `y: null` is a gap. */
export interface ChartPoint {
  readonly x: number;
  readonly y: number | null;
}

/** A frame converted for the chart, once per frame. */
export interface SeriesPoints {
  readonly points: ChartPoint[];
  /**
   * Indices of values with a gap (or the range edge) on both sides: a line cannot show a lone
   * value, so those get a dot.
   */
  readonly isolated: readonly number[];
}

/** The columns of a frame: times (epoch ms, ascending) and values, null for a gap. */
export interface FrameColumns {
  readonly times: readonly number[];
  readonly values: readonly (number | null)[];
}

/** Converts a columnar frame to points; non-finite values become gaps, never zeros. */
export function framePoints(frame: FrameColumns): SeriesPoints {
  const n = Math.min(frame.times.length, frame.values.length);
  const points = new Array<ChartPoint>(n);
  const isolated: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const value = frame.values[i];
    points[i] = {
      x: frame.times[i] as number,
      y: typeof value === 'number' && Number.isFinite(value) ? value : null,
    };
  }
  for (let i = 0; i < n; i += 1) {
    if (points[i]?.y === null) continue;
    const before = i === 0 || points[i - 1]?.y === null;
    const after = i === n - 1 || points[i + 1]?.y === null;
    if (before && after) isolated.push(i);
  }
  return { points, isolated };
}

/**
 * How a series is drawn: a colour, a dash pattern and a marker shape, so colour is never the only
 * difference (dense stretches of a line are solid: there the marker tells it apart).
 */
export interface SeriesStyle {
  readonly color: string;
  /** Canvas line dash in CSS pixels; empty for a solid line. */
  readonly dash: readonly number[];
  readonly marker: MarkerShape;
}

/**
 * Eight styles, each colour at least 3:1 against the dark chart surface (WCAG 1.4.11) and none
 * of them the status red or green, each with its own dash pattern and marker.
 */
export const SERIES_STYLES: readonly SeriesStyle[] = [
  { color: '#6cb6ff', dash: [], marker: 'circle' },
  { color: '#ffb454', dash: [8, 4], marker: 'square' },
  { color: '#d2a8ff', dash: [2, 3], marker: 'triangle' },
  { color: '#56d4c8', dash: [12, 4, 2, 4], marker: 'diamond' },
  { color: '#ff9ccf', dash: [4, 4], marker: 'triangleDown' },
  { color: '#e3e36b', dash: [14, 6], marker: 'star' },
  { color: '#b4c7ff', dash: [6, 2, 2, 2, 2, 2], marker: 'plus' },
  { color: '#ffd0a1', dash: [1, 5], marker: 'cross' },
];

export function seriesStyle(index: number): SeriesStyle {
  const styles = SERIES_STYLES;
  return styles[((index % styles.length) + styles.length) % styles.length] as SeriesStyle;
}

/** Colours of the chart furniture; they mirror theme.css (a canvas cannot read CSS variables). */
export interface ChartTheme {
  /** The plot's background (theme.css --surface-sunken): the outline that sets markers apart. */
  readonly surface: string;
  readonly text: string;
  readonly grid: string;
  readonly tooltipBackground: string;
  readonly tooltipBorder: string;
  readonly tooltipText: string;
}

export const DARK_CHART_THEME: ChartTheme = {
  surface: '#0e1319',
  text: '#a9b6c3',
  grid: '#2d3946',
  tooltipBackground: '#1a232d',
  tooltipBorder: '#475767',
  tooltipText: '#e7edf3',
};

export interface ChartSeriesInput {
  /** Stable across refreshes (the same series keeps its style). */
  readonly key: string;
  readonly label: string;
  /** The unit as the engine names it; series with the same unit share a y-axis. */
  readonly unit: string | null;
  /** The unit as shown (axis title, tooltip); empty for none. */
  readonly unitLabel: string;
  readonly data: SeriesPoints;
  readonly style: SeriesStyle;
}

export interface ChartConfigInput {
  readonly series: readonly ChartSeriesInput[];
  /** The x range (epoch ms): the query's range, not the data's, so a gap at the end shows. */
  readonly from: number;
  readonly to: number;
  /** Intl locale tag (`fr-BE`, `nl-BE`, `en-GB`). */
  readonly locale: string;
  /** The operator's time zone (ticks and tooltips). */
  readonly timeZone: string;
  readonly theme?: ChartTheme;
  /** Minimum CSS pixels between time ticks. */
  readonly tickSpacingPx?: number;
}

export type MetricChartConfig = ChartConfiguration<'line', ChartPoint[]>;
type LineDataset = ChartDataset<'line', ChartPoint[]>;
type AxisOptions = NonNullable<NonNullable<ChartOptions<'line'>['scales']>[string]>;

const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string, compact: boolean): Intl.NumberFormat {
  const key = `${locale}|${compact ? 'c' : 'p'}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(
      locale,
      compact ? { notation: 'compact', maximumFractionDigits: 2 } : { maximumFractionDigits: 3 },
    );
    numberFormats.set(key, format);
  }
  return format;
}

/** One y-axis per distinct unit, alternating left and right; ids `y0`, `y1` ... */
export function axisIdsByUnit(series: readonly Pick<ChartSeriesInput, 'unit'>[]): Map<string, string> {
  const ids = new Map<string, string>();
  for (const s of series) {
    const unit = s.unit ?? '';
    if (!ids.has(unit)) ids.set(unit, `y${ids.size}`);
  }
  if (ids.size === 0) ids.set('', 'y0');
  return ids;
}

function dataset(s: ChartSeriesInput, axisId: string): LineDataset {
  const hasIsolated = s.data.isolated.length > 0;
  let pointRadius: number | number[] = 0;
  if (hasIsolated) {
    const radii = new Array<number>(s.data.points.length).fill(0);
    for (const index of s.data.isolated) radii[index] = 2.5;
    pointRadius = radii;
  }
  return {
    label: s.label,
    data: s.data.points,
    yAxisID: axisId,
    borderColor: s.style.color,
    backgroundColor: s.style.color,
    borderWidth: 1.5,
    borderDash: [...s.style.dash],
    borderJoinStyle: 'bevel',
    pointRadius,
    pointHoverRadius: 3,
    pointHitRadius: 6,
    tension: 0,
    spanGaps: false,
    normalized: true,
    parsing: false,
  };
}

/** The Chart.js configuration for `input`; call it again and assign in place on every change. */
export function buildChartConfig(input: ChartConfigInput): MetricChartConfig {
  const theme = input.theme ?? DARK_CHART_THEME;
  const { locale, timeZone, from, to } = input;
  const spacing = input.tickSpacingPx ?? 90;
  const axisIds = axisIdsByUnit(input.series);
  const unitLabels = new Map<string, string>();
  for (const s of input.series) unitLabels.set(axisIds.get(s.unit ?? '') ?? 'y0', s.unitLabel);

  const xAxis: AxisOptions = {
    type: 'linear',
    min: from,
    max: to,
    bounds: 'ticks',
    offset: false,
    grid: { color: theme.grid },
    border: { color: theme.grid },
    afterBuildTicks(scale: Scale) {
      const maxTicks = Math.max(2, Math.floor(scale.width / spacing));
      scale.ticks = timeTicks(scale.min, scale.max, maxTicks, timeZone).map((value) => ({ value }));
    },
    // Fixed, not from the first and last labels: the left one overhangs into the y-axis's room.
    afterFit(scale: Scale) {
      scale.paddingLeft = 0;
      scale.paddingRight = X_AXIS_END_PX;
    },
    ticks: {
      color: theme.text,
      maxRotation: 0,
      autoSkip: false,
      callback(this: Scale, value: number | string) {
        const v = Number(value);
        const maxTicks = Math.max(2, Math.floor(this.width / spacing));
        return tickLabel(v, tickStepFor(this.min, this.max, maxTicks), this.max - this.min, locale, timeZone);
      },
    },
  };

  const scales: Record<string, AxisOptions> = { x: xAxis };
  let index = 0;
  for (const id of axisIds.values()) {
    const title = unitLabels.get(id) ?? '';
    scales[id] = {
      type: 'linear',
      position: index % 2 === 0 ? 'left' : 'right',
      grace: '5%',
      title: { display: title !== '', text: title, color: theme.text },
      grid: { color: theme.grid, drawOnChartArea: index === 0 },
      border: { color: theme.grid },
      afterFit(scale: Scale) {
        scale.width = Math.max(Y_AXIS_WIDTH_PX, Math.ceil(scale.width));
      },
      ticks: {
        color: theme.text,
        callback: (value: number | string) => numberFormat(locale, true).format(Number(value)),
      },
    };
    index += 1;
  }

  return {
    type: 'line',
    data: {
      datasets: input.series.map((s) => dataset(s, axisIds.get(s.unit ?? '') ?? 'y0')),
    },
    options: {
      parsing: false,
      normalized: true,
      animation: false,
      spanGaps: false,
      responsive: true,
      maintainAspectRatio: false,
      // Hover only: clicks and drags belong to the drag-to-zoom of the component.
      events: ['mousemove', 'mouseout', 'touchstart', 'touchmove'],
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales,
      plugins: {
        vigieLines: {
          markers: input.series.map((s) => s.style.marker),
          markerOutline: theme.surface,
        },
        tooltip: {
          backgroundColor: theme.tooltipBackground,
          borderColor: theme.tooltipBorder,
          borderWidth: 1,
          titleColor: theme.tooltipText,
          bodyColor: theme.tooltipText,
          callbacks: {
            title: (items: TooltipItem<'line'>[]) => {
              const first = items[0];
              return first ? fullTimeLabel(first.parsed.x ?? 0, locale, timeZone) : '';
            },
            label: (item: TooltipItem<'line'>) => {
              const unit = input.series[item.datasetIndex]?.unitLabel ?? '';
              const y = item.parsed.y;
              const value = y === null ? '' : numberFormat(locale, false).format(y);
              return `${item.dataset.label ?? ''}: ${value}${unit ? `\u00a0${unit}` : ''}`;
            },
          },
        },
      },
    },
    plugins: [vigieLinesPlugin],
  };
}

/** The time range under a horizontal pixel span of the plot area (drag-to-zoom), clamped to it. */
export function pixelSpanToRange(
  area: { readonly left: number; readonly right: number },
  from: number,
  to: number,
  x1: number,
  x2: number,
): { from: number; to: number } {
  const width = area.right - area.left;
  const toTime = (x: number) => {
    const clamped = Math.min(area.right, Math.max(area.left, x));
    return from + ((clamped - area.left) / (width > 0 ? width : 1)) * (to - from);
  };
  const a = toTime(Math.min(x1, x2));
  const b = toTime(Math.max(x1, x2));
  return { from: Math.floor(a), to: Math.ceil(b) };
}
