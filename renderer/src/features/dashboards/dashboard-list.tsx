/** The dashboards, the open one marked: Vigie's own (per zone, per service) and those people saved. */
import type { DashboardSummary } from '../../../../shared/api';
import { useNow } from '../../lib/clock/clock-context';
import { useI18n } from '../../lib/i18n/i18n-context';

export interface DashboardListProps {
  readonly dashboards: readonly DashboardSummary[];
  readonly selectedId: string | null;
  readonly onOpen: (id: string) => void;
}

function Origin({ summary }: { summary: DashboardSummary }) {
  const { t, fmt } = useI18n();
  const now = useNow();
  if (summary.origin === 'auto')
    return (
      <span className="dashboard-origin dashboard-origin--auto" data-testid="dashboard-origin">
        {t('dashboards.origin.auto')}
      </span>
    );
  const when = summary.updatedAt === null ? null : fmt.time(summary.updatedAt, now);
  const who = summary.updatedBy;
  return (
    <span className="dashboard-origin" data-testid="dashboard-origin">
      {who !== null && when !== null
        ? t('dashboards.origin.userBy', { who, when })
        : when !== null
          ? t('dashboards.origin.userAt', { when })
          : t('dashboards.origin.user')}
    </span>
  );
}

export function DashboardList({ dashboards, selectedId, onOpen }: DashboardListProps) {
  const { t } = useI18n();
  if (dashboards.length === 0) return <p className="explorer-muted">{t('dashboards.none')}</p>;
  const sorted = [...dashboards].sort((a, b) =>
    a.origin === b.origin ? a.title.localeCompare(b.title) : a.origin === 'auto' ? -1 : 1,
  );
  return (
    <ul className="dashboard-list" data-testid="dashboard-list">
      {sorted.map((summary) => (
        <li
          key={summary.id}
          className="dashboard-list__item"
          data-testid={`dashboard-item-${summary.id}`}
          data-origin={summary.origin}
        >
          <button
            type="button"
            className="dashboard-list__open"
            aria-current={summary.id === selectedId ? 'true' : undefined}
            onClick={() => onOpen(summary.id)}
          >
            <span className="dashboard-list__title">{summary.title}</span>
            <Origin summary={summary} />
          </button>
        </li>
      ))}
    </ul>
  );
}
