/**
 * The wall, composed: the wall feature rotates; the overview and the dashboards it shows come from
 * their own features (features do not import each other). Loaded on demand, with Chart.js.
 */
import { useCallback, useEffect } from 'react';
import { PanelBoundary } from '../components/error-boundary';
import { AlarmBadge } from '../features/alarms/alarm-badge';
import { WallDashboard } from '../features/dashboards/dashboard-board';
import { OverviewPanel } from '../features/overview/overview-panel';
import { OverviewSummary } from '../features/overview/overview-summary';
import { DEFAULT_REFRESH_MS, WallView } from '../features/wall/wall-view';
import { OVERVIEW_ITEM } from '../features/wall/wall-config';
import { useOverview } from '../lib/api/queries';

const noExplorer = () => undefined;

/** The live overview; every new overview (event or fetch) counts as fresh data. */
function WallOverview({ onData }: { onData: (refreshMs: number | null) => void }) {
  const { dataUpdatedAt, isSuccess } = useOverview();
  useEffect(() => {
    if (isSuccess) onData(DEFAULT_REFRESH_MS);
  }, [dataUpdatedAt, isSuccess, onData]);
  return <OverviewPanel onOpenInExplorer={noExplorer} />;
}

export function WallLayout({ onLeave, onOpenAlarms }: { onLeave: () => void; onOpenAlarms: () => void }) {
  const renderItem = useCallback(
    (item: string, onData: (refreshMs: number | null) => void) =>
      item === OVERVIEW_ITEM ? <WallOverview onData={onData} /> : <WallDashboard id={item} onData={onData} />,
    [],
  );
  return (
    <PanelBoundary>
      <WallView
        search={typeof location === 'undefined' ? '' : location.search}
        renderItem={renderItem}
        summary={
          <>
            <PanelBoundary>
              <AlarmBadge onOpen={onOpenAlarms} />
            </PanelBoundary>
            <PanelBoundary>
              <OverviewSummary />
            </PanelBoundary>
          </>
        }
        onLeave={onLeave}
      />
    </PanelBoundary>
  );
}
