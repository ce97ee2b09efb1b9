/**
 * The embedded store of what the collectors saw: samples (history) and each source's last known
 * state, so a restarted engine shows what it knew, aged, instead of a blank or green console.
 * A write resolves only once committed: callers report data as stored only after that.
 */
import type { Condition, ReadingKey, Reading } from '../../../shared/api';
import type { Status } from '../../../shared/domain/status';

export interface Sample {
  readonly sourceId: string;
  readonly reading: ReadingKey;
  /** Epoch ms. */
  readonly ts: number;
  /** null: the source answered but the value was unusable (a gap, never a zero). */
  readonly value: number | null;
}

export interface SourceState {
  readonly sourceId: string;
  readonly status: Status;
  readonly condition: Condition;
  readonly readings: readonly Reading[];
  readonly lastSampleAt: number | null;
  readonly lastAttemptAt: number | null;
  readonly lastError: { readonly code: string; readonly message: string; readonly at: number } | null;
}

export interface StateStore {
  /** Appends samples and upserts source states in one transaction; resolves once committed. */
  commitPoll(samples: readonly Sample[], states: readonly SourceState[]): Promise<void>;
  /** Every source's last stored state. */
  loadStates(): Promise<SourceState[]>;
  /** Samples of one reading of one source in [from, to], time-ordered. */
  history(
    sourceId: string,
    reading: ReadingKey,
    from: number,
    to: number,
  ): Promise<{ times: number[]; values: (number | null)[] }>;
  close(): Promise<void>;
}
