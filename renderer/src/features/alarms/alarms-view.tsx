/**
 * The alarms view (`g a`): the open alarms, worst first and live, with counts per severity and the
 * seat's sound controls in a strip above; filters by severity, state, zone and free text; the
 * alarms of a zone-wide problem folded under it; a detail pane; the shift handover (`h`); and the
 * maintenance windows (`m`).
 *
 * Keyboard (never while typing, never under a dialog): j/k or ↓/↑ move, Home/End, Enter opens the
 * details, → / ← unfold and fold a zone-wide problem, `/` filters, a s e u r c act on the selected
 * alarm (each through a dialog that asks for the comment), h opens the handover, m the maintenance
 * windows, Esc closes the details. A person who may not act on alarms (alarms.act) is not
 * offered the actions, and is told why.
 */
import { useCallback, useId, useMemo, useRef, useState } from 'react';
import {
  ALARM_SEVERITIES,
  type Alarm,
  type AlarmSeverity,
  type AlarmState,
} from '../../../../shared/domain/alarm';
import { ApiErrorNotice } from '../../components/api-error-notice';
import { PanelBoundary } from '../../components/error-boundary';
import { FilterBox } from '../../components/filter-box';
import { useAlarmList, useDirectory, useHandovers } from '../../lib/api/alarm-queries';
import { useConnectionState } from '../../lib/api/api-context';
import { useOverview } from '../../lib/api/queries';
import { useAccess } from '../../lib/session/access';
import { useI18n } from '../../lib/i18n/i18n-context';
import { useKeyboardShortcuts } from './use-keyboard-shortcuts';
import {
  ACTION_KEYS,
  actionForKey,
  KEYED_ACTIONS,
  stateBlocker,
  type AlarmActionKind,
} from './alarm-actions';
import { AlarmActionDialog } from './alarm-action-dialog';
import { AlarmCounts } from './alarm-counts';
import { AlarmDetailPane } from './alarm-detail';
import { buildRows, NO_FILTER, NO_ZONE, type AlarmFilter } from './alarm-rows';
import { AlarmTable } from './alarm-table';
import { assigneeText, causeText } from './alarm-text';
import { HandoverPanel } from './handover-panel';
import { MaintenancePanel } from './maintenance-panel';
import { SoundControls } from './sound-controls';
import { useTextContext } from './use-text-context';

/** A request from elsewhere in the console (a notification's "Show") to show one alarm. */
export interface AlarmRequest {
  readonly id: string;
  /** Tells two requests for the same alarm apart. */
  readonly serial: number;
}

const ALL = '*all';
const NONE = '*none';
const LISTED_STATES: readonly AlarmState[] = ['outstanding', 'acknowledged', 'snoozed', 'resolved'];

/** One of the list's filters as a labelled choice. */
function FilterSelect({
  label,
  value,
  options,
  onChange,
  testId,
}: {
  label: string;
  value: string;
  options: readonly { readonly value: string; readonly label: string }[];
  onChange: (value: string) => void;
  testId: string;
}) {
  return (
    <label className="alarm-filters__field">
      <span>{label}</span>
      <select
        className="alarm-select"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        data-testid={testId}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}

interface OpenDialog {
  readonly action: AlarmActionKind;
  readonly alarm: Alarm;
}

export function AlarmsView({ request = null }: { request?: AlarmRequest | null }) {
  const { t, locale } = useI18n();
  const context = useTextContext();
  const list = useAlarmList();
  const directory = useDirectory().data;
  const handovers = useHandovers();
  const overview = useOverview().data;
  const live = useConnectionState().kind === 'open';
  // Each part needs the capability of its channels (shared/api/contract.ts).
  const actAccess = useAccess('alarms.act');
  const handoverAccess = useAccess('handover.write');
  const maintenanceAccess = useAccess('maintenance.write');
  const canAct = actAccess.allowed;

  const [filter, setFilter] = useState<AlarmFilter>(NO_FILTER);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [detailId, setDetailId] = useState<string | null>(null);
  const [dialog, setDialog] = useState<OpenDialog | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [mode, setMode] = useState<'list' | 'handover' | 'maintenance'>('list');
  const [handled, setHandled] = useState<AlarmRequest | null>(null);
  /** An alarm to bring into view (its zone-wide problem unfolded) once the list has it. */
  const [reveal, setReveal] = useState<string | null>(null);
  const rowElements = useRef(new Map<string, HTMLTableRowElement>());
  const focusWanted = useRef<string | null>(null);
  const filterRef = useRef<HTMLInputElement>(null);
  const headingId = useId();
  const hintId = useId();
  const reasonId = useId();

  const alarms = useMemo(() => list.data?.alarms ?? [], [list.data]);
  const byId = useMemo(() => new Map(alarms.map((a) => [a.id, a])), [alarms]);

  // A new request opens its alarm, unfiltered (state adjusted while rendering, as React derives it).
  if (request !== null && request !== handled) {
    setHandled(request);
    setMode('list');
    setFilter(NO_FILTER);
    setSelectedId(request.id);
    setDetailId(request.id);
    setReveal(request.id);
  }
  const revealed = reveal === null ? undefined : byId.get(reveal);
  if (revealed) {
    setReveal(null);
    const parent = revealed.parentId;
    if (parent !== null) setExpanded((held) => new Set([...held, parent]));
  }

  const textOf = useCallback(
    (alarm: Alarm) =>
      [
        alarm.subject.name,
        alarm.subject.id,
        alarm.subject.zoneId === null ? '' : context.zoneName(alarm.subject.zoneId),
        causeText(context, alarm.cause),
        context.t(`alarm.severity.${alarm.severity}`),
        context.t(`alarm.state.${alarm.state}`),
        alarm.assignee === null ? '' : assigneeText(context.t, alarm.assignee, directory),
        alarm.key,
      ].join(' '),
    [context, directory],
  );
  const { rows, matching } = useMemo(
    () => buildRows(alarms, filter, expanded, textOf),
    [alarms, filter, expanded, textOf],
  );
  const order = rows.map((row) => row.alarm.id);
  const selected = selectedId !== null && order.includes(selectedId) ? selectedId : (order[0] ?? null);
  const selectedAlarm = selected === null ? null : (byId.get(selected) ?? null);

  const zones = useMemo(() => {
    const known = new Map((overview?.zones ?? []).map((zone) => [zone.id, zone.name]));
    let withoutZone = false;
    for (const alarm of alarms)
      if (alarm.subject.zoneId === null) withoutZone = true;
      else if (!known.has(alarm.subject.zoneId)) known.set(alarm.subject.zoneId, alarm.subject.zoneId);
    return { known: [...known], withoutZone };
  }, [overview, alarms]);

  // Only the rows in view are rendered: a row to focus that is not yet rendered is focused as
  // soon as the table, scrolling to the selection, renders it.
  const registerRow = useCallback((id: string, element: HTMLTableRowElement | null) => {
    if (element) {
      rowElements.current.set(id, element);
      if (focusWanted.current === id) {
        focusWanted.current = null;
        element.focus();
      }
    } else rowElements.current.delete(id);
  }, []);
  const focusRow = useCallback((id: string | null) => {
    if (id === null) return;
    setSelectedId(id);
    const element = rowElements.current.get(id);
    if (element) {
      focusWanted.current = null;
      element.focus();
    } else focusWanted.current = id;
  }, []);
  const openDetail = useCallback((id: string) => {
    setSelectedId(id);
    setDetailId(id);
  }, []);
  const toggle = useCallback((id: string) => {
    setExpanded((held) => {
      const next = new Set(held);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  }, []);
  const showAlarm = useCallback(
    (id: string) => {
      const parent = byId.get(id)?.parentId ?? null;
      if (parent !== null) setExpanded((held) => new Set([...held, parent]));
      openDetail(id);
    },
    [byId, openDetail],
  );

  function requestAction(action: AlarmActionKind, id: string | null = selected): void {
    const alarm = id === null ? null : (byId.get(id) ?? null);
    if (alarm === null) return setNotice(t('alarms.noSelection'));
    if (!canAct) return setNotice(actAccess.reason);
    const blocker = stateBlocker(action, alarm);
    if (blocker === 'closeNeedsResolved') return setNotice(t('alarms.closeNeedsResolved'));
    if (blocker === 'state')
      return setNotice(
        t('alarms.notAllowed', { state: t(`alarm.state.${alarm.state}`).toLocaleLowerCase(locale) }),
      );
    setNotice(null);
    setDialog({ action, alarm });
  }

  function move(to: (index: number) => number): void {
    if (order.length === 0) return;
    const index = selected === null ? -1 : order.indexOf(selected);
    focusRow(order[Math.min(order.length - 1, Math.max(0, to(index)))] ?? null);
  }

  function fold(open: boolean): void {
    const row = rows.find((r) => r.alarm.id === selected);
    if (!row) return;
    if (row.depth > 0 && !open) {
      focusRow(row.alarm.parentId);
      return;
    }
    if (row.childCount > 0 && row.expanded !== open) toggle(row.alarm.id);
  }

  useKeyboardShortcuts(mode === 'list', (event, onRows) => {
    const action = actionForKey(event.key);
    if (event.key === '/') {
      filterRef.current?.focus();
      filterRef.current?.select();
    } else if (event.key === 'j' || (onRows && event.key === 'ArrowDown')) move((i) => i + 1);
    else if (event.key === 'k' || (onRows && event.key === 'ArrowUp')) move((i) => Math.max(0, i - 1));
    else if (onRows && event.key === 'Home') move(() => 0);
    else if (onRows && event.key === 'End') move(() => order.length - 1);
    else if (onRows && event.key === 'Enter' && selected !== null) openDetail(selected);
    else if (onRows && event.key === 'ArrowRight') fold(true);
    else if (onRows && event.key === 'ArrowLeft') fold(false);
    else if (event.key === 'Escape' && detailId !== null) {
      setDetailId(null);
      focusRow(selected);
    } else if (event.key === 'h') setMode('handover');
    else if (event.key === 'm') setMode('maintenance');
    else if (action !== null) requestAction(action);
    else return false;
    return true;
  });

  const reasonFor = (text: string | null) =>
    text !== null && (
      <p className="alarm-muted" id={reasonId} data-testid="alarms-viewer-reason">
        {text}
      </p>
    );
  const reason = reasonFor(actAccess.reason);

  if (mode === 'handover')
    return (
      <div className="alarms" data-testid="alarms" data-mode="handover">
        {reasonFor(handoverAccess.reason)}
        <PanelBoundary>
          <HandoverPanel
            onBack={() => setMode('list')}
            blockedBy={handoverAccess.allowed ? null : reasonId}
          />
        </PanelBoundary>
      </div>
    );

  if (mode === 'maintenance')
    return (
      <div className="alarms" data-testid="alarms" data-mode="maintenance">
        <PanelBoundary>
          <MaintenancePanel onBack={() => setMode('list')} deniedReason={maintenanceAccess.reason} />
        </PanelBoundary>
      </div>
    );

  const pending = handovers.data?.handovers[0];
  const escalations = list.data?.escalations ?? {};

  let body;
  if (list.data && rows.length > 0) {
    body = (
      <AlarmTable
        rows={rows}
        selectedId={selected}
        escalations={escalations}
        directory={directory}
        context={context}
        labelledBy={headingId}
        describedBy={hintId}
        registerRow={registerRow}
        onSelect={setSelectedId}
        onOpen={openDetail}
        onToggle={toggle}
      />
    );
  } else if (list.data) {
    body = (
      <p className="panel-message" data-testid="alarms-empty">
        {t(alarms.length === 0 ? 'alarms.none' : 'alarms.noMatch')}
      </p>
    );
  } else if (list.isError) {
    body = (
      <div className="alarms__failed">
        <ApiErrorNotice error={list.error} title={t('alarms.failed')} testId="alarms-error" />
        <button type="button" className="button" onClick={() => void list.refetch()}>
          {t('action.retry')}
        </button>
      </div>
    );
  } else {
    body = <p className="panel-message">{t(live ? 'alarms.loading' : 'overview.waiting')}</p>;
  }

  return (
    <section className="alarms" aria-labelledby={headingId} data-testid="alarms" data-mode="list">
      <div className="alarms__toolbar">
        <h1 className="alarms__title" id={headingId}>
          {t('alarms.title')}
        </h1>
        {list.data && <AlarmCounts counts={list.data.counts} />}
        <PanelBoundary>
          <SoundControls />
        </PanelBoundary>
      </div>
      {pending && pending.acknowledgedAt === null && (
        <p className="alarm-banner" data-testid="handover-pending">
          {t('handover.pending', { by: pending.createdBy, time: context.fmt.dateTime(pending.createdAt) })}{' '}
          <button type="button" className="button button--small" onClick={() => setMode('handover')}>
            {t('alarms.action.handover')}
          </button>
        </p>
      )}
      {list.data && !live && (
        <p className="alarm-banner alarm-banner--alert" role="alert" data-testid="alarms-not-live">
          {t('alarms.notLive')}
        </p>
      )}
      {list.data?.truncated && (
        <p className="alarm-banner" data-testid="alarms-truncated">
          {t('alarms.truncated')}
        </p>
      )}
      <div className="alarm-filters">
        <FilterBox
          ref={filterRef}
          value={filter.text}
          shown={matching}
          total={alarms.length}
          onChange={(text) => setFilter((held) => ({ ...held, text }))}
          onLeave={() => focusRow(selected)}
          texts={{
            label: t('alarms.filter.label'),
            placeholder: t('alarms.filter.placeholder'),
            result: (shown, total) => t('alarms.filter.result', { shown, total }),
          }}
          testId="alarm-filter"
        />
        <FilterSelect
          label={t('alarms.filter.severity')}
          value={filter.severity ?? ALL}
          options={[
            { value: ALL, label: t('alarms.filter.anySeverity') },
            ...ALARM_SEVERITIES.map((s) => ({ value: s, label: t(`alarm.severity.${s}`) })),
          ]}
          onChange={(value) =>
            setFilter((held) => ({ ...held, severity: value === ALL ? null : (value as AlarmSeverity) }))
          }
          testId="alarm-filter-severity"
        />
        <FilterSelect
          label={t('alarms.filter.state')}
          value={filter.state ?? ALL}
          options={[
            { value: ALL, label: t('alarms.filter.anyState') },
            ...LISTED_STATES.map((s) => ({ value: s, label: t(`alarm.state.${s}`) })),
          ]}
          onChange={(value) =>
            setFilter((held) => ({ ...held, state: value === ALL ? null : (value as AlarmState) }))
          }
          testId="alarm-filter-state"
        />
        <FilterSelect
          label={t('alarms.filter.zone')}
          value={filter.zone === null ? ALL : filter.zone === NO_ZONE ? NONE : filter.zone}
          options={[
            { value: ALL, label: t('alarms.filter.anyZone') },
            ...zones.known.map(([id, name]) => ({ value: id, label: name })),
            ...(zones.withoutZone ? [{ value: NONE, label: t('alarms.zone.none') }] : []),
          ]}
          onChange={(value) =>
            setFilter((held) => ({ ...held, zone: value === ALL ? null : value === NONE ? NO_ZONE : value }))
          }
          testId="alarm-filter-zone"
        />
      </div>
      <div className="alarm-actions" role="group" aria-label={t('alarms.actions.label')}>
        {/* Not offered at all to a person who may not act (the reason below says why). */}
        {(canAct ? KEYED_ACTIONS : []).map((action) => (
          <button
            key={action}
            type="button"
            className="button button--small"
            disabled={selectedAlarm === null || stateBlocker(action, selectedAlarm) !== null}
            aria-keyshortcuts={ACTION_KEYS[action]}
            onClick={() => requestAction(action)}
            data-testid={`action-${action}`}
          >
            {t(`alarms.action.${action}`)} <kbd>{ACTION_KEYS[action]}</kbd>
          </button>
        ))}
        <button
          type="button"
          className="button button--small"
          disabled={selected === null}
          aria-keyshortcuts="Enter"
          onClick={() => selected !== null && openDetail(selected)}
        >
          {t('alarms.action.details')} <kbd>Enter</kbd>
        </button>
        <button
          type="button"
          className="button button--small"
          aria-keyshortcuts="h"
          onClick={() => setMode('handover')}
          data-testid="open-handover"
        >
          {t('alarms.action.handover')} <kbd>h</kbd>
        </button>
        <button
          type="button"
          className="button button--small"
          aria-keyshortcuts="m"
          onClick={() => setMode('maintenance')}
          data-testid="open-maintenance"
        >
          {t('maintenance.open')} <kbd>m</kbd>
        </button>
      </div>
      {reason}
      <p className="alarm-notice" role="status" data-testid="alarms-notice">
        {notice ?? ''}
      </p>
      <p id={hintId} className="visually-hidden">
        {t('alarms.keyboardHint')}
      </p>
      <div className={`alarms__body${detailId !== null ? ' alarms__body--detail' : ''}`}>
        <div className="alarms__list">{body}</div>
        {detailId !== null && (
          <PanelBoundary>
            <AlarmDetailPane
              id={detailId}
              held={byId.get(detailId) ?? null}
              escalation={escalations[detailId]}
              directory={directory}
              context={context}
              blockedBy={canAct ? null : reasonId}
              onClose={() => {
                setDetailId(null);
                focusRow(selected);
              }}
              onSelect={showAlarm}
              onAction={(action) => requestAction(action, detailId)}
            />
          </PanelBoundary>
        )}
      </div>
      {dialog && (
        <AlarmActionDialog
          action={dialog.action}
          alarm={dialog.alarm}
          directory={directory}
          onClose={() => setDialog(null)}
        />
      )}
    </section>
  );
}
