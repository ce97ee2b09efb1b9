/**
 * Where alarms, their history, escalation progress, the notification outbox, maintenance windows
 * and shift handovers are kept. Everything an operator relies on after a crash lives here: a
 * commit resolves only once durable, and the alarm service reports nothing before that.
 */
import type { Alarm, AlarmHistoryEntry } from '../../../shared/domain/alarm';
import type { Handover } from '../../../shared/api/alarms';
import type { MaintenanceWindow } from '../../../shared/domain/maintenance-window';

/** Where one alarm's escalation stands: enough to continue from the right step after a restart. */
export interface EscalationRecord {
  readonly alarmId: string;
  readonly policyId: string;
  /** Repeat round, 0-based. */
  readonly cycle: number;
  /** Next step to run, 0-based; equal to the step count when the round is done. */
  readonly step: number;
  /** When the current round started: step delays count from here. */
  readonly cycleStartedAt: number;
  /** When the last step fired (null: none yet this round). */
  readonly lastFiredAt: number | null;
  /** Last re-notification of the acknowledged-but-unresolved alarm. */
  readonly lastRenotifiedAt: number | null;
  readonly done: boolean;
}

/** One message to deliver, written before it is sent; its key makes a retry the same message. */
export interface OutboxEntry {
  /** `<alarm>/<cycle>/<step>/<channel>` (`<alarm>#<n>/...` after the n-th re-raise): unique, and the idempotency key of the delivery. */
  readonly key: string;
  readonly alarmId: string;
  /** `email`, or `webhook:<id>`. */
  readonly channel: string;
  readonly payload: unknown;
  readonly createdAt: number;
  readonly status: 'pending' | 'sent' | 'failed';
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastError: string | null;
}

export interface AlarmCommit {
  /** The store's revision after this commit. */
  readonly revision: number;
  readonly alarms: readonly Alarm[];
  readonly history: readonly AlarmHistoryEntry[];
  readonly escalations?: readonly EscalationRecord[];
  readonly outbox?: readonly OutboxEntry[];
}

export interface AlarmStoreSnapshot {
  readonly revision: number;
  /** Every alarm not closed. */
  readonly alarms: Alarm[];
  readonly escalations: EscalationRecord[];
  /** Deliveries not yet sent. */
  readonly outbox: OutboxEntry[];
}

export interface AlarmStore {
  load(signal: AbortSignal): Promise<AlarmStoreSnapshot>;
  /** One transaction; resolves once committed. */
  commit(commit: AlarmCommit, signal: AbortSignal): Promise<void>;
  /** One alarm's history, oldest first (at most `limit`, the newest kept). */
  history(alarmId: string, limit: number, signal: AbortSignal): Promise<AlarmHistoryEntry[]>;
  /** Alarm documents by id (closed ones included). */
  alarms(ids: readonly string[], signal: AbortSignal): Promise<Alarm[]>;
  /** Alarms changed in [from, to] (closed ones included), newest first, and their history lines. */
  changedBetween(
    from: number,
    to: number,
    limit: number,
    signal: AbortSignal,
  ): Promise<{ alarms: Alarm[]; entries: AlarmHistoryEntry[] }>;
  saveMaintenance(window: MaintenanceWindow, signal: AbortSignal): Promise<void>;
  deleteMaintenance(id: string, signal: AbortSignal): Promise<boolean>;
  listMaintenance(signal: AbortSignal): Promise<MaintenanceWindow[]>;
  saveHandover(handover: Handover, signal: AbortSignal): Promise<void>;
  listHandovers(limit: number, signal: AbortSignal): Promise<Handover[]>;
  close(): Promise<void>;
}
