/**
 * "Add a panel": a title, then either the series currently drawn in the explorer or one series
 * chosen here (source, measurement, field, aggregation, tag filters).
 */
import { useId, useState, type FormEvent } from 'react';
import type { PanelSeries } from '../../../../shared/domain/dashboard';
import { seriesLabel } from '../../components/metric-chart/series-label';
import { OverlayDialog } from '../../components/overlay-dialog';
import {
  useMetricCatalog,
  useMetricSources,
  useTagValues,
  type Aggregation,
  type TagFilter,
} from '../../lib/api/metric-queries';
import { useI18n } from '../../lib/i18n/i18n-context';
import type { NewPanel } from './dashboard-draft';

const AGGREGATIONS: readonly Aggregation[] = ['raw', 'mean', 'min', 'max', 'sum', 'count', 'last', 'p95'];
const CHARTABLE = new Set(['float', 'integer']);

function withCurrent(options: readonly string[], current: string): string[] {
  return current !== '' && !options.includes(current) ? [current, ...options] : [...options];
}

function FilterValue({
  source,
  measurement,
  filter,
  label,
  onChange,
}: {
  source: string;
  measurement: string;
  filter: TagFilter;
  label: string;
  onChange: (value: string) => void;
}) {
  const { t } = useI18n();
  const values = useTagValues(source, measurement, filter.key);
  return (
    <select
      className="explorer-input"
      aria-label={label}
      value={filter.value}
      onChange={(event) => onChange(event.target.value)}
      data-testid="panel-filter-value"
    >
      <option value="">{t('explorer.chooseValue')}</option>
      {withCurrent(values.data?.values ?? [], filter.value).map((value) => (
        <option key={value} value={value}>
          {value}
        </option>
      ))}
    </select>
  );
}

export interface PanelFormProps {
  /** The series drawn in the explorer (complete ones only). */
  readonly explorerSeries: readonly PanelSeries[];
  readonly onAdd: (panel: NewPanel) => void;
  readonly onClose: () => void;
}

export function PanelForm({ explorerSeries, onAdd, onClose }: PanelFormProps) {
  const { t } = useI18n();
  const id = useId();
  const sources = useMetricSources();
  const sourceList = sources.data?.sources ?? [];
  const [title, setTitle] = useState('');
  const [useExplorer, setUseExplorer] = useState(explorerSeries.length > 0);
  const [source, setSource] = useState('');
  const [measurement, setMeasurement] = useState('');
  const [field, setField] = useState('');
  const [aggregation, setAggregation] = useState<Aggregation>('mean');
  const [where, setWhere] = useState<TagFilter[]>([]);
  const [invalid, setInvalid] = useState(false);

  const chosenSource =
    source !== '' ? source : ((sourceList.find((s) => s.state === 'connected') ?? sourceList[0])?.id ?? '');
  const measurements = useMetricCatalog(chosenSource === '' ? null : chosenSource, null);
  const detail = useMetricCatalog(
    chosenSource === '' ? null : chosenSource,
    measurement === '' ? null : measurement,
  );
  const fields = (measurement !== '' ? (detail.data?.fields ?? []) : [])
    .filter((f) => CHARTABLE.has(f.type))
    .map((f) => f.name);
  const tagKeys = measurement !== '' ? (detail.data?.tagKeys ?? []) : [];

  const series: PanelSeries[] = useExplorer
    ? [...explorerSeries]
    : chosenSource !== '' && measurement !== '' && field !== ''
      ? [
          {
            source: chosenSource,
            measurement,
            field,
            aggregation,
            where: where.filter((f) => f.value !== ''),
            groupBy: [],
          },
        ]
      : [];

  function onSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (title.trim() === '' || series.length === 0) {
      setInvalid(true);
      return;
    }
    onAdd({ title, series });
  }

  return (
    <OverlayDialog variant="centre" labelledBy={`${id}-title`} onClose={onClose} testId="panel-form">
      <form className="dashboard-form" onSubmit={onSubmit}>
        <h2 className="detail__title" id={`${id}-title`}>
          {t('dashboards.addPanel')}
        </h2>
        <label className="dashboard-form__field">
          <span>{t('dashboards.panelTitle')}</span>
          <input
            className="explorer-input"
            value={title}
            maxLength={200}
            required
            onChange={(event) => setTitle(event.target.value)}
            aria-invalid={invalid && title.trim() === '' ? 'true' : undefined}
            data-autofocus
            data-testid="panel-title"
          />
        </label>
        {explorerSeries.length > 0 && (
          <fieldset className="dashboard-form__group">
            <legend>{t('dashboards.seriesSource')}</legend>
            <label className="explorer-check">
              <input
                type="radio"
                name={`${id}-mode`}
                checked={useExplorer}
                onChange={() => setUseExplorer(true)}
                data-testid="panel-use-explorer"
              />
              {t('dashboards.fromExplorer', { count: explorerSeries.length })}
            </label>
            {useExplorer && (
              <ul className="dashboard-form__series">
                {explorerSeries.map((s, i) => (
                  <li key={i}>{`${s.measurement} · ${seriesLabel(t, s)}`}</li>
                ))}
              </ul>
            )}
            <label className="explorer-check">
              <input
                type="radio"
                name={`${id}-mode`}
                checked={!useExplorer}
                onChange={() => setUseExplorer(false)}
                data-testid="panel-choose-series"
              />
              {t('dashboards.chooseSeries')}
            </label>
          </fieldset>
        )}
        {!useExplorer && (
          <fieldset className="dashboard-form__group">
            <legend>{t('explorer.series')}</legend>
            <label className="dashboard-form__field">
              <span>{t('explorer.sources')}</span>
              <select
                className="explorer-input"
                value={chosenSource}
                onChange={(event) => {
                  setSource(event.target.value);
                  setMeasurement('');
                  setField('');
                  setWhere([]);
                }}
                data-testid="panel-source"
              >
                {sourceList.map((s) => (
                  <option key={s.id} value={s.id}>
                    {`${s.name} (${t(`explorer.sourceState.${s.state}`)})`}
                  </option>
                ))}
              </select>
            </label>
            <label className="dashboard-form__field">
              <span>{t('explorer.measurement')}</span>
              <select
                className="explorer-input"
                value={measurement}
                onChange={(event) => {
                  setMeasurement(event.target.value);
                  setField('');
                  setWhere([]);
                }}
                data-testid="panel-measurement"
              >
                <option value="">{t('explorer.chooseMeasurement')}</option>
                {withCurrent(measurements.data?.measurements ?? [], measurement).map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
            </label>
            <label className="dashboard-form__field">
              <span>{t('explorer.field')}</span>
              <select
                className="explorer-input"
                value={field}
                onChange={(event) => setField(event.target.value)}
                disabled={measurement === ''}
                data-testid="panel-field"
              >
                <option value="">{t('explorer.chooseField')}</option>
                {withCurrent(fields, field).map((f) => (
                  <option key={f} value={f}>
                    {f}
                  </option>
                ))}
              </select>
            </label>
            <label className="dashboard-form__field">
              <span>{t('explorer.aggregation')}</span>
              <select
                className="explorer-input"
                value={aggregation}
                onChange={(event) =>
                  setAggregation(AGGREGATIONS.find((a) => a === event.target.value) ?? 'mean')
                }
                data-testid="panel-aggregation"
              >
                {AGGREGATIONS.map((a) => (
                  <option key={a} value={a}>
                    {t(`aggregation.${a}`)}
                  </option>
                ))}
              </select>
            </label>
            <div className="dashboard-form__filters">
              <span>{t('explorer.filters')}</span>
              {where.map((filter, index) => (
                <div key={index} className="explorer-filter">
                  <select
                    className="explorer-input"
                    aria-label={t('explorer.filter.key')}
                    value={filter.key}
                    onChange={(event) =>
                      setWhere(
                        where.map((f, i) => (i === index ? { ...f, key: event.target.value, value: '' } : f)),
                      )
                    }
                  >
                    {withCurrent(tagKeys, filter.key).map((key) => (
                      <option key={key} value={key}>
                        {key}
                      </option>
                    ))}
                  </select>
                  <select
                    className="explorer-input explorer-input--narrow"
                    aria-label={t('explorer.filter.op')}
                    value={filter.op}
                    onChange={(event) =>
                      setWhere(
                        where.map((f, i) =>
                          i === index ? { ...f, op: event.target.value === '!=' ? '!=' : '=' } : f,
                        ),
                      )
                    }
                  >
                    <option value="=">{t('explorer.filter.equals')}</option>
                    <option value="!=">{t('explorer.filter.differs')}</option>
                  </select>
                  <FilterValue
                    source={chosenSource}
                    measurement={measurement}
                    filter={filter}
                    label={t('explorer.filter.value', { key: filter.key })}
                    onChange={(value) => setWhere(where.map((f, i) => (i === index ? { ...f, value } : f)))}
                  />
                  <button
                    type="button"
                    className="button button--small"
                    onClick={() => setWhere(where.filter((_, i) => i !== index))}
                    aria-label={t('explorer.filter.remove', { key: filter.key })}
                  >
                    <span aria-hidden="true">✕</span>
                  </button>
                </div>
              ))}
              <button
                type="button"
                className="button button--small"
                disabled={tagKeys.length === 0 || where.length >= 20}
                onClick={() => setWhere([...where, { key: tagKeys[0] ?? '', op: '=', value: '' }])}
                data-testid="panel-add-filter"
              >
                {t('explorer.addFilter')}
              </button>
            </div>
          </fieldset>
        )}
        {invalid && (
          <p className="explorer-range__invalid" role="alert">
            {t('dashboards.panelIncomplete')}
          </p>
        )}
        <div className="dashboard-form__actions">
          <button type="button" className="button" onClick={onClose}>
            {t('action.cancel')}
          </button>
          <button type="submit" className="button" data-testid="panel-add">
            {t('dashboards.addPanel')}
          </button>
        </div>
      </form>
    </OverlayDialog>
  );
}
