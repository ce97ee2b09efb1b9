/**
 * The metric sources and the console's connection to each: connected, connecting or unreachable
 * (with its error and when it last answered), a clock skew above 30 s, points waiting in the queue
 * and points dropped. A source in trouble is said so in words and with an icon, never hidden.
 */
import { useId } from 'react';
import { missingCase } from '../../../../shared/domain/missing-case';
import type { Status } from '../../../../shared/domain/status';
import { StatusIcon } from '../../components/status-icon';
import type { MetricSource } from '../../lib/api/metric-queries';
import { useNow } from '../../lib/clock/clock-context';
import { useI18n, type I18n } from '../../lib/i18n/i18n-context';
import { ApiErrorNotice } from './api-error-notice';

/** Above this, ages measured against the source's clock would lie (PITFALLS: clock skew). */
export const CLOCK_SKEW_WARNING_MS = 30_000;

function stateStatus(state: MetricSource['state']): Status {
  switch (state) {
    case 'connected':
      return 'up';
    case 'connecting':
      return 'unknown';
    case 'unreachable':
      return 'down';
    default:
      throw missingCase(state);
  }
}

/** `45 s`, `3 min`, `2 h`: a clock difference as an operator reads it. */
export function formatSkew(i18n: Pick<I18n, 't' | 'fmt'>, ms: number): string {
  const seconds = Math.abs(ms) / 1_000;
  if (seconds < 120) return i18n.t('unit.seconds', { value: i18n.fmt.number(Math.round(seconds)) });
  if (seconds < 7_200) return i18n.t('unit.minutes', { value: i18n.fmt.number(Math.round(seconds / 60)) });
  return i18n.t('unit.hours', { value: i18n.fmt.number(seconds / 3_600, { maximumFractionDigits: 1 }) });
}

export function SourceStateBadge({ state }: { state: MetricSource['state'] }) {
  const { t } = useI18n();
  const status = stateStatus(state);
  return (
    <span
      className={`status-badge status-badge--${status} source-state`}
      data-testid="source-state"
      data-state={state}
    >
      <StatusIcon status={status} />
      <span>{t(`explorer.sourceState.${state}`)}</span>
    </span>
  );
}

/** The facts under a source: error, last answer, skew, queue. */
export function SourceFacts({ source }: { source: MetricSource }) {
  const i18n = useI18n();
  const { t, fmt } = i18n;
  const now = useNow();
  const skew = source.clockSkewMs;
  return (
    <ul className="source-facts">
      {source.state !== 'connected' && source.lastError && (
        <li className="source-facts__error" data-testid="source-error">
          {t('explorer.source.error', { code: source.lastError.code, message: source.lastError.message })}
        </li>
      )}
      {source.state !== 'connected' && (
        <li data-testid="source-last-ok">
          {source.lastOkAt === null
            ? t('explorer.source.neverOk')
            : t('explorer.source.lastOk', { time: fmt.time(source.lastOkAt, now) })}
        </li>
      )}
      {skew !== null && Math.abs(skew) > CLOCK_SKEW_WARNING_MS && (
        <li className="source-facts__warning" data-testid="source-skew">
          <StatusIcon status="degraded" />{' '}
          {t(skew > 0 ? 'explorer.source.skewAhead' : 'explorer.source.skewBehind', {
            amount: formatSkew(i18n, skew),
          })}
        </li>
      )}
      {source.queuedPoints > 0 && (
        <li data-testid="source-queued">
          {t('explorer.source.queued', { count: fmt.number(source.queuedPoints) })}
        </li>
      )}
      {source.dropped && source.dropped.count > 0 && (
        <li className="source-facts__warning" data-testid="source-dropped">
          <StatusIcon status="degraded" />{' '}
          {t('explorer.source.dropped', {
            count: fmt.number(source.dropped.count),
            time: fmt.time(source.dropped.lastAt, now),
          })}
        </li>
      )}
    </ul>
  );
}

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

/** In place of the chart: the source cannot answer, so nothing drawn would be current. */
export function SourceUnreachable({ source }: { source: MetricSource }) {
  const { t } = useI18n();
  return (
    <div
      className="explorer-notice explorer-notice--unreachable"
      role="alert"
      data-testid="source-unreachable"
    >
      <p className="explorer-notice__title">
        <StatusIcon status="down" /> <strong>{t('explorer.unreachable.title', { name: source.name })}</strong>
      </p>
      <SourceFacts source={source} />
      <p>{t('explorer.unreachable.detail')}</p>
    </div>
  );
}
