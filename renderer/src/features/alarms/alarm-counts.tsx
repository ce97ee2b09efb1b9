/** Open and outstanding alarms per severity, worst first, as the engine counts them. */
import type { AlarmList } from '../../../../shared/api';
import { ALARM_SEVERITIES } from '../../../../shared/domain/alarm';
import { useI18n } from '../../lib/i18n/i18n-context';
import { SeverityIcon } from './severity-icon';

export function AlarmCounts({ counts, label }: { counts: AlarmList['counts']; label?: string }) {
  const { t, fmt } = useI18n();
  return (
    <ul className="alarm-counts" aria-label={label ?? t('alarms.counts.label')} data-testid="alarm-counts">
      {ALARM_SEVERITIES.map((severity) => {
        const open = counts.open[severity];
        const outstanding = counts.outstanding[severity];
        return (
          <li
            key={severity}
            className={`alarm-count alarm-count--${severity}${outstanding > 0 ? ' alarm-count--outstanding' : ''}${open === 0 ? ' alarm-count--zero' : ''}`}
            data-testid={`alarm-count-${severity}`}
            data-open={open}
            data-outstanding={outstanding}
          >
            <span className="alarm-count__name">
              <SeverityIcon severity={severity} /> {t(`alarm.severity.${severity}`)}
            </span>
            <span className="alarm-count__numbers">
              <span className="alarm-count__value">{fmt.number(outstanding)}</span>{' '}
              <span className="alarm-count__label">{t('alarms.counts.outstanding')}</span>
              {' · '}
              <span className="alarm-count__value">{fmt.number(open)}</span>{' '}
              <span className="alarm-count__label">{t('alarms.counts.open')}</span>
            </span>
          </li>
        );
      })}
    </ul>
  );
}
