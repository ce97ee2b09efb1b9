/**
 * A reading's value in a table cell or a fact: the formatted value, a status icon and word when
 * the reading is not up (a threshold reached, a link down), and for a missing value the
 * translated reason, the engine's English detail as a tooltip. Never a blank, never a zero.
 */
import type { ProfileReadingView } from '../../../../shared/api';
import { StatusIcon } from '../../components/status-icon';
import { useI18n } from '../../lib/i18n/i18n-context';
import { formatValue, reasonText } from './format-value';

export function ReadingValue({
  reading,
  testId,
}: {
  reading: ProfileReadingView | null | undefined;
  testId?: string | undefined;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  if (!reading)
    return (
      <span className="eq-value eq-value--absent" data-testid={testId} data-missing="absent">
        {t('equipment.value.notReported')}
      </span>
    );
  if (reading.value === null)
    return (
      <span
        className="eq-value eq-value--missing"
        data-testid={testId}
        data-missing={reading.reason?.code ?? 'unknown'}
        title={reading.reason?.detail}
      >
        <span aria-hidden="true">— </span>
        {reasonText(i18n, reading.reason)}
      </span>
    );
  const flagged = reading.status !== 'up';
  // Text (sysDescr, a location) wraps; numbers and their units stay on one line.
  const prose = typeof reading.value === 'string' && reading.label === null;
  return (
    <span
      className={`eq-value${prose ? ' eq-value--text' : ''}${flagged ? ` eq-value--${reading.status}` : ''}`}
      data-testid={testId}
      data-status={reading.status}
    >
      {flagged && (
        <>
          <StatusIcon status={reading.status} className="eq-value__icon" />
          <span className="visually-hidden">{t(`status.${reading.status}`)}: </span>
        </>
      )}
      <span className="eq-value__text">{formatValue(i18n, reading)}</span>
      {reading.threshold !== null && (
        <span className="eq-value__threshold">{t(`equipment.threshold.${reading.threshold}`)}</span>
      )}
    </span>
  );
}
