/** Header pieces owned by the overview: the counts by status and the TRAINING banner. */
import { STATUSES, type Status } from '../../../../shared/domain/status';
import { StatusBadge } from '../../components/status-badge';
import { StatusIcon } from '../../components/status-icon';
import { useAppInfo, useOverview } from '../../lib/api/queries';
import { useI18n } from '../../lib/i18n/i18n-context';
import { useEffectiveOverview } from './effective-overview';

export interface SummaryBarProps {
  readonly status: Status;
  readonly counts: Readonly<Record<Status, number>>;
}

/** Counts in severity order (down, degraded, no data, maintenance, up), each with icon and text. */
export function SummaryBar({ status, counts }: SummaryBarProps) {
  const { t, fmt } = useI18n();
  return (
    <div className="summary" data-testid="status-summary">
      <span className="summary__overall" data-testid="overall-status" data-status={status}>
        <span className="visually-hidden">{t('summary.overall')} </span>
        <StatusBadge status={status} />
      </span>
      <ul className="summary__counts" aria-label={t('summary.label')}>
        {STATUSES.map((item) => (
          <li
            key={item}
            className={`summary__count summary__count--${item}${counts[item] === 0 ? ' summary__count--zero' : ''}`}
            data-testid={`count-${item}`}
            data-count={counts[item]}
          >
            <StatusIcon status={item} />
            <span className="summary__count-value">{fmt.number(counts[item])}</span>
            <span className="summary__count-label">{t(`status.${item}`)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function OverviewSummary() {
  const { data } = useOverview();
  const effective = useEffectiveOverview(data);
  if (!effective) return null;
  return <SummaryBar status={effective.status} counts={effective.counts} />;
}

/** Impossible to miss: this console is showing the simulated training estate, not production. */
export function TrainingBanner() {
  const { t } = useI18n();
  const overview = useOverview();
  const info = useAppInfo();
  const training = overview.data?.training ?? info.data?.training ?? false;
  if (!training) return null;
  return (
    <div className="training-banner" data-testid="training-banner" role="note">
      <strong className="training-banner__title">{t('training.title')}</strong>
      <span className="training-banner__detail">{t('training.detail')}</span>
    </div>
  );
}
