/**
 * The rows the alarm list shows: worst first (compareAlarms), the alarms of a zone-wide problem
 * folded under their parent (shown when it is expanded), and the filters applied. Pure, so the
 * order and the folding are tested without a DOM.
 */
import {
  compareAlarms,
  type Alarm,
  type AlarmSeverity,
  type AlarmState,
} from '../../../../shared/domain/alarm';
import { normalise } from './alarm-text';

/** The zone filter's value for alarms without a zone. */
export const NO_ZONE = '';

export interface AlarmFilter {
  /** Free text, matched against what `textOf` says of an alarm. */
  readonly text: string;
  readonly severity: AlarmSeverity | null;
  readonly state: AlarmState | null;
  /** A zone id, NO_ZONE for alarms without one, null for every zone. */
  readonly zone: string | null;
}

export const NO_FILTER: AlarmFilter = { text: '', severity: null, state: null, zone: null };

export interface AlarmRow {
  readonly alarm: Alarm;
  /** 0 for a top-level alarm, 1 for an alarm shown under its zone-wide problem. */
  readonly depth: 0 | 1;
  /** How many alarms are grouped under this one (0 for an alarm that groups none). */
  readonly childCount: number;
  readonly expanded: boolean;
}

export interface AlarmRows {
  readonly rows: readonly AlarmRow[];
  /** Alarms that pass the filters (folded ones included). */
  readonly matching: number;
}

export function isFiltering(filter: AlarmFilter): boolean {
  return (
    normalise(filter.text) !== '' || filter.severity !== null || filter.state !== null || filter.zone !== null
  );
}

export function buildRows(
  alarms: readonly Alarm[],
  filter: AlarmFilter,
  expanded: ReadonlySet<string>,
  textOf: (alarm: Alarm) => string,
): AlarmRows {
  const needle = normalise(filter.text);
  const matches = (alarm: Alarm): boolean =>
    (filter.severity === null || alarm.severity === filter.severity) &&
    (filter.state === null || alarm.state === filter.state) &&
    (filter.zone === null || (alarm.subject.zoneId ?? NO_ZONE) === filter.zone) &&
    (needle === '' || normalise(textOf(alarm)).includes(needle));

  const ids = new Set(alarms.map((a) => a.id));
  const children = new Map<string, Alarm[]>();
  const top: Alarm[] = [];
  for (const alarm of alarms) {
    // A child whose parent is not in the list stands on its own.
    if (alarm.parentId !== null && ids.has(alarm.parentId)) {
      const list = children.get(alarm.parentId) ?? [];
      list.push(alarm);
      children.set(alarm.parentId, list);
    } else top.push(alarm);
  }
  top.sort(compareAlarms);

  const rows: AlarmRow[] = [];
  let matching = 0;
  for (const alarm of top) {
    const kids = (children.get(alarm.id) ?? []).sort(compareAlarms);
    const shownKids = kids.filter(matches);
    const own = matches(alarm);
    matching += shownKids.length + (own ? 1 : 0);
    if (!own && shownKids.length === 0) continue;
    // A parent shown only for its matching children opens, or they would stay hidden.
    const open = kids.length > 0 && (expanded.has(alarm.id) || !own);
    rows.push({ alarm, depth: 0, childCount: kids.length, expanded: open });
    if (open)
      for (const kid of shownKids) rows.push({ alarm: kid, depth: 1, childCount: 0, expanded: false });
  }
  return { rows, matching };
}
