/**
 * The series on the chart (one query each): pick the one to edit, remove one, add another. The
 * colours are in the chart's legend: a series grouped by tags draws several lines.
 */
import { useI18n } from '../../lib/i18n/i18n-context';
import type { ExplorerAction, SeriesSpec } from './explorer-state';
import { seriesLabel } from './series-label';

export interface SeriesListProps {
  readonly series: readonly SeriesSpec[];
  readonly selectedId: string;
  readonly dispatch: (action: ExplorerAction) => void;
}

export function SeriesList({ series, selectedId, dispatch }: SeriesListProps) {
  const { t } = useI18n();
  return (
    <section className="explorer-box explorer-series" aria-label={t('explorer.series')}>
      <h2 className="explorer-box__title">{t('explorer.series')}</h2>
      <ul className="explorer-series__list" data-testid="explorer-series">
        {series.map((s, index) => {
          const label =
            s.field === ''
              ? t('explorer.seriesIncomplete', { number: index + 1 })
              : `${s.measurement} · ${seriesLabel(t, s)}`;
          return (
            <li key={s.id} className="explorer-series__item">
              <button
                type="button"
                className="explorer-series__select"
                aria-pressed={s.id === selectedId}
                onClick={() => dispatch({ type: 'selectSeries', id: s.id })}
                title={t('explorer.editSeries', { label })}
              >
                <span>{label}</span>
              </button>
              <button
                type="button"
                className="button button--small"
                onClick={() => dispatch({ type: 'removeSeries', id: s.id })}
                aria-label={t('explorer.removeSeries', { label })}
                title={t('explorer.removeSeries', { label })}
              >
                <span aria-hidden="true">✕</span>
              </button>
            </li>
          );
        })}
      </ul>
      <button
        type="button"
        className="button button--small"
        onClick={() => dispatch({ type: 'addSeries' })}
        data-testid="explorer-add-series"
      >
        {t('explorer.addSeries')}
      </button>
    </section>
  );
}
