/**
 * A line chart of metric frames (Chart.js on a canvas) with an HTML legend, drag-to-zoom and a
 * "no data" / "no data since HH:MM" notice. The Chart instance is created once, updated in place
 * when the data or the range change, and destroyed on unmount. The component reports the width
 * of its plot area in CSS pixels: the engine reduces each series to those columns, the columns
 * Chart.js draws a line in (chart-config.ts keeps the plot on whole pixels), so a query brings no
 * more points than the chart can show and they draw like the raw series. The width comes from the
 * box's size (ResizeObserver) less the axes' room at the last layout, then from Chart.js's layout
 * itself; the first is reported at once, changes once they settle.
 */
import { Chart, type Plugin } from 'chart.js';
import {
  useEffect,
  useEffectEvent,
  useId,
  useMemo,
  useRef,
  useState,
  type PointerEvent as ReactPointerEvent,
} from 'react';
import { useNow } from '../../lib/clock/clock-context';
import { INTL_LOCALES } from '../../lib/i18n/formatters';
import { useI18n } from '../../lib/i18n/i18n-context';
import {
  buildChartConfig,
  CHART_COMPONENTS,
  framePoints,
  pixelSpanToRange,
  seriesStyle,
  type ChartPoint,
  type ChartSeriesInput,
  type FrameColumns,
  type SeriesPoints,
  type SeriesStyle,
} from './chart-config';
import { chartNotice, isStale, lastValueAt } from './chart-notice';
import { markerSvgPath } from './markers';
import './metric-chart.css';

Chart.register(...CHART_COMPONENTS);

/** Points per frame object: a frame is converted once, however often the chart re-renders. */
const pointsCache = new WeakMap<FrameColumns, SeriesPoints>();
function pointsOf(frame: FrameColumns): SeriesPoints {
  let points = pointsCache.get(frame);
  if (!points) {
    points = framePoints(frame);
    pointsCache.set(frame, points);
  }
  return points;
}

/** Narrower drags are clicks, not zooms. */
const MIN_DRAG_PX = 5;
/** While a window is being resized, report the width once it settles, not at every frame. */
const WIDTH_SETTLE_MS = 250;

export interface MetricChartSeries {
  /** Stable across refreshes. */
  readonly key: string;
  readonly label: string;
  readonly unit: string | null;
  /** The unit as shown on the axis and in the legend; empty for none. */
  readonly unitLabel: string;
  readonly frame: FrameColumns;
}

export interface MetricChartProps {
  readonly series: readonly MetricChartSeries[];
  /** The x range, epoch ms. */
  readonly from: number;
  readonly to: number;
  /** The accessible name of the chart (what it shows). */
  readonly label: string;
  /** True when the range ends now: values older than `staleAfterMs` then count as stale. */
  readonly live: boolean;
  readonly staleAfterMs: number;
  /** True while the first answer is awaited. */
  readonly loading?: boolean;
  /** Shown instead of "no data" when there is no series at all (nothing chosen yet). */
  readonly emptyText?: string;
  /**
   * The plot area's width in CSS pixels (rounded), the columns a query is reduced to (`widthPx` of
   * `metrics.query`): at once, then on every change once it settles.
   */
  readonly onWidthPx?: (widthPx: number) => void;
  /** A range dragged across the plot (epoch ms). Without it, dragging does nothing. */
  readonly onZoom?: (from: number, to: number) => void;
}

interface Drag {
  readonly start: number;
  readonly end: number;
  readonly area: {
    readonly left: number;
    readonly right: number;
    readonly top: number;
    readonly bottom: number;
  };
}

function sameSeries(a: readonly MetricChartSeries[], b: readonly MetricChartSeries[]): boolean {
  return (
    a.length === b.length &&
    a.every((s, i) => {
      const o = b[i];
      return (
        o !== undefined &&
        s.key === o.key &&
        s.label === o.label &&
        s.unit === o.unit &&
        s.unitLabel === o.unitLabel &&
        s.frame === o.frame
      );
    })
  );
}

/**
 * The series as last seen, kept while a caller passes a new array with the same content (it
 * rebuilds it on every render): the chart is then not updated, let alone redrawn.
 */
function useStableSeries(series: readonly MetricChartSeries[]): readonly MetricChartSeries[] {
  const [held, setHeld] = useState(series);
  if (held !== series && !sameSeries(held, series)) {
    setHeld(series);
    return series;
  }
  return held;
}

function LegendSample({ style }: { style: SeriesStyle }) {
  return (
    <svg className="metric-chart__sample" viewBox="0 0 32 10" width="32" height="10" aria-hidden="true">
      <line
        x1="0"
        y1="5"
        x2="32"
        y2="5"
        stroke={style.color}
        strokeWidth="2.5"
        strokeDasharray={style.dash.length > 0 ? style.dash.join(' ') : undefined}
      />
      <path
        className="metric-chart__sample-marker"
        d={markerSvgPath(style.marker, 16, 5, 3.5)}
        fill={style.color}
        data-marker={style.marker}
      />
    </svg>
  );
}

/** What the width reporter reads of a chart: its CSS width and plot area at the last layout. */
interface LaidOut {
  readonly width?: number;
  readonly chartArea?: { readonly width: number };
}

/**
 * The plot's width in a box `boxWidth` CSS px wide: the box less what the axes took at the chart's
 * last layout (they keep their width, chart-config.ts), or the box itself with no chart. Null when
 * the chart was laid out in no room (a hidden box): its next layout, once it has room, will tell.
 */
export function plotWidthIn(boxWidth: number, chart: LaidOut | null): number | null {
  const laidOut = chart?.width;
  const plot = chart?.chartArea?.width;
  if (laidOut === undefined || plot === undefined) return boxWidth;
  if (!(laidOut > 0)) return null;
  return boxWidth - (laidOut - plot);
}

export function MetricChart({
  series,
  from,
  to,
  label,
  live,
  staleAfterMs,
  loading = false,
  emptyText,
  onWidthPx,
  onZoom,
}: MetricChartProps) {
  const { t, fmt, locale, timeZone } = useI18n();
  const now = useNow();
  const hintId = useId();
  const boxRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const chartRef = useRef<Chart<'line', ChartPoint[]> | null>(null);
  const [drag, setDrag] = useState<Drag | null>(null);
  // Chart.js's layouts, for the width reporter (set by its effect).
  const onLayout = useRef<((plotWidth: number) => void) | null>(null);
  const layoutPlugin = useMemo<Plugin<'line'>>(
    () => ({
      id: 'vigieChartLayout',
      afterLayout(chart) {
        onLayout.current?.(chart.chartArea.width);
      },
    }),
    [],
  );

  const stable = useStableSeries(series);
  const inputs = useMemo<ChartSeriesInput[]>(
    () =>
      stable.map((s, index) => ({
        key: s.key,
        label: s.label,
        unit: s.unit,
        unitLabel: s.unitLabel,
        data: pointsOf(s.frame),
        style: seriesStyle(index),
      })),
    [stable],
  );
  const config = useMemo(
    () => buildChartConfig({ series: inputs, from, to, locale: INTL_LOCALES[locale], timeZone }),
    [inputs, from, to, locale, timeZone],
  );

  // Created on the first commit, then updated in place: re-creating a chart for every refresh
  // would re-allocate the canvas state and flicker on a wall display.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const chart = chartRef.current;
    if (chart) {
      chart.data = config.data;
      chart.options = config.options ?? {};
      chart.update('none');
    } else {
      chartRef.current = new Chart(canvas, { ...config, plugins: [...(config.plugins ?? []), layoutPlugin] });
    }
  }, [config, layoutPlugin]);
  useEffect(
    () => () => {
      chartRef.current?.destroy();
      chartRef.current = null;
    },
    [],
  );

  const reportWidth = useEffectEvent((widthPx: number) => onWidthPx?.(widthPx));
  useEffect(() => {
    const box = boxRef.current;
    if (!box || typeof ResizeObserver === 'undefined') return undefined;
    let reported = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const propose = (plotWidth: number) => {
      const widthPx = Math.round(plotWidth);
      clearTimeout(timer);
      if (!(widthPx >= 1) || widthPx === reported) return;
      const emit = () => {
        reported = widthPx;
        reportWidth(widthPx);
      };
      if (reported === 0) emit();
      else timer = setTimeout(emit, WIDTH_SETTLE_MS);
    };
    const observer = new ResizeObserver((entries) => {
      const entry = entries[entries.length - 1];
      const plotWidth = entry ? plotWidthIn(entry.contentRect.width, chartRef.current) : null;
      if (plotWidth !== null) propose(plotWidth);
    });
    observer.observe(box);
    onLayout.current = propose;
    return () => {
      onLayout.current = null;
      observer.disconnect();
      clearTimeout(timer);
    };
  }, []);

  const dragging = drag !== null;
  useEffect(() => {
    if (!dragging) return undefined;
    function onKey(event: KeyboardEvent): void {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      setDrag(null);
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [dragging]);

  function localX(event: ReactPointerEvent<HTMLDivElement>): { x: number; y: number } | null {
    const box = boxRef.current;
    if (!box) return null;
    const rect = box.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  }

  function onPointerDown(event: ReactPointerEvent<HTMLDivElement>): void {
    const chart = chartRef.current;
    const box = boxRef.current;
    if (!onZoom || !chart || !box || event.button !== 0 || event.isPrimary === false) return;
    const at = localX(event);
    const area = chart.chartArea;
    if (!at || at.x < area.left || at.x > area.right || at.y < area.top || at.y > area.bottom) return;
    event.preventDefault();
    if ('setPointerCapture' in box && typeof box.setPointerCapture === 'function')
      box.setPointerCapture(event.pointerId);
    setDrag({
      start: at.x,
      end: at.x,
      area: { left: area.left, right: area.right, top: area.top, bottom: area.bottom },
    });
  }

  function onPointerMove(event: ReactPointerEvent<HTMLDivElement>): void {
    if (!drag) return;
    const at = localX(event);
    if (!at) return;
    setDrag({ ...drag, end: Math.min(drag.area.right, Math.max(drag.area.left, at.x)) });
  }

  function onPointerUp(event: ReactPointerEvent<HTMLDivElement>): void {
    if (!drag) return;
    const at = localX(event);
    const end = at ? Math.min(drag.area.right, Math.max(drag.area.left, at.x)) : drag.end;
    setDrag(null);
    if (Math.abs(end - drag.start) < MIN_DRAG_PX || !onZoom) return;
    const range = pixelSpanToRange(drag.area, from, to, drag.start, end);
    if (range.to > range.from) onZoom(range.from, range.to);
  }

  const frames = series.map((s) => s.frame);
  const notice = chartNotice(frames, live ? now : null, staleAfterMs);
  let noticeText: string | null = null;
  if (series.length === 0) noticeText = loading ? t('chart.loading') : (emptyText ?? t('chart.noData'));
  else if (notice.kind === 'noData') noticeText = loading ? t('chart.loading') : t('chart.noData');
  else if (notice.kind === 'noDataSince')
    noticeText = t('chart.noDataSince', { time: fmt.time(notice.since, now) });

  return (
    <figure className="metric-chart" data-testid="metric-chart">
      <div
        ref={boxRef}
        className={`metric-chart__plot${onZoom ? ' metric-chart__plot--zoomable' : ''}`}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={() => setDrag(null)}
        data-testid="metric-chart-plot"
      >
        <canvas
          ref={canvasRef}
          className="metric-chart__canvas"
          role="img"
          aria-label={label}
          aria-describedby={onZoom ? hintId : undefined}
        />
        {drag && (
          <div
            className="metric-chart__selection"
            data-testid="metric-chart-selection"
            aria-hidden="true"
            style={{
              left: Math.min(drag.start, drag.end),
              width: Math.abs(drag.end - drag.start),
              top: drag.area.top,
              height: drag.area.bottom - drag.area.top,
            }}
          />
        )}
        {noticeText !== null && (
          <p
            className={`metric-chart__notice metric-chart__notice--${notice.kind === 'noDataSince' ? 'stale' : 'empty'}`}
            role="status"
            data-testid="metric-chart-notice"
          >
            {noticeText}
          </p>
        )}
      </div>
      <figcaption className="metric-chart__caption">
        {series.length > 0 && (
          <ul
            className="metric-chart__legend"
            aria-label={t('chart.legend')}
            data-testid="metric-chart-legend"
          >
            {series.map((s, index) => {
              const style = seriesStyle(index);
              const lastAt = lastValueAt(s.frame);
              let note: string | null = null;
              if (lastAt === null) note = loading ? null : t('chart.noData');
              else if (isStale(lastAt, live ? now : null, staleAfterMs))
                note = t('chart.noDataSince', { time: fmt.time(lastAt, now) });
              return (
                <li key={s.key} className="metric-chart__legend-item" data-testid="metric-chart-legend-item">
                  <LegendSample style={style} />
                  <span className="metric-chart__legend-label">{s.label}</span>
                  {s.unitLabel !== '' && <span className="metric-chart__legend-unit">({s.unitLabel})</span>}
                  {note !== null && <span className="metric-chart__legend-note">{note}</span>}
                </li>
              );
            })}
          </ul>
        )}
        {onZoom && (
          <p className="metric-chart__hint" id={hintId}>
            {t('chart.dragHint')}
          </p>
        )}
      </figcaption>
    </figure>
  );
}
