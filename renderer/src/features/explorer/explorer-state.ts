/**
 * What the metric explorer shows, as plain data and a pure reducer: the series (one query each),
 * the one being edited, and the time range. The range is either live (it ends now and follows
 * the clock) or fixed; zooming and panning make it fixed, "reset" returns to the range chosen
 * before them.
 */
import { useReducer, type Dispatch } from 'react';
import type { PanelSeries } from '../../../../shared/domain/dashboard';
import { missingCase } from '../../../../shared/domain/missing-case';
import { isIdentity } from '../../../../shared/domain/series-transform';
import type {
  Aggregation,
  MetricQueryRequest,
  MetricTransform,
  TagFilter,
} from '../../lib/api/metric-queries';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A live range is re-queried this often, its end rounded up to this step (stable query keys). */
export const LIVE_REFRESH_MS = 10_000;
/** Zooming stops at this span. */
export const MIN_SPAN_MS = 10_000;
/** The source and measurement the engine writes what it collects to (tags source, zone, kind). */
export const COLLECTED_SOURCE = 'main';
export const COLLECTED_MEASUREMENT = 'vigie';

export const RANGE_PRESETS = [
  { id: '15m', spanMs: 15 * MINUTE },
  { id: '1h', spanMs: HOUR },
  { id: '6h', spanMs: 6 * HOUR },
  { id: '24h', spanMs: DAY },
  { id: '7d', spanMs: 7 * DAY },
  { id: '30d', spanMs: 30 * DAY },
] as const;
export type RangePresetId = (typeof RANGE_PRESETS)[number]['id'];

export const AGGREGATIONS: readonly Aggregation[] = [
  'raw',
  'mean',
  'min',
  'max',
  'sum',
  'count',
  'last',
  'p95',
];

export type TimeRange =
  | { readonly kind: 'live'; readonly spanMs: number }
  | { readonly kind: 'fixed'; readonly from: number; readonly to: number };

export interface FilterSpec extends TagFilter {
  readonly id: string;
}

export interface SeriesSpec {
  readonly id: string;
  /** Empty: the default source (the first connected one). */
  readonly source: string;
  readonly measurement: string;
  readonly field: string;
  readonly where: readonly FilterSpec[];
  readonly groupBy: readonly string[];
  readonly aggregation: Aggregation;
  /** A counter as a rate, a scale and offset (from a dashboard panel, or set here); null: as stored. */
  readonly transform: MetricTransform | null;
}

export interface ExplorerState {
  readonly series: readonly SeriesSpec[];
  /** The series the editor shows. */
  readonly selectedId: string;
  readonly range: TimeRange;
  /** The range chosen before any zoom or pan ("reset" goes back to it). */
  readonly baseRange: TimeRange;
  readonly nextId: number;
}

/** What "Open in explorer" from a tile asks for. */
export interface ExplorerPreset {
  readonly source: string;
  readonly measurement: string;
  readonly field: string;
  readonly where: readonly TagFilter[];
}

export type ExplorerAction =
  | { readonly type: 'setSource'; readonly source: string }
  | { readonly type: 'setMeasurement'; readonly measurement: string }
  | { readonly type: 'setField'; readonly field: string }
  | { readonly type: 'setAggregation'; readonly aggregation: Aggregation }
  | { readonly type: 'addFilter'; readonly key: string }
  | { readonly type: 'updateFilter'; readonly id: string; readonly change: Partial<TagFilter> }
  | { readonly type: 'removeFilter'; readonly id: string }
  | { readonly type: 'toggleGroupBy'; readonly key: string }
  | { readonly type: 'addSeries' }
  | { readonly type: 'removeSeries'; readonly id: string }
  | { readonly type: 'selectSeries'; readonly id: string }
  | { readonly type: 'setRange'; readonly range: TimeRange }
  | { readonly type: 'zoom'; readonly from: number; readonly to: number }
  /** Shifts by half the span, earlier (-1) or later (1); a range reaching now becomes live. */
  | { readonly type: 'pan'; readonly direction: -1 | 1; readonly now: number }
  /** Doubles the span around its middle (zoomIn: halves it). */
  | { readonly type: 'zoomOut'; readonly now: number }
  | { readonly type: 'zoomIn'; readonly now: number }
  | { readonly type: 'reset' }
  | { readonly type: 'preset'; readonly preset: ExplorerPreset }
  /** Rate, scale and offset of the selected series; null removes them. */
  | { readonly type: 'setTransform'; readonly transform: MetricTransform | null }
  /** "Open in explorer" from a dashboard panel: its series over the period it showed. */
  | { readonly type: 'openSeries'; readonly series: readonly PanelSeries[]; readonly range: TimeRange };

export const DEFAULT_RANGE: TimeRange = { kind: 'live', spanMs: HOUR };
export const MAX_GROUP_BY = 5;
export const MAX_FILTERS = 20;

function emptySeries(id: string, base?: SeriesSpec): SeriesSpec {
  return {
    id,
    source: base?.source ?? '',
    measurement: base?.measurement ?? '',
    field: '',
    where: base?.where ?? [],
    groupBy: base?.groupBy ?? [],
    aggregation: base?.aggregation ?? 'mean',
    transform: null,
  };
}

export function initialExplorerState(): ExplorerState {
  return {
    series: [emptySeries('s1')],
    selectedId: 's1',
    range: DEFAULT_RANGE,
    baseRange: DEFAULT_RANGE,
    nextId: 2,
  };
}

/** The end of a live range at `now`: rounded up to the refresh step, so keys hold for 10 s. */
export function liveEnd(now: number): number {
  return Math.ceil(now / LIVE_REFRESH_MS) * LIVE_REFRESH_MS;
}

export interface ResolvedRange {
  readonly from: number;
  readonly to: number;
  readonly live: boolean;
}

export function resolveRange(range: TimeRange, now: number): ResolvedRange {
  if (range.kind === 'fixed') return { from: range.from, to: range.to, live: false };
  const to = liveEnd(now);
  return { from: to - range.spanMs, to, live: true };
}

/** A fixed range, or a live one of the same span when it reaches now. */
function rangeEndingAt(from: number, to: number, now: number): TimeRange {
  const span = Math.max(MIN_SPAN_MS, Math.round(to - from));
  if (to >= now) return { kind: 'live', spanMs: span };
  const start = Math.max(0, Math.round(from));
  return { kind: 'fixed', from: start, to: start + span };
}

/** The preset a live range matches, if any (its button shows as pressed). */
export function presetOf(range: TimeRange): RangePresetId | null {
  if (range.kind !== 'live') return null;
  return RANGE_PRESETS.find((preset) => preset.spanMs === range.spanMs)?.id ?? null;
}

export function selectedSeries(state: ExplorerState): SeriesSpec {
  return state.series.find((s) => s.id === state.selectedId) ?? (state.series[0] as SeriesSpec);
}

function updateSelected(state: ExplorerState, change: (series: SeriesSpec) => SeriesSpec): ExplorerState {
  const id = selectedSeries(state).id;
  return { ...state, series: state.series.map((s) => (s.id === id ? change(s) : s)) };
}

function changeFilter(filter: FilterSpec, change: Partial<TagFilter>): FilterSpec {
  const next = { ...filter, ...change };
  // Another key makes the old value meaningless.
  return change.key !== undefined && change.key !== filter.key && change.value === undefined
    ? { ...next, value: '' }
    : next;
}

function sameRange(a: TimeRange, b: TimeRange): boolean {
  return a.kind === 'live'
    ? b.kind === 'live' && a.spanMs === b.spanMs
    : b.kind === 'fixed' && a.from === b.from && a.to === b.to;
}

export function isZoomed(state: ExplorerState): boolean {
  return !sameRange(state.range, state.baseRange);
}

function scaleRange(range: TimeRange, now: number, factor: number): TimeRange {
  const { from, to } = resolveRange(range, now);
  const span = Math.max(MIN_SPAN_MS, (to - from) * factor);
  if (range.kind === 'live') return { kind: 'live', spanMs: Math.round(span) };
  const middle = (from + to) / 2;
  return rangeEndingAt(middle - span / 2, middle + span / 2, now);
}

export function explorerReducer(state: ExplorerState, action: ExplorerAction): ExplorerState {
  switch (action.type) {
    case 'setSource':
      return updateSelected(state, (s) =>
        s.source === action.source
          ? s
          : { ...emptySeries(s.id), aggregation: s.aggregation, source: action.source },
      );
    case 'setMeasurement':
      return updateSelected(state, (s) =>
        s.measurement === action.measurement
          ? s
          : { ...s, measurement: action.measurement, field: '', where: [], groupBy: [], transform: null },
      );
    case 'setField':
      // A transform belongs to the field it was made for (a rate of a counter, busy from idle).
      return updateSelected(state, (s) =>
        s.field === action.field ? s : { ...s, field: action.field, transform: null },
      );
    case 'setTransform':
      return updateSelected(state, (s) => ({
        ...s,
        transform: action.transform === null || isIdentity(action.transform) ? null : action.transform,
      }));
    case 'setAggregation':
      return updateSelected(state, (s) => ({ ...s, aggregation: action.aggregation }));
    case 'addFilter': {
      const id = `f${state.nextId}`;
      const next = updateSelected(state, (s) =>
        s.where.length >= MAX_FILTERS
          ? s
          : { ...s, where: [...s.where, { id, key: action.key, op: '=', value: '' }] },
      );
      return { ...next, nextId: state.nextId + 1 };
    }
    case 'updateFilter':
      return updateSelected(state, (s) => ({
        ...s,
        where: s.where.map((f) => (f.id === action.id ? changeFilter(f, action.change) : f)),
      }));
    case 'removeFilter':
      return updateSelected(state, (s) => ({ ...s, where: s.where.filter((f) => f.id !== action.id) }));
    case 'toggleGroupBy':
      return updateSelected(state, (s) => {
        if (s.groupBy.includes(action.key))
          return { ...s, groupBy: s.groupBy.filter((k) => k !== action.key) };
        if (s.groupBy.length >= MAX_GROUP_BY) return s;
        return { ...s, groupBy: [...s.groupBy, action.key] };
      });
    case 'addSeries': {
      const id = `s${state.nextId}`;
      const base = selectedSeries(state);
      return {
        ...state,
        series: [
          ...state.series,
          { ...emptySeries(id, base), where: base.where.map((f, i) => ({ ...f, id: `${id}f${i}` })) },
        ],
        selectedId: id,
        nextId: state.nextId + 1,
      };
    }
    case 'removeSeries': {
      if (state.series.length <= 1) {
        const id = `s${state.nextId}`;
        return { ...state, series: [emptySeries(id)], selectedId: id, nextId: state.nextId + 1 };
      }
      const index = state.series.findIndex((s) => s.id === action.id);
      const series = state.series.filter((s) => s.id !== action.id);
      const selectedId =
        state.selectedId === action.id
          ? (series[Math.min(Math.max(0, index), series.length - 1)]?.id ?? state.selectedId)
          : state.selectedId;
      return { ...state, series, selectedId };
    }
    case 'selectSeries':
      return state.series.some((s) => s.id === action.id) ? { ...state, selectedId: action.id } : state;
    case 'setRange':
      return { ...state, range: action.range, baseRange: action.range };
    case 'zoom': {
      const from = Math.round(Math.min(action.from, action.to));
      const to = Math.round(Math.max(action.from, action.to));
      const middle = (from + to) / 2;
      const half = Math.max(MIN_SPAN_MS, to - from) / 2;
      return {
        ...state,
        range: { kind: 'fixed', from: Math.round(middle - half), to: Math.round(middle + half) },
      };
    }
    case 'pan': {
      const { from, to } = resolveRange(state.range, action.now);
      const shift = ((to - from) / 2) * action.direction;
      return { ...state, range: rangeEndingAt(from + shift, to + shift, action.now) };
    }
    case 'zoomOut':
      return { ...state, range: scaleRange(state.range, action.now, 2) };
    case 'zoomIn':
      return { ...state, range: scaleRange(state.range, action.now, 0.5) };
    case 'reset':
      return { ...state, range: state.baseRange };
    case 'preset': {
      const id = `s${state.nextId}`;
      const series: SeriesSpec = {
        id,
        source: action.preset.source,
        measurement: action.preset.measurement,
        field: action.preset.field,
        where: action.preset.where.map((f, i) => ({ ...f, id: `${id}f${i}` })),
        groupBy: [],
        aggregation: 'mean',
        transform: null,
      };
      // Opened from a live view: show what happens now, over the live span already chosen.
      const range = state.range.kind === 'live' ? state.range : DEFAULT_RANGE;
      return { series: [series], selectedId: id, range, baseRange: range, nextId: state.nextId + 1 };
    }
    case 'openSeries': {
      if (action.series.length === 0) return state;
      let nextId = state.nextId;
      const series = action.series.map((panel): SeriesSpec => {
        const id = `s${nextId}`;
        nextId += 1;
        return {
          id,
          source: panel.source,
          measurement: panel.measurement,
          field: panel.field,
          where: panel.where.map((f, i) => ({ ...f, id: `${id}f${i}` })),
          groupBy: [...panel.groupBy],
          aggregation: panel.aggregation,
          transform: panel.transform ?? null,
        };
      });
      return {
        series,
        selectedId: series[0]?.id ?? state.selectedId,
        range: action.range,
        baseRange: action.range,
        nextId,
      };
    }
    default:
      throw missingCase(action);
  }
}

/** The explorer's state, held by the console layout so that it survives a switch of view. */
export function useExplorerState(): [ExplorerState, Dispatch<ExplorerAction>] {
  return useReducer(explorerReducer, undefined, initialExplorerState);
}

/** "Open in explorer" from an overview tile: the collected data of that tile, one reading. */
export function explorerPresetForTile(tileId: string, reading: string | null): ExplorerPreset {
  return {
    source: COLLECTED_SOURCE,
    measurement: COLLECTED_MEASUREMENT,
    field: reading ?? '',
    where: [{ key: 'source', op: '=', value: tileId }],
  };
}

/** Filters that are complete enough to send (a row without a value is still being edited). */
export function activeFilters(series: SeriesSpec): TagFilter[] {
  return series.where
    .filter((f) => f.key !== '' && f.value !== '')
    .map(({ key, op, value }) => ({ key, op, value }));
}

/** The request for a series, or null while it lacks a source, measurement or field. */
export function queryRequest(
  series: SeriesSpec,
  source: string,
  range: ResolvedRange,
  widthPx: number | null,
): MetricQueryRequest | null {
  if (source === '' || series.measurement === '' || series.field === '' || widthPx === null) return null;
  if (!(range.to > range.from)) return null;
  return {
    source,
    measurement: series.measurement,
    field: series.field,
    where: activeFilters(series),
    groupBy: [...series.groupBy],
    aggregation: series.aggregation,
    from: Math.floor(range.from),
    to: Math.ceil(range.to),
    widthPx: Math.min(16_384, Math.max(1, Math.round(widthPx))),
    ...(series.transform ? { transform: series.transform } : {}),
  };
}
