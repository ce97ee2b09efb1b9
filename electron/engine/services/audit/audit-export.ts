/**
 * The audit trail as a file: JSON lines (one entry per line, every field, for tools and for
 * `vigie audit verify`-style checks elsewhere) or CSV (RFC 4180, for a spreadsheet). Details are
 * what services recorded, which never holds a secret (audit-chain.ts redacts any that would).
 */
import type { AuditRecord } from '../../../../shared/api/audit';
import { missingCase } from '../../../../shared/domain/missing-case';

export type AuditExportFormat = 'jsonl' | 'csv';

export const CSV_COLUMNS = [
  'seq',
  'at',
  'actor',
  'role',
  'action',
  'target',
  'details',
  'prev_hash',
  'hash',
] as const;

/** Quotes a field when RFC 4180 requires it. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Actors and targets can come from outside (a login typed at sign-in): a cell a spreadsheet could
 * run as a formula gets a leading apostrophe (https://owasp.org/www-community/attacks/CSV_Injection).
 */
function csvText(text: string): string {
  return csvField(/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
}

function jsonLine(e: AuditRecord): string {
  return JSON.stringify({
    seq: e.seq,
    at: new Date(e.at).toISOString(),
    atMs: e.at,
    actor: e.actor,
    role: e.role,
    action: e.action,
    target: e.target,
    details: e.details,
    prevHash: e.prevHash,
    hash: e.hash,
  });
}

function csvLine(e: AuditRecord): string {
  return [
    String(e.seq),
    new Date(e.at).toISOString(),
    csvText(e.actor),
    csvText(e.role),
    csvText(e.action),
    csvText(e.target),
    csvText(JSON.stringify(e.details)),
    e.prevHash,
    e.hash,
  ].join(',');
}

export function formatAuditExport(entries: readonly AuditRecord[], format: AuditExportFormat): string {
  switch (format) {
    case 'jsonl':
      return entries.map((e) => `${jsonLine(e)}\n`).join('');
    case 'csv':
      return `${[CSV_COLUMNS.join(','), ...entries.map(csvLine)].join('\r\n')}\r\n`;
    default:
      throw missingCase(format);
  }
}

/** `vigie-audit-20261123-081500Z.jsonl`, from the time of the export (UTC). */
export function auditExportFileName(now: number, format: AuditExportFormat): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `vigie-audit-${stamp}Z.${format}`;
}
