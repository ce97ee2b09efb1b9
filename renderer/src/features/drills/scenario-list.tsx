/** The drills as a list: translated description, which one runs, and a run button per scenario. */
import { useId } from 'react';
import type { ErrorCode } from '../../../../shared/api';
import { isMessageKey } from '../../../../shared/i18n';
import { useNow } from '../../lib/clock/clock-context';
import { useI18n, type Translate } from '../../lib/i18n/i18n-context';
import type { ScenarioState } from '../../lib/api/queries';

export interface ScenarioListProps {
  readonly state: ScenarioState;
  /** Null when this seat may run drills; otherwise why not, in words. */
  readonly deniedReason: string | null;
  /** The scenario being started, if any. */
  readonly startingId: string | null;
  readonly failure: { readonly code: ErrorCode; readonly correlationId: string | null } | null;
  readonly onRun: (id: string) => void;
}

function describe(t: Translate, scenario: { id: string; descriptionKey: string }): string {
  return isMessageKey(scenario.descriptionKey) ? t(scenario.descriptionKey) : scenario.id;
}

function ActiveSince({ since }: { since: number }) {
  const { t, fmt } = useI18n();
  const now = useNow();
  return <>{t('drills.since', { time: fmt.time(since, now), age: fmt.age(now - since) })}</>;
}

export function ScenarioList({ state, deniedReason, startingId, failure, onRun }: ScenarioListProps) {
  const { t } = useI18n();
  const explanationId = useId();
  const canRun = deniedReason === null;
  const active = state.active;
  const activeScenario = active ? state.scenarios.find((scenario) => scenario.id === active.id) : undefined;

  return (
    <>
      <p className="drills__active" data-testid="drills-active" role="status">
        {active ? (
          <>
            <span className="drills__active-label">{t('drills.activeLabel')}</span>{' '}
            <strong>{activeScenario ? describe(t, activeScenario) : active.id}</strong>{' '}
            <ActiveSince since={active.since} />
          </>
        ) : (
          t('drills.none')
        )}
      </p>
      {!canRun && (
        <p className="drills__viewer" id={explanationId} data-testid="drills-viewer-explanation">
          {deniedReason}
        </p>
      )}
      {failure && (
        <div className="drills__failure" role="alert">
          <p>
            {t('drills.runFailed')} {t(`error.${failure.code}`)}
          </p>
          {failure.correlationId !== null && (
            <p className="drills__reference">{t('error.reference', { id: failure.correlationId })}</p>
          )}
        </div>
      )}
      <ul className="drills__list">
        {state.scenarios.map((scenario) => {
          const description = describe(t, scenario);
          const isActive = active?.id === scenario.id;
          const starting = startingId === scenario.id;
          return (
            <li key={scenario.id} className={`drill${isActive ? ' drill--active' : ''}`}>
              <span className="drill__description">{description}</span>
              {isActive && <span className="drill__badge">{t('drills.runningBadge')}</span>}
              <button
                type="button"
                className="button drill__run"
                data-testid={`scenario-${scenario.id}`}
                disabled={!canRun || startingId !== null}
                aria-describedby={canRun ? undefined : explanationId}
                aria-label={t('drills.runLabel', { description })}
                onClick={() => onRun(scenario.id)}
              >
                {starting ? t('drills.starting') : t('drills.run')}
              </button>
            </li>
          );
        })}
      </ul>
    </>
  );
}
