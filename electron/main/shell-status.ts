/**
 * The worst current state as the shell shows it (window title, tray): taken from the `status`
 * of `overview.changed` events and `overview.get` answers, newest revision wins, and from the
 * outstanding alarms (`alarms.changed` events and `alarms.list` answers: the worst severity
 * that nobody has acknowledged, and how many). With no engine or no overview yet it is
 * `unknown`: no data is never shown as up (DESIGN section 3).
 */
import type { Locale } from '../../shared/i18n';
import { ALARM_SEVERITIES, type AlarmSeverity } from '../../shared/domain/alarm';
import { STATUSES, statusRank, type Status } from '../../shared/domain/status';
import { severityLabel, shellWords, statusLabel } from './shell-strings';

/** Outstanding (not acknowledged) alarms: the worst severity and their number. */
export interface OutstandingAlarms {
  readonly worst: AlarmSeverity | null;
  readonly count: number;
}

/** The icon's status for an outstanding severity: critical and major are down, the rest degraded. */
function alarmStatus(worst: AlarmSeverity | null): Status {
  if (worst === 'critical' || worst === 'major') return 'down';
  if (worst === 'minor' || worst === 'warning') return 'degraded';
  return 'up';
}

/** Reads `counts.outstanding` of an alarms.changed event or an alarms.list answer. */
function outstandingOf(payload: unknown): OutstandingAlarms | null {
  if (!isRecord(payload) || !isRecord(payload['counts'])) return null;
  const counts = payload['counts']['outstanding'];
  if (!isRecord(counts)) return null;
  let worst: AlarmSeverity | null = null;
  let count = 0;
  for (const severity of ALARM_SEVERITIES) {
    const n = counts[severity];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) return null;
    if (n > 0 && worst === null && severity !== 'info') worst = severity;
    count += n;
  }
  return { worst, count };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isStatus(value: unknown): value is Status {
  return typeof value === 'string' && (STATUSES as readonly string[]).includes(value);
}

export class ShellStatus {
  private currentStatus: Status = 'unknown';
  private currentTraining = false;
  private revision = Number.NEGATIVE_INFINITY;
  private alarmRevision = Number.NEGATIVE_INFINITY;
  private currentAlarms: OutstandingAlarms = { worst: null, count: 0 };

  /** The worse of the overview's status and what the outstanding alarms say. */
  get status(): Status {
    const fromAlarms = alarmStatus(this.currentAlarms.worst);
    return statusRank(fromAlarms) > statusRank(this.currentStatus) ? fromAlarms : this.currentStatus;
  }

  get alarms(): OutstandingAlarms {
    return this.currentAlarms;
  }

  /** Takes an alarms.changed payload or an alarms.list answer; true when what is shown changed. */
  applyAlarms(payload: unknown): boolean {
    const next = outstandingOf(payload);
    if (next === null || !isRecord(payload)) return false;
    const revision = payload['revision'];
    if (typeof revision === 'number') {
      if (revision < this.alarmRevision) return false;
      this.alarmRevision = revision;
    }
    const changed = next.worst !== this.currentAlarms.worst || next.count !== this.currentAlarms.count;
    this.currentAlarms = next;
    return changed;
  }

  get training(): boolean {
    return this.currentTraining;
  }

  /** Takes an overview payload; returns true when what the shell shows changed. */
  applyOverview(payload: unknown): boolean {
    if (!isRecord(payload) || !isStatus(payload['status'])) return false;
    const revision = payload['revision'];
    if (typeof revision === 'number') {
      if (revision < this.revision) return false;
      this.revision = revision;
    }
    const training = typeof payload['training'] === 'boolean' ? payload['training'] : this.currentTraining;
    return this.set(payload['status'], training);
  }

  setTraining(training: boolean): boolean {
    return this.set(this.currentStatus, training);
  }

  /** The engine is gone: nothing is known any more, and a restarted engine counts revisions anew. */
  engineDown(): boolean {
    this.revision = Number.NEGATIVE_INFINITY;
    this.alarmRevision = Number.NEGATIVE_INFINITY;
    const hadAlarms = this.currentAlarms.count > 0;
    this.currentAlarms = { worst: null, count: 0 };
    return this.set('unknown', this.currentTraining) || hadAlarms;
  }

  private set(status: Status, training: boolean): boolean {
    const changed = status !== this.currentStatus || training !== this.currentTraining;
    this.currentStatus = status;
    this.currentTraining = training;
    return changed;
  }
}

const NO_ALARMS: OutstandingAlarms = { worst: null, count: 0 };

/** "(3) Critical — Vigie — Down — TRAINING": the outstanding alarms first, readable in a taskbar. */
export function windowTitle(
  status: Status,
  training: boolean,
  locale: Locale,
  alarms: OutstandingAlarms = NO_ALARMS,
): string {
  const parts = ['Vigie', statusLabel(locale, status)];
  if (training) parts.push(shellWords(locale).training);
  const title = parts.join(' — ');
  return alarms.worst === null
    ? title
    : `(${alarms.count}) ${severityLabel(locale, alarms.worst)} — ${title}`;
}

export function trayTooltip(
  status: Status,
  training: boolean,
  locale: Locale,
  alarms: OutstandingAlarms = NO_ALARMS,
): string {
  const base = `Vigie: ${statusLabel(locale, status)}${training ? ` (${shellWords(locale).training})` : ''}`;
  return alarms.worst === null ? base : `${base} — ${alarms.count} × ${severityLabel(locale, alarms.worst)}`;
}
