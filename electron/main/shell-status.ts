/**
 * The worst current state as the shell shows it (window title, tray): taken from the `status`
 * of `overview.changed` events and `overview.get` answers, newest revision wins. With no engine
 * or no overview yet it is `unknown`: no data is never shown as up (DESIGN section 3).
 */
import type { Locale } from '../../shared/i18n';
import { STATUSES, type Status } from '../../shared/domain/status';
import { shellWords, statusLabel } from './shell-strings';

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

  get status(): Status {
    return this.currentStatus;
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
    return this.set('unknown', this.currentTraining);
  }

  private set(status: Status, training: boolean): boolean {
    const changed = status !== this.currentStatus || training !== this.currentTraining;
    this.currentStatus = status;
    this.currentTraining = training;
    return changed;
  }
}

export function windowTitle(status: Status, training: boolean, locale: Locale): string {
  const parts = ['Vigie', statusLabel(locale, status)];
  if (training) parts.push(shellWords(locale).training);
  return parts.join(' — ');
}

export function trayTooltip(status: Status, training: boolean, locale: Locale): string {
  return `Vigie: ${statusLabel(locale, status)}${training ? ` (${shellWords(locale).training})` : ''}`;
}
