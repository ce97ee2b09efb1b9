/**
 * A metric source's connection as the console shows it: its state in words and with an icon, its
 * last error and answer, a clock skew above 30 s, its queue and drops. Shared by the explorer and
 * the dashboards: a source in trouble is said so, never hidden behind a stale chart.
 */
import { missingCase } from '../../../shared/domain/missing-case';
import type { Status } from '../../../shared/domain/status';
import type { MetricSource } from '../lib/api/metric-queries';
import { useNow } from '../lib/clock/clock-context';
import { useI18n, type I18n } from '../lib/i18n/i18n-context';
import { StatusIcon } from './status-icon';

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
