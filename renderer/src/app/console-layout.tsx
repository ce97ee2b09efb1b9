import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import type { ReadingKey } from '../../../shared/api';
import { PanelBoundary } from '../components/error-boundary';
import { useAlarmDocumentTitle } from '../features/alarms/alarm-badge';
import { AlarmNotifications } from '../features/alarms/alarm-notifications';
import { AlarmSoundProvider } from '../features/alarms/alarm-sound-context';
import { AlarmsView, type AlarmRequest } from '../features/alarms/alarms-view';
import { DrillsPanel } from '../features/drills/drills-panel';
import { explorerPresetForTile, useExplorerState } from '../features/explorer/explorer-state';
import { OverviewPanel } from '../features/overview/overview-panel';
import { TrainingBanner } from '../features/overview/overview-summary';
import { LOCK_KEY, SIGN_IN_KEY, SignInDialog } from '../features/session/session-controls';
import { useI18n } from '../lib/i18n/i18n-context';
import { isPlainShortcut } from '../lib/keyboard';
import { useSession, useSessionContext } from '../lib/session/session-context';
import { useLock } from '../lib/session/session-mutations';
import type { DashboardRequest } from '../features/dashboards/dashboards-view';
import { ConsoleHeader } from './console-header';
import { useConsoleView, useViewAllowed, useViewShortcuts, type ConsoleView } from './console-view';
import { HelpOverlay } from './help-overlay';

// Chart.js comes with the explorer only: a wall display that shows the overview never loads it.
const ExplorerPanel = lazy(async () => ({
  default: (await import('../features/explorer/explorer-panel')).ExplorerPanel,
}));

// The dashboards and the wall draw charts too: loaded on demand as well.
const DashboardsRoute = lazy(async () => ({
  default: (await import('./dashboards-route')).DashboardsRoute,
}));
const WallLayout = lazy(async () => ({ default: (await import('./wall-layout')).WallLayout }));
const AuditView = lazy(async () => ({ default: (await import('../features/audit/audit-view')).AuditView }));
const AccountsView = lazy(async () => ({
  default: (await import('../features/admin/accounts-view')).AccountsView,
}));
const SecretsView = lazy(async () => ({
  default: (await import('../features/admin/secrets-view')).SecretsView,
}));
// The device page charts interface traffic: the equipment view comes with Chart.js, on demand.
const EquipmentView = lazy(async () => ({
  default: (await import('../features/equipment/equipment-view')).EquipmentView,
}));

function ViewLoading() {
  const { t } = useI18n();
  return <p className="panel-message">{t('explorer.loading')}</p>;
}

/** The page title follows the outstanding alarms (see features/alarms/alarm-badge.tsx). */
function DocumentTitle() {
  useAlarmDocumentTitle();
  return null;
}

export function ConsoleLayout() {
  const [chosen, setView] = useConsoleView();
  const allowed = useViewAllowed();
  // A view the person may not see (stored before they signed in, or by someone else) falls back
  // to the overview without forgetting the choice.
  const view = allowed(chosen) ? chosen : 'overview';
  const wall = view === 'wall';
  return (
    // The alarm sound plays on every view of this seat (held back on the wall unless enabled).
    <AlarmSoundProvider wall={wall}>
      <PanelBoundary>
        <DocumentTitle />
      </PanelBoundary>
      <ConsoleViews view={view} setView={setView} />
    </AlarmSoundProvider>
  );
}

function ConsoleViews({ view, setView }: { view: ConsoleView; setView: (view: ConsoleView) => void }) {
  const [helpOpen, setHelpOpen] = useState(false);
  // Held here, not in the explorer, so its series and range survive a trip to the overview.
  const [explorer, explorerDispatch] = useExplorerState();
  // A tile's "Open its dashboard": which dashboard the dashboards view is asked to show.
  const [dashboardRequest, setDashboardRequest] = useState<DashboardRequest | null>(null);
  // A notification's "Show": which alarm the alarms view is asked to show.
  const [alarmRequest, setAlarmRequest] = useState<AlarmRequest | null>(null);

  const allowed = useViewAllowed();
  useViewShortcuts(setView, allowed);

  const session = useSession();
  const { expired } = useSessionContext();
  const lock = useLock();
  const [signInOpen, setSignInOpen] = useState(false);
  const anonymous = session?.state === 'anonymous';
  const canSignIn = anonymous && (session.methods.password || session.methods.oidc);
  const canLock =
    session?.state === 'signed-in' && session.person !== null && session.person.source !== 'machine';
  // A session that ended by itself: say so with the form open (the console stays viewable).
  const [shownExpiry, setShownExpiry] = useState(false);
  if (expired && anonymous && !shownExpiry) {
    setShownExpiry(true);
    setSignInOpen(true);
  } else if (!expired && shownExpiry) setShownExpiry(false);
  if (signInOpen && session !== null && !anonymous) setSignInOpen(false);

  const lockNow = lock.mutate;
  useEffect(() => {
    function onKey(event: KeyboardEvent): void {
      if (!isPlainShortcut(event)) return;
      if (event.key === '?') {
        event.preventDefault();
        setHelpOpen(true);
      } else if (event.key === SIGN_IN_KEY && canSignIn) {
        event.preventDefault();
        setSignInOpen(true);
      } else if (event.key === LOCK_KEY && canLock) {
        event.preventDefault();
        lockNow();
      }
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [canSignIn, canLock, lockNow]);

  const openInExplorer = useCallback(
    (target: { tileId: string; reading: ReadingKey | null }) => {
      explorerDispatch({ type: 'preset', preset: explorerPresetForTile(target.tileId, target.reading) });
      setView('explorer');
    },
    [explorerDispatch, setView],
  );

  const openDashboard = useCallback(
    (id: string) => {
      setDashboardRequest((previous) => ({ id, serial: (previous?.serial ?? 0) + 1 }));
      setView('dashboards');
    },
    [setView],
  );
  const showExplorer = useCallback(() => setView('explorer'), [setView]);

  const leaveWall = useCallback(() => setView('overview'), [setView]);
  const openAlarms = useCallback(() => setView('alarms'), [setView]);
  const showAlarm = useCallback(
    (id: string) => {
      setAlarmRequest((previous) => ({ id, serial: (previous?.serial ?? 0) + 1 }));
      setView('alarms');
    },
    [setView],
  );
  const helpOverlay = (
    <>
      {helpOpen && <HelpOverlay onClose={() => setHelpOpen(false)} />}
      {signInOpen && <SignInDialog onClose={() => setSignInOpen(false)} />}
    </>
  );
  const notifications = (
    <PanelBoundary>
      <AlarmNotifications onShow={showAlarm} />
    </PanelBoundary>
  );

  if (view === 'wall')
    return (
      <div className="console console--wall">
        <PanelBoundary>
          <TrainingBanner />
        </PanelBoundary>
        <main className="console__wall">
          <PanelBoundary>
            <Suspense fallback={<ViewLoading />}>
              <WallLayout onLeave={leaveWall} onOpenAlarms={openAlarms} />
            </Suspense>
          </PanelBoundary>
        </main>
        {notifications}
        {helpOverlay}
      </div>
    );

  return (
    <div className="console">
      <PanelBoundary>
        <TrainingBanner />
      </PanelBoundary>
      <PanelBoundary>
        <ConsoleHeader
          onHelp={() => setHelpOpen(true)}
          view={view}
          onView={setView}
          onSignIn={() => setSignInOpen(true)}
        />
      </PanelBoundary>
      {view === 'audit' ? (
        <main className="console__main">
          <div className="console__primary">
            <PanelBoundary>
              <Suspense fallback={<ViewLoading />}>
                <AuditView />
              </Suspense>
            </PanelBoundary>
          </div>
        </main>
      ) : view === 'accounts' || view === 'secrets' ? (
        <main className="console__main">
          <div className="console__primary">
            <PanelBoundary>
              <Suspense fallback={<ViewLoading />}>
                {view === 'accounts' ? <AccountsView /> : <SecretsView />}
              </Suspense>
            </PanelBoundary>
          </div>
        </main>
      ) : view === 'alarms' ? (
        <main className="console__main">
          <div className="console__primary">
            <PanelBoundary>
              <AlarmsView request={alarmRequest} />
            </PanelBoundary>
          </div>
        </main>
      ) : view === 'overview' ? (
        <main className="console__main">
          <div className="console__primary">
            <PanelBoundary>
              <OverviewPanel onOpenInExplorer={openInExplorer} onOpenDashboard={openDashboard} />
            </PanelBoundary>
          </div>
          <aside className="console__side">
            <PanelBoundary>
              <DrillsPanel />
            </PanelBoundary>
          </aside>
        </main>
      ) : view === 'equipment' ? (
        <main className="console__main">
          <div className="console__primary">
            <PanelBoundary>
              <Suspense fallback={<ViewLoading />}>
                <EquipmentView />
              </Suspense>
            </PanelBoundary>
          </div>
        </main>
      ) : view === 'dashboards' ? (
        <main className="console__main">
          <div className="console__primary">
            <PanelBoundary>
              <Suspense fallback={<ViewLoading />}>
                <DashboardsRoute
                  explorer={explorer}
                  dispatch={explorerDispatch}
                  showExplorer={showExplorer}
                  request={dashboardRequest}
                />
              </Suspense>
            </PanelBoundary>
          </div>
        </main>
      ) : (
        <main className="console__main">
          <div className="console__primary">
            <PanelBoundary>
              <Suspense fallback={<ViewLoading />}>
                <ExplorerPanel state={explorer} dispatch={explorerDispatch} />
              </Suspense>
            </PanelBoundary>
          </div>
        </main>
      )}
      {notifications}
      {helpOverlay}
    </div>
  );
}
