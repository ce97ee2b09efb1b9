/**
 * Stands in for Chart.js in component tests (jsdom has no canvas). Use it as a partial mock, so
 * that the controllers and scales the config builder names stay real:
 *
 *   vi.mock('chart.js', async (importOriginal) => ({
 *     ...(await importOriginal<Record<string, unknown>>()),
 *     Chart: (await import('../../lib/testing/fake-chart')).FakeChart,
 *   }));
 */
import type { MetricChartConfig } from '../../components/metric-chart/chart-config';

/** Every chart created since the last `fakeCharts.length = 0`. */
export const fakeCharts: FakeChart[] = [];

export class FakeChart {
  static registered: unknown[] = [];
  static register(...items: unknown[]): void {
    FakeChart.registered.push(...items);
  }

  /** The plot area in CSS pixels, as Chart.js computes it after layout. */
  chartArea = { left: 50, right: 850, top: 10, bottom: 290, width: 800, height: 280 };
  /** The chart's CSS width at its last layout: unset until a test calls `layout`. */
  width: number | undefined = undefined;
  data: MetricChartConfig['data'];
  options: MetricChartConfig['options'];
  updates: (string | undefined)[] = [];
  destroyed = false;

  constructor(
    readonly canvas: HTMLCanvasElement,
    readonly config: MetricChartConfig,
  ) {
    this.data = config.data;
    this.options = config.options;
    fakeCharts.push(this);
  }

  update(mode?: string): void {
    this.updates.push(mode);
  }

  /** A layout as Chart.js runs one: the new size and plot area, then the plugins' afterLayout. */
  layout(width: number, area: { left: number; right: number }): void {
    this.width = width;
    this.chartArea = { ...this.chartArea, ...area, width: area.right - area.left };
    for (const plugin of this.config.plugins ?? [])
      (plugin as unknown as { afterLayout?: (chart: unknown) => void }).afterLayout?.(this);
  }

  destroy(): void {
    this.destroyed = true;
  }
}

/** The charts still alive (created and not destroyed). */
export function liveCharts(): FakeChart[] {
  return fakeCharts.filter((chart) => !chart.destroyed);
}
