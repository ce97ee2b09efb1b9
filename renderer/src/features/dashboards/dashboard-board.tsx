/**
 * A dashboard's panels on the 12-column grid, each in its own error boundary: one bad panel never
 * blanks the others. `WallDashboard` is the read-only board the supervision-room wall shows.
 */
import { useCallback } from 'react';
import { presetMs, type Dashboard, type RangePreset } from '../../../../shared/domain/dashboard';
import { ApiErrorNotice } from '../../components/api-error-notice';
import { PanelBoundary } from '../../components/error-boundary';
import { useDashboard } from '../../lib/api/dashboard-queries';
import { useMetricSources } from '../../lib/api/metric-queries';
import { useI18n } from '../../lib/i18n/i18n-context';
import { DashboardPanel } from './dashboard-panel';
import { useLiveRange } from './live-range';
import './dashboards.css';

export interface DashboardGridProps {
  readonly dashboard: Dashboard;
  readonly range: RangePreset;
  /** Edit mode: each panel gets a remove button. */
  readonly onRemovePanel?: ((panelId: string) => void) | undefined;
  readonly onData?: (() => void) | undefined;
  readonly variant?: 'console' | 'wall';
}

export function DashboardGrid({
  dashboard,
  range,
  onRemovePanel,
  onData,
  variant = 'console',
}: DashboardGridProps) {
  const { t } = useI18n();
  const refreshMs = dashboard.refreshSeconds * 1_000;
  const live = useLiveRange(presetMs(range), refreshMs);
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
          />
        </PanelBoundary>
      ))}
    </div>
  );
}

export interface WallDashboardProps {
  readonly id: string;
  /** Called with the dashboard's refresh period each time a panel got fresh data. */
  readonly onData: (refreshMs: number) => void;
}

export function WallDashboard({ id, onData }: WallDashboardProps) {
  const { t } = useI18n();
  const entry = useDashboard(id);
  const dashboard = entry.data?.dashboard;
  const refreshMs = (dashboard?.refreshSeconds ?? 30) * 1_000;
  const report = useCallback(() => onData(refreshMs), [onData, refreshMs]);
  if (entry.isError)
    return (
      <ApiErrorNotice error={entry.error} title={t('dashboards.loadFailed')} testId="wall-dashboard-error" />
    );
  if (!dashboard) return <p className="panel-message">{t('explorer.loading')}</p>;
  return <DashboardGrid dashboard={dashboard} range={dashboard.range} onData={report} variant="wall" />;
}
