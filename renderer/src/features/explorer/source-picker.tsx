/**
 * The metric sources and the console's connection to each: connected, connecting or unreachable
 * (with its error and when it last answered), a clock skew above 30 s, points waiting in the queue
 * and points dropped. A source in trouble is said so in words and with an icon, never hidden.
 */
import { useId } from 'react';
import { ApiErrorNotice } from '../../components/api-error-notice';
import { SourceFacts, SourceStateBadge } from '../../components/metric-source';
import type { MetricSource } from '../../lib/api/metric-queries';
import { useI18n } from '../../lib/i18n/i18n-context';

export {
  CLOCK_SKEW_WARNING_MS,
  formatSkew,
  SourceFacts,
  SourceStateBadge,
  SourceUnreachable,
} from '../../components/metric-source';

export interface SourcePickerProps {
  readonly sources: readonly MetricSource[] | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  /** The source of the series being edited. */
  readonly selected: string;
  readonly onSelect: (id: string) => void;
}

export function SourcePicker({ sources, error, loading, selected, onSelect }: SourcePickerProps) {
  const { t } = useI18n();
  const name = useId();
  return (
    <fieldset className="explorer-box explorer-sources" data-testid="explorer-sources">
      <legend className="explorer-box__title">{t('explorer.sources')}</legend>
      {error !== null && !sources && <ApiErrorNotice error={error} title={t('explorer.sourcesFailed')} />}
      {!sources && error === null && loading && <p className="explorer-muted">{t('explorer.loading')}</p>}
      {sources && sources.length === 0 && <p className="explorer-muted">{t('explorer.noSources')}</p>}
      {sources && sources.length > 0 && (
        <ul className="explorer-sources__list">
          {sources.map((source) => (
            <li
              key={source.id}
              className={`explorer-source explorer-source--${source.state}`}
              data-testid={`source-${source.id}`}
              data-state={source.state}
            >
              <label className="explorer-source__choice">
                <input
                  type="radio"
                  name={name}
                  value={source.id}
                  checked={source.id === selected}
                  onChange={() => onSelect(source.id)}
                />
                <span className="explorer-source__name">{source.name}</span>
                <span className="explorer-muted">{t(`explorer.sourceKind.${source.kind}`)}</span>
              </label>
              <SourceStateBadge state={source.state} />
              <SourceFacts source={source} />
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
