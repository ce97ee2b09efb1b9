/**
 * The alarms at a glance, outside the alarms view: a header badge (the worst outstanding severity,
 * its count and the outstanding total; a click opens the alarms view) and the page title, e.g.
 * "(3) CRITICAL · Vigie", which a browser tab or a taskbar shows even when the console is hidden.
 */
import { useEffect } from 'react';
import type { AlarmList } from '../../../../shared/api';
import { ALARM_SEVERITIES, type AlarmSeverity } from '../../../../shared/domain/alarm';
import type { Locale } from '../../../../shared/i18n';
import { StatusIcon } from '../../components/status-icon';
import { useAlarmList } from '../../lib/api/alarm-queries';
import { useI18n, type Translate } from '../../lib/i18n/i18n-context';
import { useAlarmSound } from './alarm-sound-context';
import { SeverityIcon } from './severity-icon';
import { SpeakerIcon } from './sound-controls';

export interface WorstOutstanding {
  readonly severity: AlarmSeverity;
  /** Outstanding alarms of that severity. */
  readonly count: number;
  /** Outstanding alarms of every severity. */
  readonly total: number;
}

/** The worst severity that has an outstanding alarm, or null when none is outstanding. */
export function worstOutstanding(counts: AlarmList['counts']): WorstOutstanding | null {
  const severity = ALARM_SEVERITIES.find((s) => counts.outstanding[s] > 0);
  if (severity === undefined) return null;
  const total = ALARM_SEVERITIES.reduce((sum, s) => sum + counts.outstanding[s], 0);
  return { severity, count: counts.outstanding[severity], total };
}

/** "(3) CRITICAL · Vigie" while alarms are outstanding, the console's own title otherwise. */
export function alarmDocumentTitle(t: Translate, locale: Locale, counts: AlarmList['counts'] | null): string {
  const worst = counts === null ? null : worstOutstanding(counts);
  if (worst === null) return t('app.documentTitle');
  return t('alarms.documentTitle', {
    count: worst.total,
    severity: t(`alarm.severity.${worst.severity}`).toLocaleUpperCase(locale),
  });
}

/** Keeps the page title on the outstanding alarms (the console owns the title: nothing else sets it). */
export function useAlarmDocumentTitle(): void {
  const { t, locale } = useI18n();
  const counts = useAlarmList().data?.counts ?? null;
  const title = alarmDocumentTitle(t, locale, counts);
  useEffect(() => {
    document.title = title;
  }, [title]);
}

function SoundHint() {
  const { t, fmt } = useI18n();
  const sound = useAlarmSound();
  if (!sound || sound.decision.kind === 'quiet') return null;
  let text: string | null = null;
  if (sound.decision.kind === 'held' && sound.decision.reason === 'muted') text = t('alarms.sound.muted');
  else if (sound.decision.kind === 'held' && sound.decision.reason === 'silenced') {
    const until = sound.preferences.silencedUntil ?? 0;
    text = t('alarms.sound.silenced', { time: fmt.time(until, until) });
  } else if (sound.decision.kind === 'play' && !sound.allowed) text = t('alarms.sound.enable');
  if (text === null) return null;
  return (
    <span className="alarm-badge__sound" title={text} data-testid="alarm-badge-sound">
      <SpeakerIcon on={false} />
      <span className="visually-hidden">{text}</span>
    </span>
  );
}

export function AlarmBadge({ onOpen }: { onOpen: () => void }) {
  const { t, fmt } = useI18n();
  const list = useAlarmList();
  const worst = list.data ? worstOutstanding(list.data.counts) : null;
  let content;
  let state: string;
  if (!list.data) {
    state = 'unknown';
    content = (
      <>
        <StatusIcon status="unknown" /> {t('alarms.badge.unknown')}
      </>
    );
  } else if (worst === null) {
    state = 'none';
    content = (
      <>
        <StatusIcon status="up" /> {t('alarms.badge.none')}
      </>
    );
  } else {
    state = worst.severity;
    content = (
      <>
        <SeverityIcon severity={worst.severity} />{' '}
        <strong className="alarm-badge__worst">
          {t('alarms.badge.worst', {
            count: fmt.number(worst.count),
            severity: t(`alarm.severity.${worst.severity}`),
          })}
        </strong>
        {worst.total > worst.count && (
          <span className="alarm-badge__total">
            {' '}
            · {t('alarms.badge.total', { count: fmt.number(worst.total) })}
          </span>
        )}
      </>
    );
  }
  return (
    <button
      type="button"
      className={`alarm-badge alarm-badge--${state}`}
      onClick={onOpen}
      title={t('alarms.badge.open')}
      aria-keyshortcuts="g a"
      data-testid="alarm-badge"
      data-state={state}
      data-outstanding={worst?.total ?? 0}
    >
      {content}
      <SoundHint />
    </button>
  );
}
