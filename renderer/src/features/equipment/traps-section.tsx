/**
 * The device's recent SNMP traps, newest first: when (in the operator's zone), what (kind and
 * severity, translated), about what (instance, interface name, UPS alarm), and whether a later
 * trap cleared it. Kept live by `traps.received` (live-sync.ts). A receiver that does not listen
 * is said so: an empty list would otherwise pass for a quiet device.
 */
import type { TrapEvent, TrapSeverity } from '../../../../shared/domain/trap-event';
import { missingCase } from '../../../../shared/domain/missing-case';
import type { Status } from '../../../../shared/domain/status';
import { isMessageKey } from '../../../../shared/i18n';
import { ApiErrorNotice } from '../../components/api-error-notice';
import { StatusIcon } from '../../components/status-icon';
import { useDeviceTraps } from '../../lib/api/diagnostics-queries';
import { useI18n, type Translate } from '../../lib/i18n/i18n-context';
import { DeviceSection } from './device-sections';

/** The attributes worth a line: what the event is about, in the operator's words. */
const SHOWN_ATTRIBUTES = ['ifName', 'upsAlarm'] as const;

function severityStatus(severity: TrapSeverity): Status {
  switch (severity) {
    case 'critical':
    case 'major':
      return 'down';
    case 'minor':
    case 'warning':
      return 'degraded';
    case 'indeterminate':
      return 'unknown';
    case 'info':
    case 'cleared':
      return 'up';
    default:
      throw missingCase(severity);
  }
}

function attributeText(t: Translate, name: string, value: string | number): string {
  if (name === 'upsAlarm' && typeof value === 'string') {
    const key = `equipment.enum.alarm.${value}`;
    if (isMessageKey(key)) return t(key);
  }
  return String(value);
}

/** Keys of events ended by a newer event of the list (`events` newest first). */
export function clearedEventIds(events: readonly TrapEvent[]): Set<string> {
  const cleared = new Set<string>();
  const clearing = new Set<string>();
  for (const event of events) {
    // Walking from newest to oldest: `clearing` holds the keys cleared by newer events.
    if (clearing.has(event.key) && event.severity !== 'cleared') cleared.add(event.id);
    for (const key of event.clears) clearing.add(key);
  }
  return cleared;
}

function TrapItem({ event, cleared }: { event: TrapEvent; cleared: boolean }) {
  const { t, fmt } = useI18n();
  const attributes = SHOWN_ATTRIBUTES.flatMap((name) => {
    const value = event.attributes[name];
    return value === undefined ? [] : [{ name, value }];
  });
  return (
    <li
      className={`eq-event eq-trap eq-trap--${event.severity}${cleared ? ' eq-trap--cleared' : ''}`}
      data-testid="device-trap"
      data-kind={event.kind}
      data-severity={event.severity}
      data-cleared={cleared ? 'true' : 'false'}
    >
      <StatusIcon status={cleared ? 'up' : severityStatus(event.severity)} />
      <span className="eq-event__kind">{t(`equipment.traps.kind.${event.kind}`)}</span>
      <span className="eq-trap__severity" data-testid="trap-severity">
        {t(`equipment.traps.severity.${event.severity}`)}
      </span>
      {cleared && (
        <span
          className="eq-trap__cleared"
          data-testid="trap-cleared"
          title={t('equipment.traps.clearedTitle')}
        >
          {t('equipment.traps.cleared')}
        </span>
      )}
      <time className="eq-event__time" dateTime={new Date(event.at).toISOString()}>
        {fmt.dateTime(event.at)}
      </time>
      {(event.instance !== '' || attributes.length > 0) && (
        <span className="eq-trap__about" data-testid="trap-about">
          {[
            ...attributes.map(({ name, value }) =>
              t('equipment.traps.attribute', { name, value: attributeText(t, name, value) }),
            ),
            ...(event.instance !== '' && !attributes.some((a) => String(a.value) === event.instance)
              ? [t('equipment.traps.instance', { instance: event.instance })]
              : []),
          ].join(' · ')}
        </span>
      )}
      <code className="eq-engine-text" lang="en">
        {event.name || event.trapOid}
      </code>
    </li>
  );
}

export function TrapsSection({ deviceId }: { deviceId: string }) {
  const { t } = useI18n();
  const traps = useDeviceTraps(deviceId);
  const data = traps.data;
  const events = data ? [...data.events].sort((a, b) => b.at - a.at) : [];
  const cleared = clearedEventIds(events);
  return (
    <DeviceSection
      title={t('equipment.traps.title')}
      testId="device-traps"
      aside={
        data?.listening ? (
          <span className="eq-section__aside" data-testid="traps-listening">
            {t('equipment.traps.listening', data.listening)}
          </span>
        ) : undefined
      }
    >
      {data?.notListening != null && (
        <p className="eq-section__alert" role="status" data-testid="traps-not-listening">
          <StatusIcon status="down" /> {t('equipment.traps.notListening', { reason: data.notListening })}
        </p>
      )}
      {traps.isError && (
        <ApiErrorNotice error={traps.error} title={t('equipment.traps.failed')} testId="traps-error" />
      )}
      {!data && !traps.isError && <p className="eq-muted">{t('equipment.traps.loading')}</p>}
      {data &&
        (events.length === 0 ? (
          <p className="eq-muted" data-testid="traps-none">
            {t('equipment.traps.none')}
          </p>
        ) : (
          <ol className="eq-events eq-traps" aria-live="polite">
            {events.map((event) => (
              <TrapItem key={event.id} event={event} cleared={cleared.has(event.id)} />
            ))}
          </ol>
        ))}
    </DeviceSection>
  );
}
