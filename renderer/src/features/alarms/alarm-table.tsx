/**
 * The alarm list as a tree grid: one row per alarm, the alarms of a zone-wide problem indented
 * under it. One tab stop (the selected row); the view moves the selection with the keyboard.
 * Severity and state are icon and text; resolved alarms are greyed and say so. Only the rows in
 * view are rendered (see AlarmTable), each memoised and read against one clock for the table.
 */
import { memo, useCallback, useLayoutEffect, useRef, useState } from 'react';
import type { AlarmList, Directory, EscalationStatus } from '../../../../shared/api';
import type { Alarm } from '../../../../shared/domain/alarm';
import { StatusIcon } from '../../components/status-icon';
import { useNow } from '../../lib/clock/clock-context';
import { useI18n } from '../../lib/i18n/i18n-context';
import type { AlarmRow } from './alarm-rows';
import { assigneeText, causeText, countdown, escalationText, type TextContext } from './alarm-text';
import { SeverityBadge } from './severity-icon';

/** "3 min ago" as of `now`. */
export function AlarmAgeAt({ at, now }: { at: number; now: number }) {
  const { fmt } = useI18n();
  return (
    <time dateTime={new Date(at).toISOString()} title={fmt.dateTime(at)}>
      {fmt.age(now - at)}
    </time>
  );
}

/** "3 min ago", ticking. */
export function AlarmAge({ at }: { at: number }) {
  return <AlarmAgeAt at={at} now={useNow()} />;
}

/** The state, with the time a snooze has left as of `now`. */
export function AlarmStateAt({ alarm, now }: { alarm: Alarm; now: number }) {
  const { t } = useI18n();
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

/** The state, with the time a snooze has left (ticking). */
export function AlarmStateText({ alarm }: { alarm: Alarm }) {
  return <AlarmStateAt alarm={alarm} now={useNow()} />;
}

/** Where its escalation stands as of `now`. */
export function EscalationAt({
  escalation,
  now,
}: {
  escalation: EscalationStatus | null | undefined;
  now: number;
}) {
  const { t } = useI18n();
  return (
    <span className="alarm-escalation" data-testid="alarm-escalation">
      {escalationText(t, escalation, now)}
    </span>
  );
}

/** Where its escalation stands, the countdown ticking. */
export function EscalationText({ escalation }: { escalation: EscalationStatus | null | undefined }) {
  return <EscalationAt escalation={escalation} now={useNow()} />;
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

/** A row's height before one is measured (the CSS fixes it: one line per row). */
const ROW_HEIGHT_GUESS = 36;
/** The viewport's height where nothing is laid out (a test's DOM). */
const VIEWPORT_GUESS = 800;
/** Rows rendered beyond each edge of the viewport, so a short scroll shows no gap. */
const OVERSCAN = 12;
const COLUMNS = 8;

/** The rows to render: those in the viewport plus OVERSCAN either side. */
export function rowWindow(
  count: number,
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
): { readonly first: number; readonly last: number } {
  const height = viewportHeight > 0 ? viewportHeight : VIEWPORT_GUESS;
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(count, Math.ceil((scrollTop + height) / rowHeight) + OVERSCAN);
  return { first, last: Math.max(first, last) };
}

interface AlarmTableRowProps {
  readonly row: AlarmRow;
  /** 1-based, the header row being 1 (aria-rowindex). */
  readonly rowIndex: number;
  readonly selected: boolean;
  readonly escalation: EscalationStatus | null | undefined;
  readonly directory: Directory | undefined;
  readonly context: TextContext;
  /** The table's clock: one tick re-renders the rendered rows only. */
  readonly now: number;
  readonly registerRow: (id: string, element: HTMLTableRowElement | null) => void;
  readonly onSelect: (id: string) => void;
  readonly onOpen: (id: string) => void;
  readonly onToggle: (id: string) => void;
}

const AlarmTableRow = memo(function AlarmTableRow({
  row: { alarm, depth, childCount, expanded },
  rowIndex,
  selected,
  escalation,
  directory,
  context,
  now,
  registerRow,
  onSelect,
  onOpen,
  onToggle,
}: AlarmTableRowProps) {
  const { t } = context;
  const id = alarm.id;
  const zone = alarm.subject.zoneId;
  const ref = useCallback(
    (element: HTMLTableRowElement | null) => registerRow(id, element),
    [registerRow, id],
  );
  return (
    <tr
      ref={ref}
      className={`alarm-row alarm-row--${alarm.severity} alarm-row--${alarm.state}${depth > 0 ? ' alarm-row--child' : ''}`}
      tabIndex={selected ? 0 : -1}
      aria-selected={selected}
      aria-level={depth + 1}
      aria-rowindex={rowIndex}
      aria-expanded={childCount > 0 ? expanded : undefined}
      data-alarm-id={id}
      data-severity={alarm.severity}
      data-state={alarm.state}
      data-depth={depth}
      data-testid="alarm-row"
      onClick={() => onSelect(id)}
      onFocus={() => onSelect(id)}
      onDoubleClick={() => onOpen(id)}
    >
      <td>
        <SeverityBadge severity={alarm.severity} />
      </td>
      <td>
        <AlarmStateAt alarm={alarm} now={now} />
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
                expanded ? t('alarms.group.collapse') : t('alarms.group.expand', { count: childCount })
              }
              onClick={(event) => {
                event.stopPropagation();
                onSelect(id);
                onToggle(id);
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
        <AlarmAgeAt at={alarm.raisedAt} now={now} />
      </td>
      <td>{assigneeText(t, alarm.assignee, directory)}</td>
      <td>
        <EscalationAt escalation={escalation} now={now} />
      </td>
      <td>
        <AlarmMarkers alarm={alarm} />
      </td>
    </tr>
  );
});

/** A row-less stretch of the list standing for the rows not rendered. */
function Spacer({ height }: { height: number }) {
  if (height <= 0) return null;
  return (
    <tr className="alarm-table__spacer" aria-hidden="true">
      <td colSpan={COLUMNS} style={{ height }} />
    </tr>
  );
}

/**
 * Virtualised: the table scrolls in its own box and renders only the rows in view plus a margin,
 * every row one line of a fixed height (measured), spacers standing for the others; aria-rowcount
 * and aria-rowindex tell assistive technology the whole list's size and each row's place. The
 * selected row is scrolled into view when the selection moves.
 */
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
  const now = useNow();
  const scrollRef = useRef<HTMLDivElement>(null);
  const headRef = useRef<HTMLTableSectionElement>(null);
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const [rowHeight, setRowHeight] = useState(ROW_HEIGHT_GUESS);
  const [viewport, setViewport] = useState({ top: 0, height: 0 });

  // The viewport's size, followed as the window or the detail pane resizes it.
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const measure = () =>
      setViewport((held) =>
        held.top === element.scrollTop && held.height === element.clientHeight
          ? held
          : { top: element.scrollTop, height: element.clientHeight },
      );
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // One rendered row gives the height of all (the CSS keeps each on one line).
  useLayoutEffect(() => {
    const first = bodyRef.current?.querySelector<HTMLElement>('tr[data-testid="alarm-row"]');
    const measured = first?.getBoundingClientRect().height ?? 0;
    if (measured > 0 && Math.abs(measured - rowHeight) > 0.5) setRowHeight(measured);
  }, [rowHeight]);

  // A selection moved out of view (j/k, End, a notification's "Show") brings its row into view.
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element || selectedId === null) return;
    const index = rows.findIndex((row) => row.alarm.id === selectedId);
    if (index < 0) return;
    const header = headRef.current?.offsetHeight ?? 0;
    const height = element.clientHeight > 0 ? element.clientHeight : VIEWPORT_GUESS;
    const rowTop = index * rowHeight;
    const top = viewport.top;
    let next = top;
    if (rowTop < top) next = rowTop;
    else if (header + rowTop + rowHeight > top + height) next = header + rowTop + rowHeight - height;
    if (next === top) return;
    element.scrollTop = next;
    setViewport({ top: next, height: element.clientHeight });
    // Only a moved selection scrolls: neither a live reorder, a re-measure nor a scroll pulls the
    // view back to it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selectedId]);

  const { first, last } = rowWindow(rows.length, viewport.top, viewport.height, rowHeight);
  return (
    <div
      className="alarm-table__scroll"
      ref={scrollRef}
      onScroll={(event) => {
        const element = event.currentTarget;
        setViewport({ top: element.scrollTop, height: element.clientHeight });
      }}
      data-testid="alarm-table-scroll"
    >
      <table
        className="alarm-table"
        role="treegrid"
        aria-labelledby={labelledBy}
        aria-describedby={describedBy}
        aria-rowcount={rows.length + 1}
      >
        <colgroup>
          <col className="alarm-table__col--severity" />
          <col className="alarm-table__col--state" />
          <col className="alarm-table__col--subject" />
          <col className="alarm-table__col--cause" />
          <col className="alarm-table__col--age" />
          <col className="alarm-table__col--assignee" />
          <col className="alarm-table__col--escalation" />
          <col className="alarm-table__col--markers" />
        </colgroup>
        <thead ref={headRef}>
          <tr aria-rowindex={1}>
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
        <tbody ref={bodyRef}>
          <Spacer height={first * rowHeight} />
          {rows.slice(first, last).map((row, offset) => (
            <AlarmTableRow
              key={row.alarm.id}
              row={row}
              rowIndex={first + offset + 2}
              selected={row.alarm.id === selectedId}
              escalation={escalations[row.alarm.id]}
              directory={directory}
              context={context}
              now={now}
              registerRow={registerRow}
              onSelect={onSelect}
              onOpen={onOpen}
              onToggle={onToggle}
            />
          ))}
          <Spacer height={(rows.length - last) * rowHeight} />
        </tbody>
      </table>
    </div>
  );
}
