/**
 * A dashboard's panels on the 12-column grid, each in its own error boundary: one bad panel never
 * blanks the others. `WallDashboard` is the read-only board the supervision-room wall shows.
 */
import { useCallback } from 'react';
import type { Dashboard, DashboardTime, PanelSeries } from '../../../../shared/domain/dashboard';
import { ApiErrorNotice } from '../../components/api-error-notice';
import { PanelBoundary } from '../../components/error-boundary';
import { useDashboard } from '../../lib/api/dashboard-queries';
import { useMetricSources } from '../../lib/api/metric-queries';
import { useI18n } from '../../lib/i18n/i18n-context';
import { DashboardPanel } from './dashboard-panel';
import { PeriodMode } from './dashboard-time';
import { useDashboardRange } from './live-range';
import './dashboards.css';

export interface DashboardGridProps {
  readonly dashboard: Dashboard;
  /** The time shown: the dashboard's own, or the one the operator chose for now. */
  readonly time: DashboardTime;
  /** Edit mode: each panel gets a remove button. */
  readonly onRemovePanel?: ((panelId: string) => void) | undefined;
  readonly onData?: (() => void) | undefined;
  readonly variant?: 'console' | 'wall';
  /** Opens a panel's series in the explorer over the time shown; absent: no such button. */
  readonly onOpenInExplorer?: ((series: readonly PanelSeries[], time: DashboardTime) => void) | undefined;
}

export function DashboardGrid({
  dashboard,
  time,
  onRemovePanel,
  onData,
  variant = 'console',
  onOpenInExplorer,
}: DashboardGridProps) {
  const { t } = useI18n();
  const refreshMs = dashboard.refreshSeconds * 1_000;
  const live = useDashboardRange(time, refreshMs);
  const sources = useMetricSources();
  if (dashboard.panels.length === 0) return <p className="panel-message">{t('dashboards.noPanels')}</p>;
  return (
    <div className={`dashboard-grid dashboard-grid--${variant}`} data-testid="dashboard-grid">
      {dashboard.panels.map((panel) => (
        <PanelBoundary key={panel.id}>
          <DashboardPanel
            panel={panel}
            range={live}
            refreshMs={refreshMs}
            sources={sources.data?.sources ?? (sources.isError ? [] : undefined)}
            onRemove={onRemovePanel ? () => onRemovePanel(panel.id) : undefined}
            onData={onData}
            onOpenInExplorer={onOpenInExplorer ? () => onOpenInExplorer(panel.series, time) : undefined}
          />
        </PanelBoundary>
      ))}
    </div>
  );
}

export interface WallDashboardProps {
  readonly id: string;
  /**
   * Called with the dashboard's refresh period each time a panel got fresh data; with null for a
   * fixed period, which is not expected to change (the wall must not call it frozen).
   */
  readonly onData: (refreshMs: number | null) => void;
}

export function WallDashboard({ id, onData }: WallDashboardProps) {
  const { t } = useI18n();
  const entry = useDashboard(id);
  const dashboard = entry.data?.dashboard;
  const refreshMs = dashboard?.time.kind === 'absolute' ? null : (dashboard?.refreshSeconds ?? 30) * 1_000;
  const report = useCallback(() => onData(refreshMs), [onData, refreshMs]);
  if (entry.isError)
    return (
      <ApiErrorNotice error={entry.error} title={t('dashboards.loadFailed')} testId="wall-dashboard-error" />
    );
  if (!dashboard) return <p className="panel-message">{t('explorer.loading')}</p>;
  return (
    <>
      {dashboard.time.kind === 'absolute' && (
        <PeriodMode time={dashboard.time} refreshSeconds={dashboard.refreshSeconds} />
      )}
      <DashboardGrid dashboard={dashboard} time={dashboard.time} onData={report} variant="wall" />
    </>
  );
}
