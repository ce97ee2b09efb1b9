/**
 * The pure part of the tamper-evident audit trail (issue 6): the canonical form of an entry, its
 * SHA-256 hash, and the verification of a sequence of entries against itself and against the
 * anchors kept beside the store.
 *
 * Each entry's hash covers its seq, the previous entry's hash and every field in a fixed order
 * (details with sorted keys), so changing, inserting or removing an entry breaks the chain from
 * there on. A chain alone cannot see its own tail cut off, nor a log rewritten wholesale with
 * fresh hashes: the anchors (`{seq, hash, at}` lines appended to a file after each entry) can.
 * Someone able to rewrite both the database and the anchor file consistently is not caught here;
 * copies of the anchors kept elsewhere would be (a later issue).
 */
import { createHash } from 'node:crypto';
import type { AuditProblem, AuditRecord, AuditVerdict } from '../../../../shared/api/audit';
import type { AuditEntry } from '../../ports/audit-log';

/** The previous hash of entry 1. */
export const GENESIS_HASH = '0'.repeat(64);

/** Names the format of the canonical form, so a later format can coexist with this one. */
const CANONICAL_VERSION = 'vigie-audit/1';

/** One line of `audit-anchors.jsonl`: the chain's head as it stood when written. */
export interface AuditAnchor {
  readonly seq: number;
  readonly hash: string;
  readonly at: number;
}

type Details = AuditEntry['details'];

function sortedDetails(details: Details): Record<string, Details[string]> {
  const out: Record<string, Details[string]> = {};
  for (const key of Object.keys(details).sort()) {
    const value = details[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** The details as stored: JSON with sorted keys (so the text itself is canonical). */
export function canonicalDetails(details: Details): string {
  return JSON.stringify(sortedDetails(details));
}

/**
 * The text an entry's hash is computed over: a JSON array in a fixed order, the format's
 * version first, then seq and the previous hash, then the fields; details with sorted keys.
 */
export function canonicalAuditText(entry: AuditEntry, seq: number, prevHash: string): string {
  return JSON.stringify([
    CANONICAL_VERSION,
    seq,
    prevHash,
    entry.at,
    entry.actor,
    entry.role,
    entry.action,
    entry.target,
    sortedDetails(entry.details),
  ]);
}

export function auditHash(entry: AuditEntry, seq: number, prevHash: string): string {
  return createHash('sha256')
    .update(canonicalAuditText(entry, seq, prevHash), 'utf8')
    .digest('hex');
}

/** Detail keys whose value is a secret: stored as `[redacted]`, whatever a caller passes. */
const SECRET_KEY = /(password|passphrase|secret|token|privatekey|community|credential|apikey)$/i;
export const REDACTED = '[redacted]';

/**
 * The entry as it is stored and hashed: the time in whole milliseconds, details with secrets
 * redacted (a last guard: services already put none there).
 */
export function normaliseAuditEntry(entry: AuditEntry): AuditEntry {
  const details: Record<string, Details[string]> = {};
  for (const [key, value] of Object.entries(entry.details)) {
    if (value === undefined) continue;
    details[key] = SECRET_KEY.test(key) && value !== null ? REDACTED : value;
  }
  return { ...entry, at: Math.round(entry.at), details };
}

/** The next entry of a chain whose head is `head` (null: an empty chain). */
export function chainEntry(entry: AuditEntry, head: { seq: number; hash: string } | null): AuditRecord {
  const normal = normaliseAuditEntry(entry);
  const seq = (head?.seq ?? 0) + 1;
  const prevHash = head?.hash ?? GENESIS_HASH;
  return {
    seq,
    at: normal.at,
    actor: normal.actor,
    role: normal.role,
    action: normal.action,
    target: normal.target,
    details: { ...normal.details },
    prevHash,
    hash: auditHash(normal, seq, prevHash),
  };
}

/** The anchors in a file's text; a torn or foreign line is skipped (an anchor only adds checks). */
export function parseAnchors(text: string): AuditAnchor[] {
  const anchors: AuditAnchor[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof raw !== 'object' || raw === null) continue;
    const { seq, hash, at } = raw as Record<string, unknown>;
    if (
      typeof seq === 'number' &&
      Number.isInteger(seq) &&
      seq >= 0 &&
      typeof hash === 'string' &&
      /^[0-9a-f]{64}$/.test(hash) &&
      typeof at === 'number'
    )
      anchors.push({ seq, hash, at });
  }
  return anchors;
}

export function anchorLine(anchor: AuditAnchor): string {
  return `${JSON.stringify({ seq: anchor.seq, hash: anchor.hash, at: anchor.at })}\n`;
}

const short = (hash: string): string => `${hash.slice(0, 12)}…`;

/** How far up a renumbered entry's original seq is looked for. */
const RENUMBER_SEARCH = 1000;

/** The seq the entry's hash was computed with, when it is a little above the stored one. */
function originalSeq(entry: AuditRecord): number | null {
  for (let seq = entry.seq + 1; seq <= entry.seq + RENUMBER_SEARCH; seq++)
    if (auditHash(entry, seq, entry.prevHash) === entry.hash) return seq;
  return null;
}

/**
 * Verifies `entries` (as stored, in any order) against their own chain and every anchor, and
 * returns the first problem in chain order, naming its entry. Every entry must be covered by an
 * anchor (they are written after each append): one past the last anchor was not written by the
 * engine, or the engine stopped between writing it and anchoring it; either way it is reported.
 */
export function verifyAuditChain(
  stored: readonly AuditRecord[],
  anchors: readonly AuditAnchor[],
  checkedAt: number,
): AuditVerdict {
  const entries = [...stored].sort((a, b) => a.seq - b.seq);
  const lastAnchor = anchors.reduce<AuditAnchor | null>(
    (m, a) => (m === null || a.seq > m.seq ? a : m),
    null,
  );
  const lastAnchorSeq = lastAnchor?.seq ?? null;
  const fail = (problem: AuditProblem): AuditVerdict => ({
    ok: false,
    entries: entries.length,
    lastAnchorSeq,
    checkedAt,
    problem,
  });
  const anchorsBySeq = new Map<number, AuditAnchor[]>();
  for (const a of anchors) anchorsBySeq.set(a.seq, [...(anchorsBySeq.get(a.seq) ?? []), a]);

  if (entries.length > 0 && lastAnchor === null)
    return fail({
      kind: 'anchor-mismatch',
      seq: entries[0]?.seq ?? 1,
      message: `no anchor covers the log (${entries.length} entries): the anchor file is missing or was emptied`,
    });

  let previous: AuditRecord | null = null;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    const next = entries[i + 1];
    const expectedSeq = (previous?.seq ?? 0) + 1;
    const expectedPrev = previous?.hash ?? GENESIS_HASH;
    if (entry.seq < expectedSeq)
      return fail({
        kind: 'inserted',
        seq: entry.seq,
        message: `entry ${entry.seq} was inserted (a second entry with seq ${entry.seq})`,
      });
    if (entry.seq > expectedSeq) {
      const gap = entry.seq - expectedSeq;
      return fail({
        kind: 'removed',
        seq: expectedSeq,
        message:
          gap === 1
            ? `entry ${expectedSeq} is missing (seq ${expectedSeq - 1} then ${entry.seq})`
            : `entries ${expectedSeq} to ${entry.seq - 1} are missing (seq ${expectedSeq - 1} then ${entry.seq})`,
      });
    }
    if (lastAnchor !== null && entry.seq > lastAnchor.seq)
      return fail({
        kind: 'inserted',
        seq: entry.seq,
        message: `entry ${entry.seq} was inserted (written after the last anchor, seq ${lastAnchor.seq}, and never anchored)`,
      });
    // The entry after this one links to the one before it: this one was spliced in (and those
    // after it renumbered).
    if (next !== undefined && next.prevHash === expectedPrev && entry.hash !== expectedPrev)
      return fail({
        kind: 'inserted',
        seq: entry.seq,
        message: `entry ${entry.seq} was inserted (entry ${next.seq} links to entry ${entry.seq - 1})`,
      });
    const recomputed = auditHash(entry, entry.seq, entry.prevHash);
    if (recomputed !== entry.hash) {
      // Entries removed and those after renumbered to close the gap: the hash still holds the
      // entry's original seq.
      const original = originalSeq(entry);
      if (original !== null && entry.prevHash !== expectedPrev)
        return fail({
          kind: 'removed',
          seq: expectedSeq,
          message: `entry ${expectedSeq} is missing (the entry stored as ${entry.seq} was entry ${original}: the ones after were renumbered)`,
        });
      return fail({
        kind: 'modified',
        seq: entry.seq,
        message: `entry ${entry.seq} was modified (stored hash ${short(entry.hash)} differs from its content's ${short(recomputed)})`,
      });
    }
    if (entry.prevHash !== expectedPrev)
      // Self-consistent, yet not linked to the entry before: that one was changed and re-hashed.
      return fail({
        kind: 'modified',
        seq: expectedSeq - 1,
        message: `entry ${expectedSeq - 1} was modified (its hash ${short(expectedPrev)} is not the one entry ${entry.seq} recorded, ${short(entry.prevHash)})`,
      });
    // Changed and re-hashed: the next entry still records the hash it had.
    if (
      next !== undefined &&
      next.seq === entry.seq + 1 &&
      next.prevHash !== entry.hash &&
      auditHash(next, next.seq, next.prevHash) === next.hash
    )
      return fail({
        kind: 'modified',
        seq: entry.seq,
        message: `entry ${entry.seq} was modified (its hash ${short(entry.hash)} is not the one entry ${next.seq} recorded, ${short(next.prevHash)})`,
      });
    for (const anchor of anchorsBySeq.get(entry.seq) ?? [])
      if (anchor.hash !== entry.hash)
        return fail({
          kind: 'anchor-mismatch',
          seq: entry.seq,
          message: `entry ${entry.seq} differs from its anchor of ${new Date(anchor.at).toISOString()} (hash ${short(entry.hash)}, anchored ${short(anchor.hash)}): the log was rewritten`,
        });
    previous = entry;
  }
  const lastSeq = previous?.seq ?? 0;
  if (lastAnchor !== null && lastAnchor.seq > lastSeq)
    return fail({
      kind: 'truncated',
      seq: lastSeq + 1,
      message:
        lastAnchor.seq === lastSeq + 1
          ? `entry ${lastSeq + 1} is missing from the end (the log stops at ${lastSeq}; entry ${lastAnchor.seq} was anchored)`
          : `entries ${lastSeq + 1} to ${lastAnchor.seq} are missing from the end (the log stops at ${lastSeq}; entry ${lastAnchor.seq} was anchored)`,
    });
  return { ok: true, entries: entries.length, lastAnchorSeq, checkedAt };
}
