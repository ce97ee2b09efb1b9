import { describe, expect, it } from 'vitest';
import type { AuditFilter, AuditQuery, AuditRecord } from '../../../../shared/api/audit';
import type { AuditEntry, AuditTrail } from '../../ports/audit-log';
import { testContext } from '../../test-support/call-context';
import { chainEntry, verifyAuditChain } from './audit-chain';
import { auditHandlers } from './audit-handlers';

/** An audit trail in memory, chained as the store chains it. */
class MemoryTrail implements AuditTrail {
  readonly records: AuditRecord[] = [];
  append(entry: AuditEntry): Promise<void> {
    this.records.push(chainEntry(entry, this.records.at(-1) ?? null));
    return Promise.resolve();
  }
  list(limit: number): Promise<AuditEntry[]> {
    return Promise.resolve([...this.records].reverse().slice(0, limit));
  }
  private match(f: AuditFilter): AuditRecord[] {
    return this.records.filter(
      (r) =>
        (f.action === undefined || r.action.startsWith(f.action)) &&
        (f.actor === undefined || r.actor.includes(f.actor)),
    );
  }
  query(q: AuditQuery) {
    const entries = this.match(q)
      .filter((r) => q.beforeSeq === undefined || r.seq < q.beforeSeq)
      .reverse();
    return Promise.resolve({ entries: entries.slice(0, q.limit), nextBeforeSeq: null });
  }
  exportEntries(filter: AuditFilter, max: number) {
    const entries = this.match(filter);
    return Promise.resolve({ entries: entries.slice(0, max), truncated: entries.length > max });
  }
  verify() {
    const last = this.records.at(-1);
    return Promise.resolve(
      verifyAuditChain(this.records, last ? [{ seq: last.seq, hash: last.hash, at: 0 }] : [], 5),
    );
  }
}

function setup() {
  let now = 1_000_000;
  const trail = new MemoryTrail();
  const handlers = auditHandlers({
    trail,
    clock: { now: () => now, setTimeout: () => () => undefined },
  });
  return { trail, handlers, advance: (ms: number) => void (now += ms) };
}

const admin = testContext(['admin'], 'ws#1', 'carol');

describe('audit handlers', () => {
  it('record a read of the trail before it happens, with its filters, once per seat per minute of paging', async () => {
    const { trail, handlers, advance } = setup();
    await trail.append({
      at: 1,
      actor: 'x',
      role: 'operator',
      action: 'alarms.acknowledge',
      target: 'a',
      details: {},
    });
    const first = await handlers['audit.query']({ limit: 10, action: 'alarms.' }, admin);
    expect(first.entries.map((e) => e.action)).toEqual(['alarms.acknowledge']);
    expect(trail.records.at(-1)).toMatchObject({
      action: 'audit.query',
      actor: 'carol @ ws#1',
      role: 'admin',
      target: 'audit',
      details: { action: 'alarms.' },
    });
    advance(30_000);
    await handlers['audit.query']({ limit: 10, beforeSeq: 2 }, admin);
    expect(trail.records.filter((r) => r.action === 'audit.query')).toHaveLength(1);
    // Another seat of the same person, and the same seat a minute later: each recorded.
    await handlers['audit.query']({ limit: 10 }, testContext(['admin'], 'desktop', 'carol'));
    advance(30_000);
    await handlers['audit.query']({ limit: 10 }, admin);
    expect(trail.records.filter((r) => r.action === 'audit.query').map((r) => r.actor)).toEqual([
      'carol @ ws#1',
      'carol @ desktop',
      'carol @ ws#1',
    ]);
  });

  it('record every verification and export, and export in the format asked', async () => {
    const { trail, handlers } = setup();
    await trail.append({
      at: 1,
      actor: '=cmd|x',
      role: 'operator',
      action: 'alarms.resolve',
      target: 'a,b',
      details: { n: 1 },
    });
    const verdict = await handlers['audit.verify']({}, admin);
    expect(verdict).toMatchObject({ ok: true, entries: 2 });
    const csv = await handlers['audit.export']({ format: 'csv', actor: 'cmd' }, admin);
    expect(csv.fileName).toMatch(/^vigie-audit-\d{8}-\d{6}Z\.csv$/);
    expect(csv.text.split('\r\n')[0]).toBe('seq,at,actor,role,action,target,details,prev_hash,hash');
    expect(csv.text).toContain(
      `1,1970-01-01T00:00:00.001Z,'=cmd|x,operator,alarms.resolve,"a,b","{""n"":1}",`,
    );
    const jsonl = await handlers['audit.export']({ format: 'jsonl' }, admin);
    const lines = jsonl.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.action)).toEqual([
      'alarms.resolve',
      'audit.verify',
      'audit.export',
      'audit.export',
    ]);
    expect(trail.records.at(-1)).toMatchObject({ action: 'audit.export', details: { format: 'jsonl' } });
    expect(jsonl).toMatchObject({ entries: 4, truncated: false });
  });
});
