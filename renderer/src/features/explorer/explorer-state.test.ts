import { describe, expect, it } from 'vitest';
import { FIXTURE_NOW } from '../../lib/testing/fixtures';
import {
  explorerPresetForTile,
  explorerReducer,
  initialExplorerState,
  isZoomed,
  liveEnd,
  presetOf,
  queryRequest,
  resolveRange,
  type ExplorerAction,
  type ExplorerState,
} from './explorer-state';

const HOUR = 3_600_000;

function run(...actions: ExplorerAction[]): ExplorerState {
  return actions.reduce(explorerReducer, initialExplorerState());
}

describe('explorer state', () => {
  it('starts live over the last hour, ending at the next 10 s step of the clock', () => {
    const state = initialExplorerState();
    expect(resolveRange(state.range, FIXTURE_NOW)).toEqual({
      from: FIXTURE_NOW - HOUR,
      to: FIXTURE_NOW,
      live: true,
    });
    expect(liveEnd(FIXTURE_NOW + 1)).toBe(FIXTURE_NOW + 10_000);
    expect(presetOf(state.range)).toBe('1h');
  });

  it('zooms to a fixed range, and reset returns to the range chosen before', () => {
    const zoomed = run({ type: 'zoom', from: FIXTURE_NOW - 30 * 60_000, to: FIXTURE_NOW - 20 * 60_000 });
    expect(zoomed.range).toEqual({
      kind: 'fixed',
      from: FIXTURE_NOW - 30 * 60_000,
      to: FIXTURE_NOW - 20 * 60_000,
    });
    expect(isZoomed(zoomed)).toBe(true);
    const reset = explorerReducer(zoomed, { type: 'reset' });
    expect(reset.range).toEqual({ kind: 'live', spanMs: HOUR });
    expect(isZoomed(reset)).toBe(false);
  });

  it('pans by half the span; a range that reaches now again becomes live', () => {
    const earlier = run({ type: 'pan', direction: -1, now: FIXTURE_NOW });
    expect(earlier.range).toEqual({
      kind: 'fixed',
      from: FIXTURE_NOW - 1.5 * HOUR,
      to: FIXTURE_NOW - 0.5 * HOUR,
    });
    const back = explorerReducer(earlier, { type: 'pan', direction: 1, now: FIXTURE_NOW });
    expect(back.range).toEqual({ kind: 'live', spanMs: HOUR });
  });

  it('zooms out and in around the middle of a fixed range', () => {
    const fixed = run({ type: 'setRange', range: { kind: 'fixed', from: 10 * HOUR, to: 14 * HOUR } });
    expect(explorerReducer(fixed, { type: 'zoomOut', now: FIXTURE_NOW }).range).toEqual({
      kind: 'fixed',
      from: 8 * HOUR,
      to: 16 * HOUR,
    });
    expect(explorerReducer(fixed, { type: 'zoomIn', now: FIXTURE_NOW }).range).toEqual({
      kind: 'fixed',
      from: 11 * HOUR,
      to: 13 * HOUR,
    });
    // Zooming out past now follows the clock again.
    const recent = run({
      type: 'setRange',
      range: { kind: 'fixed', from: FIXTURE_NOW - HOUR, to: FIXTURE_NOW - 60_000 },
    });
    expect(explorerReducer(recent, { type: 'zoomOut', now: FIXTURE_NOW }).range.kind).toBe('live');
  });

  it('clears field, filters and group-by when the measurement changes', () => {
    const state = run(
      { type: 'setMeasurement', measurement: 'vigie' },
      { type: 'setField', field: 'latency' },
      { type: 'addFilter', key: 'source' },
      { type: 'toggleGroupBy', key: 'zone' },
      { type: 'setMeasurement', measurement: 'system' },
    );
    expect(state.series[0]).toMatchObject({ measurement: 'system', field: '', where: [], groupBy: [] });
  });

  it('sends complete series only, and filters without a value are not sent', () => {
    const state = run(
      { type: 'setMeasurement', measurement: 'vigie' },
      { type: 'addFilter', key: 'source' },
      { type: 'addFilter', key: 'zone' },
    );
    const series = state.series[0]!;
    const range = resolveRange(state.range, FIXTURE_NOW);
    expect(queryRequest(series, 'main', range, 800)).toBeNull();
    const withField = explorerReducer(explorerReducer(state, { type: 'setField', field: 'latency' }), {
      type: 'updateFilter',
      id: series.where[0]!.id,
      change: { value: 'api-a', op: '!=' },
    });
    expect(queryRequest(withField.series[0]!, 'main', range, 800)).toEqual({
      source: 'main',
      measurement: 'vigie',
      field: 'latency',
      where: [{ key: 'source', op: '!=', value: 'api-a' }],
      groupBy: [],
      aggregation: 'mean',
      from: FIXTURE_NOW - HOUR,
      to: FIXTURE_NOW,
      widthPx: 800,
    });
    expect(queryRequest(withField.series[0]!, 'main', range, null)).toBeNull();
  });

  it('presets the collected data of a tile, keeping a live span', () => {
    const state = run(
      { type: 'setRange', range: { kind: 'live', spanMs: 6 * HOUR } },
      { type: 'preset', preset: explorerPresetForTile('ups-a1', 'batteryCharge') },
    );
    expect(state.series).toHaveLength(1);
    expect(state.series[0]).toMatchObject({
      source: 'main',
      measurement: 'vigie',
      field: 'batteryCharge',
      where: [{ key: 'source', op: '=', value: 'ups-a1' }],
    });
    expect(state.range).toEqual({ kind: 'live', spanMs: 6 * HOUR });
  });

  it('adds a series that starts from the edited one, and removing the last leaves an empty one', () => {
    const two = run({ type: 'setMeasurement', measurement: 'vigie' }, { type: 'addSeries' });
    expect(two.series).toHaveLength(2);
    expect(two.selectedId).toBe(two.series[1]?.id);
    expect(two.series[1]).toMatchObject({ measurement: 'vigie', field: '' });
    const one = explorerReducer(two, { type: 'removeSeries', id: two.series[1]!.id });
    expect(one.selectedId).toBe(one.series[0]?.id);
    const none = explorerReducer(one, { type: 'removeSeries', id: one.series[0]!.id });
    expect(none.series).toHaveLength(1);
    expect(none.series[0]?.measurement).toBe('');
  });
});

describe('explorer state: series from a dashboard panel, and transforms', () => {
  const bits = { rate: true, scale: 8, offset: 0, unit: 'bitsPerSecond' };
  const panelSeries = [
    {
      source: 'telegraf',
      measurement: 'interface',
      field: 'ifHCInOctets',
      where: [{ key: 'agent_host', op: '=' as const, value: '192.0.2.1' }],
      groupBy: ['ifDescr'],
      aggregation: 'last' as const,
      label: 'in',
      transform: bits,
    },
    {
      source: 'main',
      measurement: 'vigie',
      field: 'inBitsPerSecond',
      where: [],
      groupBy: [],
      aggregation: 'mean' as const,
    },
  ];

  it('opens a panel’s series over its period, the first selected, transforms kept', () => {
    const fixed = { kind: 'fixed' as const, from: FIXTURE_NOW - HOUR, to: FIXTURE_NOW };
    const state = run({ type: 'openSeries', series: panelSeries, range: fixed });
    expect(state.series.map((s) => [s.source, s.field, s.transform])).toEqual([
      ['telegraf', 'ifHCInOctets', bits],
      ['main', 'inBitsPerSecond', null],
    ]);
    expect(state.selectedId).toBe(state.series[0]?.id);
    expect(new Set(state.series.map((s) => s.id)).size).toBe(2);
    expect(state.range).toEqual(fixed);
    expect(isZoomed(state)).toBe(false);
    const request = queryRequest(state.series[0]!, 'telegraf', resolveRange(state.range, FIXTURE_NOW), 500);
    expect(request).toMatchObject({ aggregation: 'last', groupBy: ['ifDescr'], transform: bits });
    expect(
      queryRequest(state.series[1]!, 'main', resolveRange(state.range, FIXTURE_NOW), 500),
    ).not.toHaveProperty('transform');
  });

  it('drops the transform with another field or measurement, and when it changes nothing', () => {
    const opened = run({ type: 'openSeries', series: panelSeries, range: { kind: 'live', spanMs: HOUR } });
    expect(explorerReducer(opened, { type: 'setField', field: 'ifHCInOctets' }).series[0]?.transform).toEqual(
      bits,
    );
    expect(
      explorerReducer(opened, { type: 'setField', field: 'ifHCOutOctets' }).series[0]?.transform,
    ).toBeNull();
    expect(
      explorerReducer(opened, { type: 'setMeasurement', measurement: 'snmp' }).series[0]?.transform,
    ).toBeNull();
    const identity = explorerReducer(opened, {
      type: 'setTransform',
      transform: { rate: false, scale: 1, offset: 0 },
    });
    expect(identity.series[0]?.transform).toBeNull();
    const busy = explorerReducer(opened, {
      type: 'setTransform',
      transform: { rate: false, scale: -1, offset: 100 },
    });
    expect(busy.series[0]?.transform).toEqual({ rate: false, scale: -1, offset: 100 });
    // An empty list changes nothing.
    expect(
      explorerReducer(opened, { type: 'openSeries', series: [], range: { kind: 'live', spanMs: 1 } }),
    ).toBe(opened);
  });
});
