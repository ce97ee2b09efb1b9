/**
 * Where operator actions are recorded before they take effect: who, when, what and why
 * (DESIGN.md section 3), as a tamper-evident trail (issue 6): each entry carries the hash of the
 * one before it, and anchors kept beside the store catch a truncated tail or a rewritten log.
 */
import type {
  AuditFilter,
  AuditPage,
  AuditQuery,
  AuditRecord,
  AuditVerdict,
} from '../../../shared/api/audit';

export type { AuditFilter, AuditPage, AuditQuery, AuditRecord, AuditVerdict };

/** One action as a service records it; the store gives it its place in the chain. */
export interface AuditEntry {
  /** When (ms since the epoch, UTC); stored rounded to the millisecond. */
  readonly at: number;
  /** Who acted: `login @ seat` (see CallContext.actor), or `cli:user`. */
  readonly actor: string;
  /** The actor's roles as text (`operator`, `oncall+admin`, `anonymous`). */
  readonly role: string;
  /** `area.verb`, e.g. `estate.runScenario`. */
  readonly action: string;
  readonly target: string;
  /** Flat facts about the action. Never a secret: values of keys named like one are redacted. */
  readonly details: Readonly<Record<string, string | number | boolean | null>>;
}

/** What services need: record, then act. */
export interface AuditLog {
  /** Resolves once the entry is committed (and anchored); rejects if it could not be. */
  append(entry: AuditEntry): Promise<void>;
  /** The newest `limit` entries, newest first. */
  list(limit: number): Promise<AuditEntry[]>;
}

/** The trail as the audit view, the export and `vigie audit verify` read it. */
export interface AuditTrail extends AuditLog {
  /** A page of entries matching `query`, newest first. */
  query(query: AuditQuery): Promise<AuditPage>;
  /** Every entry matching `filter`, oldest first, at most `max` (and whether more matched). */
  exportEntries(filter: AuditFilter, max: number): Promise<{ entries: AuditRecord[]; truncated: boolean }>;
  /** Checks the whole chain against itself and against every anchor. */
  verify(): Promise<AuditVerdict>;
}
