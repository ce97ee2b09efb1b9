import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { useEffect, useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeTransport } from '../../lib/testing/fake-transport';
import { fakeCharts, FakeChart, liveCharts } from '../../lib/testing/fake-chart';
import { FIXTURE_NOW } from '../../lib/testing/fixtures';
import { renderWithProviders } from '../../lib/testing/render';
import { installResizeObserver, type ResizeControl } from '../../lib/testing/resize-observer';
import { MetricChart, plotWidthIn, type MetricChartProps, type MetricChartSeries } from './metric-chart';

vi.mock('chart.js', async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  Chart: (await import('../../lib/testing/fake-chart')).FakeChart,
}));

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function text(element: Element): string {
  return (element.textContent ?? '').replace(/\u00a0|\u202f/g, ' ');
}

function latency(values: (number | null)[], end = FIXTURE_NOW): MetricChartSeries {
  return {
    key: 'latency',
    label: 'latency (mean) · source=api-a',
    unit: 'milliseconds',
    unitLabel: 'ms',
    frame: { times: values.map((_, i) => end - (values.length - 1 - i) * MINUTE), values },
  };
}

const load: MetricChartSeries = {
  key: 'load',
  label: 'outputLoad (max)',
  unit: 'percent',
  unitLabel: '%',
  frame: { times: [FIXTURE_NOW - MINUTE, FIXTURE_NOW], values: [40, 41] },
};

let resize: ResizeControl;
beforeEach(() => {
  fakeCharts.length = 0;
  resize = installResizeObserver(800);
});
afterEach(() => {
  cleanup();
  resize.restore();
  vi.unstubAllGlobals();
});

function renderChart(props: Partial<MetricChartProps> = {}) {
  const base: MetricChartProps = {
    series: [latency([120, null, 131, 128]), load],
    from: FIXTURE_NOW - HOUR,
    to: FIXTURE_NOW,
    label: 'Chart: latency',
    live: true,
    staleAfterMs: 60_000,
    ...props,
  };
  let set: ((next: Partial<MetricChartProps>) => void) | undefined;
  const register = (setter: (next: Partial<MetricChartProps>) => void) => {
    set = setter;
  };
  const result = renderWithProviders(<Harness initial={base} register={register} />, {
    transport: createFakeTransport({}),
  });
  return {
    ...result,
    rerenderChart: (next: Partial<MetricChartProps>): void => {
      act(() => set?.(next));
    },
  };
}

/** Re-renders the chart with new props inside the same providers. */
function Harness({
  initial,
  register,
}: {
  initial: MetricChartProps;
  register: (setter: (next: Partial<MetricChartProps>) => void) => void;
}) {
  const [props, setProps] = useState(initial);
  useEffect(() => {
    register((next) => setProps((previous) => ({ ...previous, ...next })));
  }, [register]);
  return <MetricChart {...props} />;
}

describe('MetricChart', () => {
  it('creates one chart, updates it in place when the data change, and destroys it on unmount', () => {
    const { unmount, rerenderChart } = renderChart();
    expect(fakeCharts).toHaveLength(1);
    const chart = fakeCharts[0]!;
    expect(FakeChart.registered.length).toBeGreaterThan(0);
    expect(chart.config.options?.parsing).toBe(false);
    expect(chart.data.datasets.map((d) => d.label)).toEqual([
      'latency (mean) · source=api-a',
      'outputLoad (max)',
    ]);

    rerenderChart({ series: [latency([1, 2, 3, 4])] });
    expect(fakeCharts).toHaveLength(1);
    expect(chart.updates).toEqual(['none']);
    expect(chart.data.datasets.map((d) => d.data.map((p) => p.y))).toEqual([[1, 2, 3, 4]]);

    unmount();
    expect(chart.destroyed).toBe(true);
    expect(liveCharts()).toHaveLength(0);
  });

  it('leaves the chart alone when re-rendered with equal series', () => {
    const series = [latency([1, 2])];
    const { rerenderChart } = renderChart({ series });
    rerenderChart({ series: [...series] });
    expect(fakeCharts[0]?.updates).toEqual([]);
  });

  it('reports the width of its plot in CSS pixels, at once, then once a change settles', () => {
    vi.useFakeTimers();
    try {
      // Whatever the pixel ratio: the engine reduces to CSS-px columns, Chart.js's columns.
      vi.stubGlobal('devicePixelRatio', 2);
      resize.restore();
      resize = installResizeObserver(400.3);
      const onWidthPx = vi.fn();
      renderChart({ onWidthPx });
      // Before any layout, the box is all there is to go by.
      expect(onWidthPx).toHaveBeenCalledWith(400);
      const chart = fakeCharts[0]!;
      // Chart.js lays the chart out: the y-axis takes 64 px, the time axis's last label 28.
      act(() => chart.layout(400.3, { left: 64, right: 372.3 }));
      act(() => {
        vi.advanceTimersByTime(300);
      });
      expect(onWidthPx).toHaveBeenLastCalledWith(308);
      // The box grows: the axes keep their room until Chart.js lays out again.
      act(() => resize.resizeTo(1000));
      act(() => {
        vi.advanceTimersByTime(100);
      });
      expect(onWidthPx).toHaveBeenCalledTimes(2);
      act(() => {
        vi.advanceTimersByTime(200);
      });
      expect(onWidthPx).toHaveBeenLastCalledWith(908);
      // Chart.js's layout agrees: nothing new to report.
      act(() => chart.layout(1000, { left: 64, right: 972 }));
      act(() => {
        vi.advanceTimersByTime(300);
      });
      expect(onWidthPx).toHaveBeenCalledTimes(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it("takes the axes' room at the last layout off the box, and waits for a layout with room", () => {
    expect(plotWidthIn(500, null)).toBe(500);
    expect(plotWidthIn(500, { width: 400, chartArea: { width: 308 } })).toBe(408);
    expect(plotWidthIn(500, { width: 0, chartArea: { width: -92 } })).toBeNull();
  });

  it('gives every line of the legend the marker the chart draws on it', () => {
    renderChart();
    const config = fakeCharts[0]!.config;
    const markers = config.options?.plugins?.vigieLines?.markers;
    const samples = [...document.querySelectorAll('[data-testid="metric-chart-legend-item"] [data-marker]')];
    expect(samples.map((s) => s.getAttribute('data-marker'))).toEqual(markers);
    expect(new Set(markers).size).toBe(2);
  });

  it('shows the series in a legend with their units', () => {
    renderChart();
    const items = within(screen.getByTestId('metric-chart-legend')).getAllByTestId(
      'metric-chart-legend-item',
    );
    expect(items.map(text)).toEqual(['latency (mean) · source=api-a(ms)', 'outputLoad (max)(%)']);
    expect(screen.getByRole('img', { name: 'Chart: latency' })).toBeTruthy();
  });

  it('says "no data" over an empty frame', () => {
    renderChart({ series: [latency([null, null])] });
    expect(text(screen.getByTestId('metric-chart-notice'))).toBe('No data');
  });

  it('says "no data since HH:MM" when a live series went quiet, and nothing for a past range', () => {
    const quietSince = FIXTURE_NOW - 8 * MINUTE;
    const { rerenderChart } = renderChart({ series: [latency([120, 125], quietSince)] });
    expect(text(screen.getByTestId('metric-chart-notice'))).toBe('No data since 14:02');
    expect(text(screen.getByTestId('metric-chart-legend'))).toContain('No data since 14:02');
    rerenderChart({ series: [latency([120, 125], quietSince)], live: false });
    expect(screen.queryByTestId('metric-chart-notice')).toBeNull();
  });

  it('zooms to the range dragged across the plot', () => {
    const onZoom = vi.fn();
    renderChart({ onZoom, from: 0, to: 800_000 });
    const plot = screen.getByTestId('metric-chart-plot');
    // jsdom lays nothing out: the plot box is at 0,0 and the fake chart's area is 50..850.
    fireEvent.pointerDown(plot, { clientX: 250, clientY: 100, button: 0, pointerId: 1, isPrimary: true });
    fireEvent.pointerMove(plot, { clientX: 450, clientY: 120, pointerId: 1 });
    expect(screen.getByTestId('metric-chart-selection')).toBeTruthy();
    fireEvent.pointerUp(plot, { clientX: 450, clientY: 120, pointerId: 1 });
    expect(onZoom).toHaveBeenCalledWith(200_000, 400_000);
    expect(screen.queryByTestId('metric-chart-selection')).toBeNull();
  });

  it('takes a click for a click, not a zoom, and Escape abandons a drag', () => {
    const onZoom = vi.fn();
    renderChart({ onZoom, from: 0, to: 800_000 });
    const plot = screen.getByTestId('metric-chart-plot');
    fireEvent.pointerDown(plot, { clientX: 250, clientY: 100, button: 0, isPrimary: true });
    fireEvent.pointerUp(plot, { clientX: 252, clientY: 100 });
    fireEvent.pointerDown(plot, { clientX: 250, clientY: 100, button: 0, isPrimary: true });
    fireEvent.pointerMove(plot, { clientX: 400, clientY: 100 });
    fireEvent.keyDown(document, { key: 'Escape' });
    fireEvent.pointerUp(plot, { clientX: 400, clientY: 100 });
    expect(onZoom).not.toHaveBeenCalled();
  });
});
