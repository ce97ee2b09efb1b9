/** The state of the link to the engine, always visible: an operator must know when values are not live. */
import type { ReactNode } from 'react';
import type { Status } from '../../../shared/domain/status';
import { missingCase } from '../../../shared/domain/missing-case';
import type { ConnectionState } from '../lib/bridge/transport';
import { useNow } from '../lib/clock/clock-context';
import { useI18n } from '../lib/i18n/i18n-context';
import { StatusIcon } from './status-icon';

function RetryCountdown({ retryAt }: { retryAt: number }) {
  const { t, fmt } = useI18n();
  const now = useNow();
  return (
    <span className="connection__detail">
      {t('connection.retryIn', { when: fmt.inFuture(retryAt - now) })}
    </span>
  );
}

export function ConnectionStatus({ state, onRetry }: { state: ConnectionState; onRetry: () => void }) {
  const { t } = useI18n();
  let shape: Status;
  let label: string;
  let detail: ReactNode = null;
  switch (state.kind) {
    case 'connecting':
      shape = 'unknown';
      label = t('connection.connecting');
      break;
    case 'open':
      shape = 'up';
      label = t('connection.live');
      break;
    case 'closed':
      shape = 'down';
      switch (state.reason) {
        case 'unauthenticated':
          label = t('connection.unauthenticated');
          detail = <span className="connection__detail">{t('connection.unauthenticatedHint')}</span>;
          break;
        case 'forbiddenOrigin':
          label = t('connection.forbiddenOrigin');
          break;
        case 'lost':
          label = t('connection.lost');
          detail = (
            <>
              {state.retryAt !== null && <RetryCountdown retryAt={state.retryAt} />}
              <button type="button" className="button button--small" onClick={onRetry}>
                {t('connection.retryNow')}
              </button>
            </>
          );
          break;
        case 'disposed':
          label = t('connection.closed');
          break;
        default:
          throw missingCase(state.reason);
      }
      break;
    default:
      throw missingCase(state);
  }
  return (
    <div
      className={`connection connection--${state.kind}`}
      data-testid="connection-state"
      data-state={state.kind}
    >
      <StatusIcon status={shape} className={`status-icon--tone-${shape}`} />
      <span role="status" className="connection__label">
        {label}
      </span>
      {detail}
    </div>
  );
}
