/** The dashboards view, offered the explorer's current series for a new panel. */
import { DashboardsView } from '../features/dashboards/dashboards-view';
import type { ExplorerState } from '../features/explorer/explorer-state';
import { useMetricSources } from '../lib/api/metric-queries';
import { explorerPanelSeries } from './explorer-series';

export function DashboardsRoute({ explorer }: { explorer: ExplorerState }) {
  const sources = useMetricSources();
  return <DashboardsView explorerSeries={explorerPanelSeries(explorer, sources.data?.sources)} />;
}
