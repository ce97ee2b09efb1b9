/**
 * One shape per alarm severity, so severity never rests on colour alone: an octagon (critical), a
 * triangle (major), a diamond (minor), a ring (warning), a disc with "i" (info); always with text.
 */
import type { AlarmSeverity } from '../../../../shared/domain/alarm';
import { missingCase } from '../../../../shared/domain/missing-case';
import { useI18n } from '../../lib/i18n/i18n-context';
import './alarms.css';

const OCTAGON = '5.2,0.6 10.8,0.6 15.4,5.2 15.4,10.8 10.8,15.4 5.2,15.4 0.6,10.8 0.6,5.2';

function Mark({ ink }: { ink: string }) {
  return (
    <>
      <path d="M8 4.2 V9.2" stroke={ink} strokeWidth="2" strokeLinecap="round" />
      <circle cx="8" cy="12" r="1.1" fill={ink} />
    </>
  );
}

function Shape({ severity }: { severity: AlarmSeverity }) {
  switch (severity) {
    case 'critical':
      return (
        <>
          <polygon points={OCTAGON} fill="currentColor" />
          <Mark ink="var(--icon-ink)" />
        </>
      );
    case 'major':
      return (
        <>
          <path d="M8 0.8 L15.4 14.6 H0.6 Z" fill="currentColor" strokeLinejoin="round" />
          <path d="M8 5.6 V9.8" stroke="var(--icon-ink)" strokeWidth="2" strokeLinecap="round" />
          <circle cx="8" cy="12.3" r="1.05" fill="var(--icon-ink)" />
        </>
      );
    case 'minor':
      return (
        <>
          <path d="M8 0.4 L15.6 8 L8 15.6 L0.4 8 Z" fill="currentColor" />
          <Mark ink="var(--icon-ink)" />
        </>
      );
    case 'warning':
      return (
        <>
          <circle cx="8" cy="8" r="6.6" fill="none" stroke="currentColor" strokeWidth="1.8" />
          <Mark ink="currentColor" />
        </>
      );
    case 'info':
      return (
        <>
          <circle cx="8" cy="8" r="7.4" fill="currentColor" />
          <circle cx="8" cy="4.4" r="1.1" fill="var(--icon-ink)" />
          <path d="M8 7.2 V12" stroke="var(--icon-ink)" strokeWidth="2" strokeLinecap="round" />
        </>
      );
    default:
      throw missingCase(severity);
  }
}

export function SeverityIcon({ severity }: { severity: AlarmSeverity }) {
  return (
    <svg
      className={`severity-icon severity-icon--${severity}`}
      viewBox="0 0 16 16"
      width="1em"
      height="1em"
      aria-hidden="true"
      focusable="false"
      data-icon={severity}
    >
      <Shape severity={severity} />
    </svg>
  );
}

/** A severity as icon + text, coloured. */
export function SeverityBadge({ severity }: { severity: AlarmSeverity }) {
  const { t } = useI18n();
  return (
    <span className={`severity-badge severity-badge--${severity}`} data-severity={severity}>
      <SeverityIcon severity={severity} />
      <span className="severity-badge__text">{t(`alarm.severity.${severity}`)}</span>
    </span>
  );
}
