/**
 * The alarm list as a tree grid: one row per alarm, the alarms of a zone-wide problem indented
 * under it. One tab stop (the selected row); the view moves the selection with the keyboard.
 * Severity and state are icon and text; resolved alarms are greyed and say so.
 */
import type { AlarmList, Directory, EscalationStatus } from '../../../../shared/api';
import type { Alarm } from '../../../../shared/domain/alarm';
import { StatusIcon } from '../../components/status-icon';
import { useNow } from '../../lib/clock/clock-context';
import { useI18n } from '../../lib/i18n/i18n-context';
import type { AlarmRow } from './alarm-rows';
import { assigneeText, causeText, countdown, escalationText, type TextContext } from './alarm-text';
import { SeverityBadge } from './severity-icon';

/** "3 min ago", ticking. */
export function AlarmAge({ at }: { at: number }) {
  const { fmt } = useI18n();
  const now = useNow();
  return (
    <time dateTime={new Date(at).toISOString()} title={fmt.dateTime(at)}>
      {fmt.age(now - at)}
    </time>
  );
}

/** The state, with the time a snooze has left (ticking). */
export function AlarmStateText({ alarm }: { alarm: Alarm }) {
  const { t } = useI18n();
  const now = useNow();
  const until = alarm.state === 'snoozed' ? (alarm.ack?.until ?? null) : null;
  return (
    <span
      className={`alarm-state alarm-state--${alarm.state}`}
      data-testid="alarm-state"
      data-state={alarm.state}
    >
      <span className="alarm-state__name">{t(`alarm.state.${alarm.state}`)}</span>
      {until !== null && (
        <span className="alarm-state__left">
          {' '}
          {until > now ? t('alarm.snoozedLeft', { left: countdown(until - now) }) : t('alarm.snoozeDue')}
        </span>
      )}
    </span>
  );
}

/** Where its escalation stands, the countdown ticking. */
export function EscalationText({ escalation }: { escalation: EscalationStatus | null | undefined }) {
  const { t } = useI18n();
  const now = useNow();
  return (
    <span className="alarm-escalation" data-testid="alarm-escalation">
      {escalationText(t, escalation, now)}
    </span>
  );
}

/** Flapping, maintenance, a severity set by hand, repeated raises: each a word, not a colour. */
export function AlarmMarkers({ alarm }: { alarm: Alarm }) {
  const { t, fmt } = useI18n();
  return (
    <span className="alarm-markers">
      {alarm.flapping && (
        <span
          className="alarm-marker alarm-marker--flapping"
          title={t('alarms.marker.flappingHint', { count: fmt.number(alarm.flips.length) })}
          data-testid="marker-flapping"
        >
          <span aria-hidden="true">↯</span> {t('alarms.marker.flapping')}
        </span>
      )}
      {alarm.maintenance.length > 0 && (
        <span
          className="alarm-marker alarm-marker--maintenance"
          title={t('alarms.marker.maintenanceHint', { windows: alarm.maintenance.join(', ') })}
          data-testid="marker-maintenance"
        >
          <StatusIcon status="maintenance" /> {t('alarms.marker.maintenance')}
        </span>
      )}
      {alarm.severity !== alarm.sourceSeverity && (
        <span className="alarm-marker" data-testid="marker-operator-severity">
          {t('alarms.marker.operatorSeverity', { severity: t(`alarm.severity.${alarm.sourceSeverity}`) })}
        </span>
      )}
      {alarm.occurrences > 1 && (
        <span className="alarm-marker">
          {t('alarms.marker.occurrences', { count: fmt.number(alarm.occurrences) })}
        </span>
      )}
    </span>
  );
}

export interface AlarmTableProps {
  readonly rows: readonly AlarmRow[];
  readonly selectedId: string | null;
  readonly escalations: AlarmList['escalations'];
  readonly directory: Directory | undefined;
  readonly context: TextContext;
  readonly labelledBy: string;
  readonly describedBy: string;
  readonly registerRow: (id: string, element: HTMLTableRowElement | null) => void;
  readonly onSelect: (id: string) => void;
  readonly onOpen: (id: string) => void;
  readonly onToggle: (id: string) => void;
}

export function AlarmTable({
  rows,
  selectedId,
  escalations,
  directory,
  context,
  labelledBy,
  describedBy,
  registerRow,
  onSelect,
  onOpen,
  onToggle,
}: AlarmTableProps) {
  const { t } = context;
  return (
    <table
      className="alarm-table"
      role="treegrid"
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
    >
      <thead>
        <tr>
          <th scope="col">{t('alarms.column.severity')}</th>
          <th scope="col">{t('alarms.column.state')}</th>
          <th scope="col">{t('alarms.column.subject')}</th>
          <th scope="col">{t('alarms.column.cause')}</th>
          <th scope="col">{t('alarms.column.age')}</th>
          <th scope="col">{t('alarms.column.assignee')}</th>
          <th scope="col">{t('alarms.column.escalation')}</th>
          <th scope="col">{t('alarms.column.markers')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ alarm, depth, childCount, expanded }) => {
          const selected = alarm.id === selectedId;
          const zone = alarm.subject.zoneId;
          return (
            <tr
              key={alarm.id}
              ref={(element) => registerRow(alarm.id, element)}
              className={`alarm-row alarm-row--${alarm.severity} alarm-row--${alarm.state}${depth > 0 ? ' alarm-row--child' : ''}`}
              tabIndex={selected ? 0 : -1}
              aria-selected={selected}
              aria-level={depth + 1}
              aria-expanded={childCount > 0 ? expanded : undefined}
              data-alarm-id={alarm.id}
              data-severity={alarm.severity}
              data-state={alarm.state}
              data-depth={depth}
              data-testid="alarm-row"
              onClick={() => onSelect(alarm.id)}
              onFocus={() => onSelect(alarm.id)}
              onDoubleClick={() => onOpen(alarm.id)}
            >
              <td>
                <SeverityBadge severity={alarm.severity} />
              </td>
              <td>
                <AlarmStateText alarm={alarm} />
              </td>
              <td>
                <div className="alarm-row__subject">
                  {depth > 0 && (
                    <span className="alarm-row__branch" aria-hidden="true">
                      ↳{' '}
                    </span>
                  )}
                  <span className="alarm-row__name">{alarm.subject.name}</span>
                  <span className="alarm-row__zone">
                    {zone === null ? t('alarms.zone.none') : context.zoneName(zone)}
                  </span>
                  {childCount > 0 && (
                    <button
                      type="button"
                      className="button button--small alarm-row__toggle"
                      tabIndex={-1}
                      aria-expanded={expanded}
                      aria-label={
                        expanded
                          ? t('alarms.group.collapse')
                          : t('alarms.group.expand', { count: childCount })
                      }
                      onClick={(event) => {
                        event.stopPropagation();
                        onSelect(alarm.id);
                        onToggle(alarm.id);
                      }}
                      data-testid="alarm-toggle"
                    >
                      <span aria-hidden="true">{expanded ? '▾' : '▸'}</span>{' '}
                      {t('alarms.group.count', { count: context.fmt.number(childCount) })}
                    </button>
                  )}
                </div>
              </td>
              <td data-testid="alarm-cause">{causeText(context, alarm.cause)}</td>
              <td>
                <AlarmAge at={alarm.raisedAt} />
              </td>
              <td>{assigneeText(t, alarm.assignee, directory)}</td>
              <td>
                <EscalationText escalation={escalations[alarm.id]} />
              </td>
              <td>
                <AlarmMarkers alarm={alarm} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
