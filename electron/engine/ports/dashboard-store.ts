/** Where user dashboards are kept: versioned JSON documents with a revision per save. */
import type { Dashboard } from '../../../shared/domain/dashboard';

export interface StoredDashboard {
  readonly dashboard: Dashboard;
  readonly revision: number;
  readonly updatedAt: number;
  readonly updatedBy: string;
}

export interface DashboardStore {
  listDashboards(): Promise<StoredDashboard[]>;
  getDashboard(id: string): Promise<StoredDashboard | null>;
  /**
   * Saves a dashboard. With `baseRevision`, only if the stored revision is still that one; without,
   * only if no dashboard has that id. Resolves with the new entry, or `conflict` with the stored revision.
   */
  saveDashboard(
    dashboard: Dashboard,
    baseRevision: number | undefined,
    by: string,
    at: number,
  ): Promise<{ saved: StoredDashboard } | { conflict: number | null }>;
  /** Whether a dashboard was deleted. */
  deleteDashboard(id: string): Promise<boolean>;
}
