/**
 * Where trap events are kept for the console (a device's recent events) and for the alarm engine
 * to rebuild from: an append-only log with bounded retention (by age and by count).
 */
import type { TrapEvent } from '../../../shared/domain/trap-event';

export interface TrapEventQuery {
  /** One device's events; `null`: events from unknown sources; absent: every event. */
  readonly deviceId?: string | null;
  /** Inclusive time range, epoch ms. */
  readonly from: number;
  readonly to: number;
  /** At most this many, newest first. */
  readonly limit: number;
}

export interface TrapRetention {
  /** Events received before this time (epoch ms) are deleted. */
  readonly before: number;
  /** Then only the newest `keep` events are kept. */
  readonly keep: number;
}

export interface TrapEventStore {
  /** Appends events in one transaction; resolves once committed. Rejects with UpstreamError. */
  append(events: readonly TrapEvent[], signal: AbortSignal): Promise<void>;
  /** Newest first (by reception time, then by arrival). */
  query(query: TrapEventQuery, signal: AbortSignal): Promise<TrapEvent[]>;
  /** Applies the retention; resolves with the number of events deleted. */
  prune(retention: TrapRetention, signal: AbortSignal): Promise<number>;
  close(): Promise<void>;
}
