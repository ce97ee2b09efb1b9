/**
 * The dashboards view, composed with the explorer (features do not import each other): offered
 * the explorer's current series for a new panel, and opening a panel's series in the explorer
 * over the time the dashboard shows (a preset stays live, a fixed period stays fixed).
 */
import { presetMs, type DashboardTime, type PanelSeries } from '../../../shared/domain/dashboard';
import { DashboardsView, type DashboardRequest } from '../features/dashboards/dashboards-view';
import type { ExplorerAction, ExplorerState, TimeRange } from '../features/explorer/explorer-state';
import { useMetricSources } from '../lib/api/metric-queries';
import { explorerPanelSeries } from './explorer-series';

/** The explorer's range for a dashboard's time. */
export function explorerRangeOf(time: DashboardTime): TimeRange {
  return time.kind === 'relative'
    ? { kind: 'live', spanMs: presetMs(time.preset) }
    : { kind: 'fixed', from: time.from, to: time.to };
}

export interface DashboardsRouteProps {
  readonly explorer: ExplorerState;
  readonly dispatch: (action: ExplorerAction) => void;
  /** Switches the console to the explorer. */
  readonly showExplorer: () => void;
  readonly request: DashboardRequest | null;
}

export function DashboardsRoute({ explorer, dispatch, showExplorer, request }: DashboardsRouteProps) {
  const sources = useMetricSources();
  const openInExplorer = (series: readonly PanelSeries[], time: DashboardTime): void => {
    dispatch({ type: 'openSeries', series, range: explorerRangeOf(time) });
    showExplorer();
  };
  return (
    <DashboardsView
      explorerSeries={explorerPanelSeries(explorer, sources.data?.sources)}
      onOpenInExplorer={openInExplorer}
      request={request}
    />
  );
}
