/**
 * The `audit.*` channels: the audit view's pages, the chain's verification and the export. Reading
 * the audit trail is itself recorded, before the data is read: a verification and an export each
 * get an entry; paging through the view gets one entry per seat and person per minute (the first
 * page of that minute, with its filters), so that scrolling does not bury the trail under its
 * own reads while every session of reading still shows.
 */
import { AUDIT_EXPORT_MAX, type AuditFilter } from '../../../../shared/api/audit';
import type { CallContext, Handlers } from '../../api/dispatch';
import type { AuditTrail } from '../../ports/audit-log';
import type { Clock } from '../../ports/clock';
import { auditExportFileName, formatAuditExport } from './audit-export';

export type AuditChannel = 'audit.query' | 'audit.verify' | 'audit.export';

export interface AuditHandlersDeps {
  readonly trail: AuditTrail;
  readonly clock: Clock;
  /** How long paging by one seat counts as one read; default one minute. */
  readonly coalesceMs?: number;
}

/** The filters as flat details (absent ones left out). */
function filterDetails(filter: AuditFilter): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const key of ['from', 'to', 'actor', 'action', 'target', 'text'] as const) {
    const value = filter[key];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

export function auditHandlers(deps: AuditHandlersDeps): Pick<Handlers, AuditChannel> {
  const { trail, clock } = deps;
  const coalesceMs = deps.coalesceMs ?? 60_000;
  /** When each seat's person last had a query recorded. */
  const lastRecorded = new Map<string, number>();

  const record = (ctx: CallContext, action: AuditChannel, details: Record<string, string | number>) =>
    trail.append({ at: clock.now(), actor: ctx.actor, role: ctx.role, action, target: 'audit', details });

  return {
    'audit.query': async (req, ctx) => {
      const key = `${ctx.seat}\u0000${ctx.actor}`;
      const now = clock.now();
      const last = lastRecorded.get(key);
      if (last === undefined || now - last >= coalesceMs) {
        await record(ctx, 'audit.query', filterDetails(req));
        lastRecorded.set(key, now);
        // Forget seats that stopped reading, so the map stays the size of the active seats.
        for (const [k, at] of lastRecorded) if (now - at >= coalesceMs) lastRecorded.delete(k);
      }
      return trail.query(req);
    },
    'audit.verify': async (_req, ctx) => {
      await record(ctx, 'audit.verify', {});
      return trail.verify();
    },
    'audit.export': async (req, ctx) => {
      const { format, ...filter } = req;
      await record(ctx, 'audit.export', { format, ...filterDetails(filter) });
      const { entries, truncated } = await trail.exportEntries(filter, AUDIT_EXPORT_MAX);
      return {
        fileName: auditExportFileName(clock.now(), format),
        text: formatAuditExport(entries, format),
        entries: entries.length,
        truncated,
      };
    },
  };
}
