/**
 * Where operator actions are recorded before they take effect: who, when, what and why
 * (DESIGN.md section 3). The tamper-evident chain arrives with the identities issue; this port
 * already guarantees the order "recorded, then done".
 */
export interface AuditEntry {
  readonly at: number;
  /** Who acted: the seat (desktop, or a WebSocket seat) and its role. */
  readonly actor: string;
  readonly role: string;
  /** `area.verb`, e.g. `estate.runScenario`. */
  readonly action: string;
  readonly target: string;
  readonly details: Readonly<Record<string, string | number | boolean | null>>;
}

export interface AuditLog {
  /** Resolves once the entry is committed. */
  append(entry: AuditEntry): Promise<void>;
  list(limit: number): Promise<AuditEntry[]>;
}
