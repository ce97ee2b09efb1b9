/**
 * English strings of the audit view (renderer/src/features/audit), merged into the catalogs by
 * en.ts: the reference set of these keys. Placeholders are `{name}`.
 */
export const auditEn = {
  'nav.audit': 'Audit',
  'shortcut.goAudit': 'Show the audit trail',
  'audit.title': 'Audit trail',
  'audit.intro':
    'Every change, and every view of protected data, recorded before it took effect; each entry carries the hash of the one before. Reading this trail is recorded too.',
  'audit.filter.from': 'From',
  'audit.filter.to': 'To',
  'audit.filter.actor': 'Who',
  'audit.filter.action': 'Action starts with',
  'audit.filter.text': 'Text',
  'audit.filter.apply': 'Apply',
  'audit.filter.clear': 'Clear',
  'audit.column.seq': '#',
  'audit.column.at': 'When',
  'audit.column.actor': 'Who',
  'audit.column.role': 'Role',
  'audit.column.action': 'Action',
  'audit.column.target': 'Target',
  'audit.column.details': 'Details',
  'audit.loading': 'Loading the audit trail…',
  'audit.failed': 'The audit trail could not be read.',
  'audit.empty': 'No entry matches these filters.',
  'audit.newer': 'Newer',
  'audit.older': 'Older',
  'audit.page': 'Entries {first} to {last}',
  'audit.verify': 'Verify chain',
  'audit.verifying': 'Verifying…',
  'audit.verify.failed': 'The chain could not be verified.',
  'audit.verify.ok': '{entries} entries, chain intact, last anchor #{anchor}',
  'audit.verify.broken': 'Tampering found: {message}',
  'audit.verify.kind.modified': 'Entry #{seq} was modified',
  'audit.verify.kind.inserted': 'Entry #{seq} was inserted',
  'audit.verify.kind.removed': 'Entry #{seq} is missing',
  'audit.verify.kind.truncated': 'Entries from #{seq} were cut from the end',
  'audit.verify.kind.anchor-mismatch': 'Entry #{seq} differs from its anchor',
  'audit.export.jsonl': 'Export (JSON lines)',
  'audit.export.csv': 'Export (CSV)',
  'audit.export.failed': 'The audit trail could not be exported.',
  'audit.export.truncated': 'Only the first {count} entries were exported: narrow the period for the rest.',
} as const;

export type AuditMessageKey = keyof typeof auditEn;
