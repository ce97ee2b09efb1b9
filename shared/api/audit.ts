/**
 * The audit trail as the console sees it (issue 6): entries with their place in the hash chain,
 * the filters of the audit view, and the verdict of a verification. Every action that changes
 * something, and every view of protected data, is an entry; each entry carries the hash of the
 * one before it, so a changed, inserted or removed entry is found and named.
 */
import { z } from 'zod';

/** SHA-256 as 64 lower-case hex digits. */
export const auditHashSchema = z.string().regex(/^[0-9a-f]{64}$/);

/** What an entry's details may hold: flat, scalar values (never a secret). */
export const auditDetailsSchema = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean(), z.null()]),
);

/** One entry of the audit trail with its place in the chain. */
export const auditRecordSchema = z.strictObject({
  /** Position in the chain: 1, 2, 3... with no gap. */
  seq: z.number().int().positive(),
  /** When it was recorded (ms since the epoch, UTC): before the action took effect. */
  at: z.number(),
  /** Who acted: `login @ seat`, the seat when anonymous, or `cli:user`. */
  actor: z.string(),
  /** The actor's roles (`operator`, `oncall+admin`, `anonymous`). */
  role: z.string(),
  /** `area.verb`, e.g. `alarms.acknowledge`. */
  action: z.string(),
  target: z.string(),
  details: auditDetailsSchema,
  /** The hash of the entry before (64 zeros for the first). */
  prevHash: auditHashSchema,
  hash: auditHashSchema,
});
export type AuditRecord = z.infer<typeof auditRecordSchema>;

/**
 * A time as ms since the epoch, up to the end of year 9999. Bounded because the store binds it as
 * a 64-bit integer: an unbounded double (-1.8e308, found by test/integration/contract-fuzz) made
 * DuckDB throw and the request answer INTERNAL instead of VALIDATION.
 */
const epochMs = z.number().min(0).max(253_402_300_799_999);

/** Filters of the audit view, the export and the CLI. Text filters ignore case. */
export const auditFilterSchema = z.strictObject({
  /** From this time (inclusive, ms since the epoch). */
  from: epochMs.optional(),
  /** Until this time (exclusive). */
  to: epochMs.optional(),
  /** Part of the actor (`alice`, `@ desktop`). */
  actor: z.string().max(200).optional(),
  /** Start of the action (`alarms.` or `alarms.acknowledge`). */
  action: z.string().max(200).optional(),
  /** Part of the target. */
  target: z.string().max(200).optional(),
  /** Part of the actor, action, target or details. */
  text: z.string().max(200).optional(),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

/** A page of the audit view: newest first, `beforeSeq` continues after the last page. */
export const auditQueryRequestSchema = auditFilterSchema.extend({
  limit: z.number().int().min(1).max(1000).default(100),
  /** Only entries older than this one (the previous page's `nextBeforeSeq`). */
  beforeSeq: z.number().int().positive().optional(),
});
export type AuditQuery = z.output<typeof auditQueryRequestSchema>;

export const auditQueryResponseSchema = z.strictObject({
  entries: z.array(auditRecordSchema),
  /** Pass as `beforeSeq` for the next (older) page; null when this was the last. */
  nextBeforeSeq: z.number().int().positive().nullable(),
});
export type AuditPage = z.infer<typeof auditQueryResponseSchema>;

/**
 * How an entry was tampered with: `modified` (its content no longer matches its hash, or the next
 * entry's link), `inserted` (an entry the chain or the anchors do not account for), `removed` (a
 * gap in the sequence), `truncated` (entries anchored earlier are gone from the end),
 * `anchor-mismatch` (the chain holds together but differs from what was anchored: rewritten).
 */
export const AUDIT_PROBLEM_KINDS = [
  'modified',
  'inserted',
  'removed',
  'truncated',
  'anchor-mismatch',
] as const;
export const auditProblemKindSchema = z.enum(AUDIT_PROBLEM_KINDS);
export type AuditProblemKind = z.infer<typeof auditProblemKindSchema>;

export const auditProblemSchema = z.strictObject({
  kind: auditProblemKindSchema,
  /** The entry the problem is about (for `removed`, the first missing one). */
  seq: z.number().int().nonnegative(),
  /** One line, in English, naming the entry: `entry 42 was modified (stored hash ... differs)`. */
  message: z.string(),
});
export type AuditProblem = z.infer<typeof auditProblemSchema>;

/** The verdict on the whole trail: intact, or the first problem found. */
export const auditVerdictSchema = z.discriminatedUnion('ok', [
  z.strictObject({
    ok: z.literal(true),
    entries: z.number().int().nonnegative(),
    /** The newest anchor checked (null: none yet, an empty log). */
    lastAnchorSeq: z.number().int().nonnegative().nullable(),
    checkedAt: z.number(),
  }),
  z.strictObject({
    ok: z.literal(false),
    entries: z.number().int().nonnegative(),
    lastAnchorSeq: z.number().int().nonnegative().nullable(),
    checkedAt: z.number(),
    problem: auditProblemSchema,
  }),
]);
export type AuditVerdict = z.infer<typeof auditVerdictSchema>;

export const auditExportRequestSchema = auditFilterSchema.extend({
  format: z.enum(['jsonl', 'csv']).default('jsonl'),
});
export type AuditExportRequest = z.output<typeof auditExportRequestSchema>;

export const auditExportResponseSchema = z.strictObject({
  fileName: z.string(),
  text: z.string(),
  /** How many entries the file holds; `truncated` when the filter matched more than one file may. */
  entries: z.number().int().nonnegative(),
  truncated: z.boolean(),
});
export type AuditExport = z.infer<typeof auditExportResponseSchema>;

/** The most entries one export holds: narrow the period for more. */
export const AUDIT_EXPORT_MAX = 100_000;
