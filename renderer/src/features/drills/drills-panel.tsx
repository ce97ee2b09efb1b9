/**
 * Drills on the training estate (power failure, restore ...). Shown only when the engine says
 * drills are available, which it never does on real equipment. Running one needs estate.drill;
 * a person without it sees why the buttons are disabled.
 */
import { useId } from 'react';
import { correlationIdOf, errorCodeOf } from '../../lib/api/bridge-error';
import { useRunScenario, useScenarios } from '../../lib/api/queries';
import { useAccess } from '../../lib/session/access';
import { useI18n } from '../../lib/i18n/i18n-context';
import { ScenarioList } from './scenario-list';
import './drills.css';

export function DrillsPanel() {
  const { t } = useI18n();
  const headingId = useId();
  const scenarios = useScenarios();
  const access = useAccess('estate.drill');
  const run = useRunScenario();

  if (!scenarios.data?.available) return null;
  return (
    <section className="drills" aria-labelledby={headingId} data-testid="drills-panel">
      <h2 className="drills__title" id={headingId}>
        {t('drills.title')}
      </h2>
      <p className="drills__intro">{t('drills.intro')}</p>
      <ScenarioList
        state={scenarios.data}
        deniedReason={access.reason}
        startingId={run.isPending ? (run.variables ?? null) : null}
        failure={
          run.isError ? { code: errorCodeOf(run.error), correlationId: correlationIdOf(run.error) } : null
        }
        onRun={(id) => run.mutate(id)}
      />
    </section>
  );
}
