import { describe, expect, it } from 'vitest';
import type { Chart } from 'chart.js';
import {
  drawPlan,
  markerPositions,
  planLine,
  vigieLinesPlugin,
  type LineContext,
  type PlacedPoint,
} from './dense-lines';

const gap = (x: number): PlacedPoint => ({ x, y: 0, skip: true });
const at = (x: number, y: number): PlacedPoint => ({ x, y });

/** A dense column as the engine sends it ('column-mean'): first, then min, max, last at the mean. */
function column(x: number, first: number, min: number, max: number, last: number): PlacedPoint[] {
  return [at(x + 0.01, first), at(x + 0.5, min), at(x + 0.5, max), at(x + 0.5, last)];
}

/** Records what is drawn; enough of a 2D context for the plan and the plugin. */
function recordingContext() {
  const calls: string[] = [];
  const ctx = {
    calls,
    fillStyle: '',
    strokeStyle: '',
    lineWidth: 0,
    lineJoin: 'miter',
    lineCap: 'butt',
    lineDashOffset: 0,
    dash: [] as number[],
    setLineDash(dash: number[]) {
      this.dash = dash;
      calls.push(`dash ${dash.join(',')}`);
    },
    fillRect: (x: number, y: number, w: number, h: number) => calls.push(`rect ${x} ${y} ${w} ${h}`),
    beginPath: () => calls.push('begin'),
    moveTo: (x: number, y: number) => calls.push(`M ${x} ${y}`),
    lineTo: (x: number, y: number) => calls.push(`L ${x} ${y}`),
    stroke: () => calls.push('stroke'),
    save: () => calls.push('save'),
    restore: () => calls.push('restore'),
    rect: () => calls.push('clip-rect'),
    clip: () => calls.push('clip'),
  };
  return ctx;
}

describe('planLine', () => {
  it('leaves a sparse line to a polyline through every point', () => {
    const points = [at(0.2, 5), at(3.1, 6), at(7.9, 4), at(8.4, 7)];
    expect(planLine(points)).toEqual({ bars: [], runs: [[0.2, 5, 3.1, 6, 7.9, 4, 8.4, 7]] });
  });

  it('draws a column of three or more points as a bar at their mean x, from top to bottom', () => {
    const plan = planLine(column(10, 20, 30, 12, 25));
    // The bar stands where Chart.js strokes it: the mean x of the points after the first.
    expect(plan).toEqual({ bars: [10.5, 12, 30], runs: [] });
    // Raw points work as well: the mean of 10.3, 10.6 and 10.9.
    const raw = planLine([at(10.0, 20), at(10.3, 22), at(10.6, 18), at(10.9, 21)]);
    expect(raw.bars[0]).toBeCloseTo(10.6, 10);
    expect(raw.bars.slice(1)).toEqual([18, 22]);
  });

  it('joins a bar to the next one: it reaches the first value of the next column', () => {
    const plan = planLine([...column(10, 20, 25, 21, 22), ...column(11, 40, 45, 39, 41)]);
    expect(plan.bars).toEqual([10.5, 20, 40, 11.5, 39, 45]);
    expect(plan.runs).toEqual([]);
  });

  it('never joins across a gap, and keeps a lone value to its dot', () => {
    const plan = planLine([
      ...column(10, 20, 25, 21, 22),
      gap(10.8),
      ...column(11, 40, 45, 39, 41),
      gap(12.2),
      at(13.1, 7),
      gap(14),
    ]);
    expect(plan.bars).toEqual([10.5, 20, 25, 11.5, 39, 45]);
    // The lone value at 13.1 is no line: Chart.js draws its dot (pointRadius of framePoints).
    expect(plan.runs).toEqual([]);
  });

  it('strokes sparse stretches from the last value of a bar to the first value of the next', () => {
    const plan = planLine([
      ...column(10, 20, 25, 21, 22),
      at(14.2, 30),
      at(18.7, 26),
      ...column(22, 24, 27, 23, 25),
    ]);
    expect(plan.bars).toEqual([10.5, 20, 25, 22.5, 23, 27]);
    expect(plan.runs).toEqual([[10.5, 22, 14.2, 30, 18.7, 26, 22.01, 24]]);
  });

  it('keeps a flat column, or one of two points, in the polyline', () => {
    expect(planLine([at(5.1, 3), at(5.4, 3), at(5.7, 3), at(6.2, 4)]).bars).toEqual([]);
    expect(planLine([at(5.1, 3), at(5.6, 9), at(6.2, 4)])).toEqual({
      bars: [],
      runs: [[5.1, 3, 5.6, 9, 6.2, 4]],
    });
  });
});

describe('drawPlan', () => {
  it('fills bars line-wide and solid, and strokes polylines with the dash pattern', () => {
    const ctx = recordingContext();
    drawPlan(
      ctx as unknown as LineContext,
      { bars: [10.5, 12, 30], runs: [[1, 2, 3, 4]] },
      { color: '#ffb454', width: 1.5, dash: [8, 4], dashOffset: 0, join: 'bevel', cap: 'butt' },
    );
    expect(ctx.calls).toEqual(['rect 9.75 12 1.5 18', 'dash 8,4', 'begin', 'M 1 2', 'L 3 4', 'stroke']);
    expect(ctx.fillStyle).toBe('#ffb454');
    expect(ctx.lineJoin).toBe('bevel');
    expect(ctx.lineWidth).toBe(1.5);
  });
});

describe('markerPositions', () => {
  it('places markers at a fixed spacing on the line, none over a gap or past the data', () => {
    const points = [at(10, 100), at(30, 120), gap(50), at(70, 80), at(90, 60)];
    expect(markerPositions(points, 0, 100, 20, 5)).toEqual([
      { x: 25, y: 115 },
      // 45 and 65 touch the gap; 5 and 85+ are outside the data or before its first point.
      { x: 85, y: 65 },
    ]);
  });
  it('puts a marker on a bar when the spacing lands on one', () => {
    const [marker, ...more] = markerPositions(column(10, 20, 30, 12, 25), 0, 20, 100, 10.5);
    expect(more).toEqual([]);
    expect(marker?.x).toBe(10.5);
    expect(marker?.y).toBeGreaterThanOrEqual(12);
    expect(marker?.y).toBeLessThanOrEqual(30);
  });
});

interface FakePoint {
  x: number;
  y: number;
  skip?: boolean;
  active?: boolean;
  draw: () => void;
}

interface FakeMeta {
  index: number;
  data: FakePoint[];
  dataset: { options: Record<string, unknown> };
  _clip: { left: number; top: number; right: number; bottom: number; disabled: boolean };
}

function fakeChart(points: PlacedPoint[]) {
  const ctx = recordingContext();
  const drawn: number[] = [];
  const meta: FakeMeta = {
    index: 0,
    data: points.map((p, i) => ({ ...p, draw: () => drawn.push(i) })),
    dataset: {
      options: { borderColor: '#6cb6ff', borderWidth: 1.5, borderDash: [8, 4], borderJoinStyle: 'bevel' },
    },
    _clip: { left: 0, top: 0.75, right: 0, bottom: 0.75, disabled: false },
  };
  const chart = {
    ctx,
    chartArea: { left: 0, top: 0, right: 100, bottom: 100, width: 100, height: 100 },
    width: 100,
    height: 100,
    getSortedVisibleDatasetMetas: () => [meta],
  };
  return { chart: chart as unknown as Chart<'line'>, meta, ctx, drawn };
}

type Hook = (chart: Chart<'line'>, args: object, options: object) => boolean | void;

describe('vigieLinesPlugin', () => {
  const beforeDraw = vigieLinesPlugin.beforeDatasetDraw as unknown as Hook;
  const afterUpdate = vigieLinesPlugin.afterDatasetUpdate as unknown as Hook;
  const afterDraw = vigieLinesPlugin.afterDatasetsDraw as unknown as Hook;

  it("leaves a line without dense columns to Chart.js's own drawing", () => {
    const { chart, meta, ctx } = fakeChart([at(1, 2), at(5, 6)]);
    expect(beforeDraw(chart, { index: 0, meta }, {})).toBe(true);
    expect(ctx.calls).toEqual([]);
  });

  it('draws a dense line itself, clipped as Chart.js clips it, then its points', () => {
    const { chart, meta, ctx, drawn } = fakeChart([...column(10, 20, 30, 12, 25), at(15, 40)]);
    expect(beforeDraw(chart, { index: 0, meta }, {})).toBe(false);
    expect(ctx.calls.filter((c) => c.startsWith('rect'))).toEqual(['rect 9.75 12 1.5 18']);
    expect(ctx.calls).toContain('clip');
    expect(ctx.calls).toContain('L 15 40');
    expect(ctx.dash).toEqual([8, 4]);
    // Every point element is drawn (Chart.js's dots and the hovered point), the active one last.
    meta.data[1]!.active = true;
    drawn.length = 0;
    beforeDraw(chart, { index: 0, meta }, {});
    expect(drawn).toEqual([0, 2, 3, 4, 1]);
  });

  it('plans again after Chart.js updates the dataset, not on every redraw', () => {
    const { chart, meta, ctx } = fakeChart(column(10, 20, 30, 12, 25));
    beforeDraw(chart, { index: 0, meta }, {});
    meta.data[1]!.y = 5;
    ctx.calls.length = 0;
    beforeDraw(chart, { index: 0, meta }, {});
    expect(ctx.calls).toContain('rect 9.75 12 1.5 18');
    afterUpdate(chart, { index: 0, meta }, {});
    ctx.calls.length = 0;
    beforeDraw(chart, { index: 0, meta }, {});
    expect(ctx.calls).toContain('rect 9.75 5 1.5 20');
  });

  it('draws each line its markers, outlined, only when the config names a shape for it', () => {
    const points = Array.from({ length: 101 }, (_, i) => at(i, 50));
    const { chart, ctx } = fakeChart(points);
    const arcs: number[] = [];
    Object.assign(ctx, {
      arc: (x: number) => arcs.push(x),
      closePath: () => undefined,
      fill: () => ctx.calls.push('fill'),
    });
    afterDraw(chart, {}, {});
    expect(arcs).toEqual([]);
    afterDraw(chart, {}, { markers: ['circle'], markerSpacing: 40, markerOutline: '#0e1319' });
    // Series 0 is staggered to 1/16 of the spacing: 2.5, 42.5, 82.5.
    expect(arcs).toEqual([2.5, 42.5, 82.5]);
    expect(ctx.strokeStyle).toBe('#0e1319');
    expect(ctx.calls.filter((c) => c === 'fill')).toHaveLength(3);
  });
});
