import { describe, expect, it } from 'vitest';
import type { Scale, TooltipItem } from 'chart.js';
import { FIXTURE_NOW } from '../../lib/testing/fixtures';
import {
  buildChartConfig,
  framePoints,
  pixelSpanToRange,
  SERIES_STYLES,
  seriesStyle,
  X_AXIS_END_PX,
  Y_AXIS_WIDTH_PX,
  type ChartConfigInput,
  type ChartSeriesInput,
} from './chart-config';
import { chartNotice, lastValueAt } from './chart-notice';
import { vigieLinesPlugin } from './dense-lines';
import { tickLabel, tickStepFor, timeTicks } from './time-axis';

const ZONE = 'Europe/Brussels';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function series(
  key: string,
  index: number,
  unit: string | null,
  values: (number | null)[],
): ChartSeriesInput {
  return {
    key,
    label: key,
    unit,
    unitLabel: unit === 'milliseconds' ? 'ms' : unit === 'percent' ? '%' : '',
    data: framePoints({ times: values.map((_, i) => FIXTURE_NOW - (values.length - i) * MINUTE), values }),
    style: seriesStyle(index),
  };
}

function input(overrides: Partial<ChartConfigInput> = {}): ChartConfigInput {
  return {
    series: [
      series('latency', 0, 'milliseconds', [120, null, 131, 128]),
      series('load', 1, 'percent', [40, 41, null, 43]),
    ],
    from: FIXTURE_NOW - HOUR,
    to: FIXTURE_NOW,
    locale: 'en-GB',
    timeZone: ZONE,
    ...overrides,
  };
}

/** Just enough of a Chart.js scale for the tick hooks. */
function fakeScale(min: number, max: number, width: number): Scale {
  return { min, max, width, ticks: [] } as unknown as Scale;
}

describe('buildChartConfig', () => {
  it('turns off parsing, animation and gap spanning, and declares the data normalized', () => {
    const config = buildChartConfig(input());
    expect(config.type).toBe('line');
    expect(config.options?.parsing).toBe(false);
    expect(config.options?.normalized).toBe(true);
    expect(config.options?.animation).toBe(false);
    expect(config.options?.spanGaps).toBe(false);
    for (const dataset of config.data.datasets) {
      expect(dataset.parsing).toBe(false);
      expect(dataset.spanGaps).toBe(false);
    }
  });

  it('keeps a null as a gap in the points, never a zero', () => {
    const config = buildChartConfig(input());
    const latency = config.data.datasets[0]?.data ?? [];
    expect(latency.map((p) => p.y)).toEqual([120, null, 131, 128]);
    expect(latency.map((p) => p.x)).toEqual([4, 3, 2, 1].map((m) => FIXTURE_NOW - m * MINUTE));
    expect(latency.some((p) => p.y === 0)).toBe(false);
  });

  it('converts NaN and missing values to gaps and gives a lone value a dot, since no line can show it', () => {
    const points = framePoints({ times: [1, 2, 3, 4, 5], values: [Number.NaN, 7, null, 8, 9] });
    expect(points.points.map((p) => p.y)).toEqual([null, 7, null, 8, 9]);
    expect(points.isolated).toEqual([1]);
    const config = buildChartConfig(
      input({ series: [{ ...series('x', 0, null, []), data: points }], from: 0, to: 10 }),
    );
    expect(config.data.datasets[0]?.pointRadius).toEqual([0, 2.5, 0, 0, 0]);
  });

  it('gives every series its own colour and dash pattern, so colour is not the only signal', () => {
    const config = buildChartConfig(input());
    const [a, b] = config.data.datasets;
    expect(a?.borderColor).not.toBe(b?.borderColor);
    expect(a?.borderDash).not.toEqual(b?.borderDash);
    expect(new Set(SERIES_STYLES.map((s) => s.dash.join(','))).size).toBe(SERIES_STYLES.length);
  });

  it('gives every series its own marker, drawn by the dense-lines plugin of this chart only', () => {
    const config = buildChartConfig(input());
    expect(new Set(SERIES_STYLES.map((s) => s.marker)).size).toBe(SERIES_STYLES.length);
    expect(config.plugins).toEqual([vigieLinesPlugin]);
    expect(config.options?.plugins?.vigieLines?.markers).toEqual(['circle', 'square']);
  });

  it('joins lines with bevels, which never reach past the data as miter spikes do', () => {
    for (const dataset of buildChartConfig(input()).data.datasets)
      expect(dataset.borderJoinStyle).toBe('bevel');
  });

  it('keeps the plot on whole CSS pixels, its width independent of tick labels', () => {
    const scales = buildChartConfig(input()).options?.scales ?? {};
    const fit = (id: string, scale: object) =>
      (scales[id] as unknown as { afterFit: (s: object) => void }).afterFit(scale);
    const narrow = { width: 41.3 };
    fit('y0', narrow);
    expect(narrow.width).toBe(Y_AXIS_WIDTH_PX);
    const wide = { width: 70.2 };
    fit('y1', wide);
    expect(wide.width).toBe(71);
    const x = { paddingLeft: 17.4, paddingRight: 21.9 };
    fit('x', x);
    expect(x).toEqual({ paddingLeft: 0, paddingRight: X_AXIS_END_PX });
  });

  it('puts each unit on its own y-axis titled with the unit', () => {
    const config = buildChartConfig(input());
    const scales = config.options?.scales ?? {};
    expect(config.data.datasets.map((d) => d.yAxisID)).toEqual(['y0', 'y1']);
    expect(scales['y0']?.title).toMatchObject({ display: true, text: 'ms' });
    expect(scales['y1']?.title).toMatchObject({ display: true, text: '%' });
    expect(scales['y1']?.position).toBe('right');
    expect(scales['x']).toMatchObject({ type: 'linear', min: FIXTURE_NOW - HOUR, max: FIXTURE_NOW });
  });

  it('ticks the time axis on round minutes of the operator zone, labelled with Intl', () => {
    const config = buildChartConfig(input());
    const x = config.options?.scales?.['x'] as unknown as {
      afterBuildTicks: (scale: Scale) => void;
      ticks: { callback: (this: Scale, value: number) => string | string[] };
    };
    const scale = fakeScale(FIXTURE_NOW - HOUR, FIXTURE_NOW, 800);
    x.afterBuildTicks(scale);
    const labels = scale.ticks.map((tick) => x.ticks.callback.call(scale, tick.value));
    // 13:10 to 14:10 in Brussels (UTC+1 in November), every 10 minutes.
    expect(labels).toEqual(['13:10', '13:20', '13:30', '13:40', '13:50', '14:00', '14:10']);
  });

  it('formats tooltips with the full time and the value with its unit', () => {
    const config = buildChartConfig(input());
    const callbacks = config.options?.plugins?.tooltip?.callbacks as unknown as {
      title: (items: TooltipItem<'line'>[]) => string;
      label: (item: TooltipItem<'line'>) => string;
    };
    const item = {
      parsed: { x: FIXTURE_NOW, y: 131.25 },
      datasetIndex: 0,
      dataset: { label: 'latency' },
    } as unknown as TooltipItem<'line'>;
    expect(callbacks.title([item])).toBe('23 Nov 2026, 14:10:00');
    expect(callbacks.label(item)).toBe('latency: 131.25\u00a0ms');
  });
});

describe('time axis', () => {
  it('picks the shortest round step that fits', () => {
    expect(tickStepFor(0, HOUR, 8)).toBe(10 * MINUTE);
    expect(tickStepFor(0, 24 * HOUR, 8)).toBe(3 * HOUR);
    expect(tickStepFor(0, 30 * 24 * HOUR, 8)).toBe(7 * 24 * HOUR);
  });

  it('keeps ticks on round local hours across the spring DST change (a 23-hour day)', () => {
    // 29 March 2026 in Brussels: 02:00 CET jumps to 03:00 CEST (01:00 UTC).
    const from = Date.UTC(2026, 2, 28, 23, 0);
    const to = Date.UTC(2026, 2, 29, 5, 0);
    const ticks = timeTicks(from, to, 8, ZONE);
    expect(ticks.map((t) => tickLabel(t, HOUR, to - from, 'en-GB', ZONE))).toEqual([
      '00:00',
      '01:00',
      '03:00',
      '04:00',
      '05:00',
      '06:00',
      '07:00',
    ]);
  });

  it('labels longer ranges with the date under the time, and day steps with the date alone', () => {
    expect(tickLabel(FIXTURE_NOW, 6 * HOUR, 2 * 24 * HOUR, 'fr-BE', ZONE)).toEqual(['14:10', '23/11']);
    expect(tickLabel(FIXTURE_NOW, 24 * HOUR, 30 * 24 * HOUR, 'en-GB', ZONE)).toBe('23/11');
    const days = timeTicks(Date.UTC(2026, 10, 1), Date.UTC(2026, 10, 30), 8, ZONE);
    // Weekly ticks at local midnight on Mondays (2 November 2026 is a Monday).
    expect(days[0]).toBe(Date.UTC(2026, 10, 1, 23, 0));
  });
});

describe('pixelSpanToRange', () => {
  it('maps a dragged span of the plot area to times, clamped to the area, in either direction', () => {
    const area = { left: 50, right: 850 };
    expect(pixelSpanToRange(area, 0, 800_000, 250, 450)).toEqual({ from: 200_000, to: 400_000 });
    expect(pixelSpanToRange(area, 0, 800_000, 450, 250)).toEqual({ from: 200_000, to: 400_000 });
    expect(pixelSpanToRange(area, 0, 800_000, 0, 2_000)).toEqual({ from: 0, to: 800_000 });
  });
});

describe('chartNotice', () => {
  const frame = { times: [1_000, 2_000, 3_000], values: [1, 2, null] };
  it('finds the last value that is not a gap', () => {
    expect(lastValueAt(frame)).toBe(2_000);
    expect(lastValueAt({ times: [1], values: [null] })).toBeNull();
  });
  it('says "no data" with no value at all, and "no data since" when a live range went quiet', () => {
    expect(chartNotice([{ times: [1], values: [null] }], null, 60_000)).toEqual({ kind: 'noData' });
    expect(chartNotice([frame], 2_000 + 60_001, 60_000)).toEqual({ kind: 'noDataSince', since: 2_000 });
    expect(chartNotice([frame], 2_000 + 59_000, 60_000)).toEqual({ kind: 'none' });
    // A past range is not "stale": it is what it was.
    expect(chartNotice([frame], null, 60_000)).toEqual({ kind: 'none' });
  });
});
