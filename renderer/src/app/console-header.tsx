import { ConnectionStatus } from '../components/connection-status';
import { LanguageSwitch } from '../components/language-switch';
import { LiveClock } from '../components/live-clock';
import { AlarmBadge } from '../features/alarms/alarm-badge';
import { OverviewSummary } from '../features/overview/overview-summary';
import { SessionControls } from '../features/session/session-controls';
import { useApi, useConnectionState } from '../lib/api/api-context';
import { useI18n } from '../lib/i18n/i18n-context';
import type { ConsoleView } from './console-view';
import { ViewSwitch } from './view-switch';

export interface ConsoleHeaderProps {
  readonly onHelp: () => void;
  readonly view: ConsoleView;
  readonly onView: (view: ConsoleView) => void;
  /** Opens the sign-in form (a seat viewing without a session). */
  readonly onSignIn: () => void;
}

export function ConsoleHeader({ onHelp, view, onView, onSignIn }: ConsoleHeaderProps) {
  const { t } = useI18n();
  const { transport } = useApi();
  const connection = useConnectionState();
  return (
    <header className="console-header">
      <div className="console-header__row">
        <span className="brand">
          <svg
            className="brand__mark"
            viewBox="0 0 16 16"
            width="1em"
            height="1em"
            aria-hidden="true"
            focusable="false"
          >
            <path d="M1 8 Q8 1 15 8 Q8 15 1 8 Z" fill="none" stroke="currentColor" strokeWidth="1.5" />
            <circle cx="8" cy="8" r="2.6" fill="currentColor" />
          </svg>
          <span className="brand__name">{t('app.name')}</span>
        </span>
        <ViewSwitch view={view} onView={onView} />
        <AlarmBadge onOpen={() => onView('alarms')} />
        <OverviewSummary />
        <div className="console-header__tools">
          <ConnectionStatus state={connection} onRetry={() => transport.reconnectNow()} />
          <SessionControls onSignIn={onSignIn} />
          <LanguageSwitch />
          <LiveClock />
          <button
            type="button"
            className="button button--icon"
            onClick={onHelp}
            aria-label={t('help.open')}
            aria-keyshortcuts="?"
            title={t('help.open')}
          >
            <span aria-hidden="true">?</span>
          </button>
        </div>
      </div>
    </header>
  );
}
