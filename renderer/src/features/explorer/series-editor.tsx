/**
 * Edits one series: measurement and field (from `metrics.catalog`), aggregation, tag filters
 * (key, = or ≠, a value from `metrics.tagValues`), group-by tags, and a transform (a counter as a
 * rate per second, then × scale + offset: how a dashboard shows Telegraf's octets as bits per
 * second). Every change is a new query for that series only.
 */
import { useId, useState } from 'react';
import { unitLabel } from '../../components/metric-chart/series-label';
import {
  useMetricCatalog,
  useTagValues,
  type Aggregation,
  type MetricTransform,
} from '../../lib/api/metric-queries';
import { useI18n } from '../../lib/i18n/i18n-context';
import { ApiErrorNotice } from './api-error-notice';
import {
  AGGREGATIONS,
  MAX_GROUP_BY,
  type ExplorerAction,
  type FilterSpec,
  type SeriesSpec,
} from './explorer-state';

/** Fields a line can draw: numbers only. */
const CHARTABLE = new Set(['float', 'integer']);

/** The options of a select, with the current value kept even before (or without) the catalog. */
function withCurrent(options: readonly string[], current: string): string[] {
  return current !== '' && !options.includes(current) ? [current, ...options] : [...options];
}

interface FilterRowProps {
  readonly filter: FilterSpec;
  readonly source: string;
  readonly measurement: string;
  readonly tagKeys: readonly string[];
  readonly dispatch: (action: ExplorerAction) => void;
}

function FilterRow({ filter, source, measurement, tagKeys, dispatch }: FilterRowProps) {
  const { t } = useI18n();
  const id = useId();
  const values = useTagValues(source, measurement, filter.key);
  const update = (change: Partial<FilterSpec>) => dispatch({ type: 'updateFilter', id: filter.id, change });
  return (
    <li className="explorer-filter" data-testid="explorer-filter">
      <label className="visually-hidden" htmlFor={`${id}-key`}>
        {t('explorer.filter.key')}
      </label>
      <select
        id={`${id}-key`}
        className="explorer-input"
        value={filter.key}
        onChange={(event) => update({ key: event.target.value })}
        data-testid="filter-key"
      >
        {withCurrent(tagKeys, filter.key).map((key) => (
          <option key={key} value={key}>
            {key}
          </option>
        ))}
      </select>
      <label className="visually-hidden" htmlFor={`${id}-op`}>
        {t('explorer.filter.op')}
      </label>
      <select
        id={`${id}-op`}
        className="explorer-input explorer-input--narrow"
        value={filter.op}
        onChange={(event) => update({ op: event.target.value === '!=' ? '!=' : '=' })}
        data-testid="filter-op"
      >
        <option value="=">{t('explorer.filter.equals')}</option>
        <option value="!=">{t('explorer.filter.differs')}</option>
      </select>
      <label className="visually-hidden" htmlFor={`${id}-value`}>
        {t('explorer.filter.value', { key: filter.key })}
      </label>
      <select
        id={`${id}-value`}
        className="explorer-input"
        value={filter.value}
        onChange={(event) => update({ value: event.target.value })}
        aria-invalid={filter.value === '' ? 'true' : undefined}
        data-testid="filter-value"
      >
        <option value="">
          {t(values.isPending && values.fetchStatus !== 'idle' ? 'explorer.loading' : 'explorer.chooseValue')}
        </option>
        {withCurrent(values.data?.values ?? [], filter.value).map((value) => (
          <option key={value} value={value}>
            {value}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="button button--small"
        onClick={() => dispatch({ type: 'removeFilter', id: filter.id })}
        aria-label={t('explorer.filter.remove', { key: filter.key })}
        title={t('explorer.filter.remove', { key: filter.key })}
      >
        <span aria-hidden="true">✕</span>
      </button>
      {values.isError && <span className="explorer-muted">{t('explorer.valuesFailed')}</span>}
    </li>
  );
}

const IDENTITY: MetricTransform = { rate: false, scale: 1, offset: 0 };

/** A number typed freely and applied on Enter or when leaving the field, if it is one. */
function NumberField({
  label,
  value,
  valid,
  onApply,
  testId,
}: {
  label: string;
  value: number;
  valid: (n: number) => boolean;
  onApply: (n: number) => void;
  testId: string;
}) {
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const shown = draft ?? String(value);
  const parsed = Number(shown.trim().replace(',', '.'));
  const ok = shown.trim() !== '' && Number.isFinite(parsed) && valid(parsed);
  function apply(): void {
    if (draft === null) return;
    if (ok) onApply(parsed);
    setDraft(null);
  }
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className="explorer-input explorer-input--narrow"
        inputMode="decimal"
        value={shown}
        aria-invalid={ok ? undefined : 'true'}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={apply}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            apply();
          }
        }}
        data-testid={testId}
      />
    </>
  );
}

function TransformEditor({
  transform,
  disabled,
  dispatch,
}: {
  transform: MetricTransform | null;
  disabled: boolean;
  dispatch: (action: ExplorerAction) => void;
}) {
  const { t } = useI18n();
  const current = transform ?? IDENTITY;
  const set = (change: Partial<MetricTransform>) =>
    dispatch({ type: 'setTransform', transform: { ...current, ...change } });
  return (
    <fieldset className="explorer-editor__group" disabled={disabled} data-testid="explorer-transform">
      <legend>{t('explorer.transform')}</legend>
      <label className="explorer-check">
        <input
          type="checkbox"
          checked={current.rate}
          onChange={(event) => set({ rate: event.target.checked })}
          data-testid="transform-rate"
        />
        {t('explorer.transform.rate')}
      </label>
      <div className="explorer-editor__grid">
        <NumberField
          key={`scale:${current.scale}`}
          label={t('explorer.transform.scale')}
          value={current.scale}
          valid={(n) => n !== 0}
          onApply={(scale) => set({ scale })}
          testId="transform-scale"
        />
        <NumberField
          key={`offset:${current.offset}`}
          label={t('explorer.transform.offset')}
          value={current.offset}
          valid={() => true}
          onApply={(offset) => set({ offset })}
          testId="transform-offset"
        />
      </div>
      {transform === null ? (
        <p className="explorer-muted">{t('explorer.transform.none')}</p>
      ) : (
        <p className="explorer-muted" data-testid="transform-summary">
          {transform.unit !== undefined &&
            `${t('explorer.transform.unit', { unit: unitLabel(t, transform.unit) })} `}
          <button
            type="button"
            className="button button--small"
            onClick={() => dispatch({ type: 'setTransform', transform: null })}
            data-testid="transform-remove"
          >
            {t('explorer.transform.remove')}
          </button>
        </p>
      )}
    </fieldset>
  );
}

export interface SeriesEditorProps {
  readonly series: SeriesSpec;
  /** The resolved source (the default one when the series has none), empty when unknown. */
  readonly source: string;
  /** False when the source is unreachable: its catalog cannot be read. */
  readonly reachable: boolean;
  readonly dispatch: (action: ExplorerAction) => void;
}

export function SeriesEditor({ series, source, reachable, dispatch }: SeriesEditorProps) {
  const { t } = useI18n();
  const id = useId();
  const catalogSource = reachable ? source : null;
  const measurements = useMetricCatalog(catalogSource, null);
  const detail = useMetricCatalog(catalogSource, series.measurement === '' ? null : series.measurement);
  const withMeasurement = series.measurement !== '' ? detail.data : undefined;
  const fields = (withMeasurement?.fields ?? []).filter((f) => CHARTABLE.has(f.type)).map((f) => f.name);
  const tagKeys = withMeasurement?.tagKeys ?? [];
  const groupable = [...new Set([...tagKeys, ...series.groupBy])];
  const catalogError = measurements.error ?? (series.measurement !== '' ? detail.error : null);

  return (
    <div className="explorer-box explorer-editor" data-testid="explorer-editor">
      {catalogError && <ApiErrorNotice error={catalogError} title={t('explorer.catalogFailed')} />}
      <div className="explorer-editor__grid">
        <label htmlFor={`${id}-measurement`}>{t('explorer.measurement')}</label>
        <select
          id={`${id}-measurement`}
          className="explorer-input"
          value={series.measurement}
          disabled={!reachable}
          onChange={(event) => dispatch({ type: 'setMeasurement', measurement: event.target.value })}
          data-testid="explorer-measurement"
        >
          <option value="">{t('explorer.chooseMeasurement')}</option>
          {withCurrent(measurements.data?.measurements ?? [], series.measurement).map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-field`}>{t('explorer.field')}</label>
        <select
          id={`${id}-field`}
          className="explorer-input"
          value={series.field}
          disabled={!reachable || series.measurement === ''}
          onChange={(event) => dispatch({ type: 'setField', field: event.target.value })}
          data-testid="explorer-field"
        >
          <option value="">{t('explorer.chooseField')}</option>
          {withCurrent(fields, series.field).map((f) => (
            <option key={f} value={f}>
              {f}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-aggregation`}>{t('explorer.aggregation')}</label>
        <select
          id={`${id}-aggregation`}
          className="explorer-input"
          value={series.aggregation}
          onChange={(event) => {
            const aggregation = AGGREGATIONS.find((a) => a === event.target.value);
            if (aggregation)
              dispatch({ type: 'setAggregation', aggregation: aggregation satisfies Aggregation });
          }}
          data-testid="explorer-aggregation"
        >
          {AGGREGATIONS.map((a) => (
            <option key={a} value={a}>
              {t(`aggregation.${a}`)}
            </option>
          ))}
        </select>
      </div>

      <fieldset className="explorer-editor__group" disabled={series.measurement === ''}>
        <legend>{t('explorer.filters')}</legend>
        {series.where.length === 0 && <p className="explorer-muted">{t('explorer.noFilters')}</p>}
        {series.where.length > 0 && (
          <ul className="explorer-filters">
            {series.where.map((filter) => (
              <FilterRow
                key={filter.id}
                filter={filter}
                source={reachable ? source : ''}
                measurement={series.measurement}
                tagKeys={tagKeys}
                dispatch={dispatch}
              />
            ))}
          </ul>
        )}
        <button
          type="button"
          className="button button--small"
          disabled={tagKeys.length === 0}
          onClick={() => dispatch({ type: 'addFilter', key: tagKeys[0] ?? '' })}
          data-testid="explorer-add-filter"
        >
          {t('explorer.addFilter')}
        </button>
      </fieldset>

      <fieldset className="explorer-editor__group" disabled={series.measurement === ''}>
        <legend>{t('explorer.groupBy')}</legend>
        {groupable.length === 0 && <p className="explorer-muted">{t('explorer.noTags')}</p>}
        <div className="explorer-checks">
          {groupable.map((key) => {
            const checked = series.groupBy.includes(key);
            return (
              <label key={key} className="explorer-check">
                <input
                  type="checkbox"
                  checked={checked}
                  disabled={!checked && series.groupBy.length >= MAX_GROUP_BY}
                  onChange={() => dispatch({ type: 'toggleGroupBy', key })}
                  data-testid={`group-by-${key}`}
                />
                {key}
              </label>
            );
          })}
        </div>
      </fieldset>

      <TransformEditor transform={series.transform} disabled={series.field === ''} dispatch={dispatch} />
    </div>
  );
}
