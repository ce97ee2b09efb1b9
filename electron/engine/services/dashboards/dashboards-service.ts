/**
 * Dashboards: Vigie's own (built from the inventory, read-only) and the users' (saved, versioned,
 * with a revision per save so two editors cannot overwrite each other silently). Saves and
 * deletions are written to the audit log before they take effect.
 */
import { VigieError, type DashboardSummary } from '../../../../shared/api';
import { parseDashboardDocument, type Dashboard } from '../../../../shared/domain/dashboard';
import type { TelegrafMapping } from '../../config/metrics-schema';
import type { Inventory } from '../../config/schema';
import type { AuditLog } from '../../ports/audit-log';
import type { Clock } from '../../ports/clock';
import type { DashboardStore, StoredDashboard } from '../../ports/dashboard-store';
import { AUTO_PREFIX, autoDashboardEntries, type AutoDashboard } from './auto-dashboards';

export interface DashboardEntry {
  summary: DashboardSummary;
  dashboard: Dashboard;
}

export interface Actor {
  readonly seat: string;
  readonly role: string;
}

export class DashboardsService {
  private readonly autoEntries: AutoDashboard[];
  private readonly auto: Dashboard[];
  private readonly listeners = new Set<(list: DashboardSummary[]) => void>();

  constructor(
    inventory: Inventory,
    private readonly store: DashboardStore,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    /** `metrics.telegraf`: the built-in dashboards of the devices and services it maps. */
    telegraf?: TelegrafMapping,
  ) {
    this.autoEntries = autoDashboardEntries(inventory, telegraf);
    this.auto = this.autoEntries.map((e) => e.dashboard);
  }

  onChange(listener: (list: DashboardSummary[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private autoSummary(d: Dashboard): DashboardSummary {
    const subjects = this.autoEntries.find((e) => e.dashboard.id === d.id)?.subjects ?? [];
    return {
      id: d.id,
      title: d.title,
      origin: 'auto',
      revision: 0,
      updatedAt: null,
      updatedBy: null,
      ...(subjects.length > 0 ? { subjects: [...subjects] } : {}),
    };
  }

  private userSummary(s: StoredDashboard): DashboardSummary {
    return {
      id: s.dashboard.id,
      title: s.dashboard.title,
      origin: 'user',
      revision: s.revision,
      updatedAt: s.updatedAt,
      updatedBy: s.updatedBy,
    };
  }

  async list(): Promise<DashboardSummary[]> {
    return [
      ...this.auto.map((d) => this.autoSummary(d)),
      ...(await this.store.listDashboards()).map((s) => this.userSummary(s)),
    ];
  }

  async get(id: string): Promise<DashboardEntry> {
    const auto = this.auto.find((d) => d.id === id);
    if (auto) return { summary: this.autoSummary(auto), dashboard: auto };
    const stored = await this.store.getDashboard(id);
    if (!stored) throw new VigieError('NOT_FOUND', `no dashboard "${id}"`);
    return { summary: this.userSummary(stored), dashboard: stored.dashboard };
  }

  async save(raw: unknown, baseRevision: number | undefined, actor: Actor): Promise<DashboardEntry> {
    const parsed = parseDashboardDocument(raw);
    if (!parsed.ok) {
      const first = parsed.issues[0];
      throw new VigieError(
        'VALIDATION',
        `invalid dashboard: ${first ? `${first.path}: ${first.message}` : 'unknown problem'}`,
      );
    }
    const dashboard = parsed.dashboard;
    if (dashboard.id.startsWith(AUTO_PREFIX))
      throw new VigieError(
        'CONFLICT',
        `"${AUTO_PREFIX}" dashboards are built by Vigie and cannot be saved; save a copy under another id`,
      );
    const at = this.clock.now();
    await this.audit.append({
      at,
      actor: actor.seat,
      role: actor.role,
      action: 'dashboards.save',
      target: dashboard.id,
      details: { baseRevision: baseRevision ?? null, panels: dashboard.panels.length },
    });
    const result = await this.store.saveDashboard(dashboard, baseRevision, actor.seat, at);
    if ('conflict' in result) {
      throw new VigieError(
        'CONFLICT',
        result.conflict === null
          ? `dashboard "${dashboard.id}" no longer exists; save it as new`
          : baseRevision === undefined
            ? `a dashboard "${dashboard.id}" already exists; choose another id`
            : `dashboard "${dashboard.id}" was saved by someone else (revision ${result.conflict}); reload it first`,
      );
    }
    await this.changed();
    return { summary: this.userSummary(result.saved), dashboard };
  }

  async delete(id: string, actor: Actor): Promise<void> {
    if (this.auto.some((d) => d.id === id))
      throw new VigieError('CONFLICT', `"${id}" is built by Vigie and cannot be deleted`);
    await this.audit.append({
      at: this.clock.now(),
      actor: actor.seat,
      role: actor.role,
      action: 'dashboards.delete',
      target: id,
      details: {},
    });
    if (!(await this.store.deleteDashboard(id))) throw new VigieError('NOT_FOUND', `no dashboard "${id}"`);
    await this.changed();
  }

  /** Validates (and migrates) a JSON text; never saves. */
  importJson(json: string): ReturnType<typeof parseDashboardDocument> {
    let raw: unknown;
    try {
      raw = JSON.parse(json);
    } catch (err: unknown) {
      return {
        ok: false,
        issues: [
          { path: '(document)', message: `not JSON: ${err instanceof Error ? err.message : String(err)}` },
        ],
      };
    }
    return parseDashboardDocument(raw);
  }

  async exportJson(id: string): Promise<{ fileName: string; json: string }> {
    const { dashboard } = await this.get(id);
    return {
      fileName: `vigie-dashboard-${dashboard.id}.json`,
      json: `${JSON.stringify(dashboard, null, 2)}\n`,
    };
  }

  private async changed(): Promise<void> {
    const list = await this.list();
    for (const l of this.listeners) l(list);
  }
}
