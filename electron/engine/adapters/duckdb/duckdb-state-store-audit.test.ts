import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../ports/audit-log';
import type { Logger } from '../../ports/logger';
import { GENESIS_HASH, parseAnchors } from '../../services/audit/audit-chain';
import { auditAnchorsPath, DuckDbStateStore } from './duckdb-state-store';
import { holdDuckDbFile } from './test-support/hold-file';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function tempFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'vigie-audit-'));
  dirs.push(dir);
  return join(dir, 'state.duckdb');
}

const entry = (n: number, over: Partial<AuditEntry> = {}): AuditEntry => ({
  at: 1_700_000_000_000 + n * 60_000,
  actor: n % 2 === 0 ? `alice @ ws#${n}` : 'bob @ desktop',
  role: 'operator',
  action: n % 3 === 0 ? 'estate.runScenario' : 'alarms.acknowledge',
  target: `alarm-${n}`,
  details: { comment: `note ${n}` },
  ...over,
});

/** Runs SQL on the file as someone with the file would (the store closed). */
async function tamper(file: string, sql: string): Promise<void> {
  const instance = await DuckDBInstance.create(file);
  const c = await instance.connect();
  await c.run(sql);
  c.closeSync();
  instance.closeSync();
}

function recordingLogger(lines: string[]): Logger {
  const logger: Logger = {
    info: (_obj: object, msg?: string) => void lines.push(msg ?? ''),
    warn: () => undefined,
    error: () => undefined,
    debug: () => undefined,
    child: () => logger,
  };
  return logger;
}

describe('DuckDbStateStore audit trail', () => {
  it('chains entries from 1 with the previous hash, and anchors each one on disk', async () => {
    const file = await tempFile();
    const store = await DuckDbStateStore.open(file);
    for (let n = 1; n <= 5; n++) await store.append(entry(n));
    const page = await store.query({ limit: 10 });
    expect(page.entries.map((e) => e.seq)).toEqual([5, 4, 3, 2, 1]);
    expect(page.entries.at(-1)?.prevHash).toBe(GENESIS_HASH);
    for (let i = 0; i < 4; i++) expect(page.entries[i]?.prevHash).toBe(page.entries[i + 1]?.hash);
    const anchors = parseAnchors(await readFile(auditAnchorsPath(file) ?? '', 'utf8'));
    expect(anchors.map((a) => [a.seq, a.hash])).toEqual(
      [...page.entries].reverse().map((e) => [e.seq, e.hash]),
    );
    expect(await store.verify()).toMatchObject({ ok: true, entries: 5, lastAnchorSeq: 5 });
    await store.close();
  });

  it('never forks the chain under concurrent appends', async () => {
    const store = await DuckDbStateStore.open(await tempFile());
    await Promise.all(Array.from({ length: 40 }, (_, i) => store.append(entry(i + 1))));
    const { entries } = await store.exportEntries({}, 1000);
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(new Set(entries.map((e) => e.prevHash)).size).toBe(40);
    expect(await store.verify()).toMatchObject({ ok: true, entries: 40 });
    await store.close();
  });

  it('filters by period, actor, action prefix, target and text, and pages by seq', async () => {
    const store = await DuckDbStateStore.open(':memory:');
    for (let n = 1; n <= 12; n++) await store.append(entry(n));
    await store.append(entry(13, { details: { comment: 'UPS 50% _ odd' } }));
    const seqs = async (q: Parameters<typeof store.query>[0]) =>
      (await store.query(q)).entries.map((e) => e.seq);
    expect(await seqs({ limit: 100, actor: 'ALICE' })).toEqual([12, 10, 8, 6, 4, 2]);
    expect(await seqs({ limit: 100, action: 'estate.' })).toEqual([12, 9, 6, 3]);
    expect(await seqs({ limit: 100, action: 'acknowledge' })).toEqual([]); // a prefix, not a substring
    expect(await seqs({ limit: 100, target: 'alarm-1' })).toEqual([13, 12, 11, 10, 1]);
    expect(await seqs({ limit: 100, text: 'note 7' })).toEqual([7]);
    // % and _ are text, not patterns.
    expect(await seqs({ limit: 100, text: '50% _' })).toEqual([13]);
    expect(await seqs({ limit: 100, text: '%' })).toEqual([13]);
    const t = (n: number) => entry(n).at;
    expect(await seqs({ limit: 100, from: t(3), to: t(6) })).toEqual([5, 4, 3]);
    const first = await store.query({ limit: 5 });
    expect(first.entries.map((e) => e.seq)).toEqual([13, 12, 11, 10, 9]);
    expect(first.nextBeforeSeq).toBe(9);
    const second = await store.query({ limit: 5, beforeSeq: 9 });
    expect(second.entries.map((e) => e.seq)).toEqual([8, 7, 6, 5, 4]);
    const last = await store.query({ limit: 5, beforeSeq: 4 });
    expect(last).toMatchObject({ nextBeforeSeq: null });
    expect(last.entries.map((e) => e.seq)).toEqual([3, 2, 1]);
    const exported = await store.exportEntries({ actor: 'bob' }, 3);
    expect(exported.entries.map((e) => e.seq)).toEqual([1, 3, 5]);
    expect(exported.truncated).toBe(true);
    await store.close();
  });

  it('finds a details field changed in the file and names the entry', async () => {
    const file = await tempFile();
    const store = await DuckDbStateStore.open(file);
    for (let n = 1; n <= 6; n++) await store.append(entry(n));
    await store.close();
    await tamper(file, `UPDATE audit SET details = '{"comment":"nothing happened"}' WHERE seq = 4`);
    const again = await DuckDbStateStore.openReadOnly(file);
    const verdict = await again.verify();
    expect(verdict.ok ? null : verdict.problem).toMatchObject({ kind: 'modified', seq: 4 });
    await again.close();
  });

  it('finds details replaced by text that is not JSON, even where they were empty', async () => {
    const file = await tempFile();
    const store = await DuckDbStateStore.open(file);
    await store.append(entry(1, { details: {} }));
    await store.append(entry(2));
    await store.close();
    await tamper(file, `UPDATE audit SET details = 'garbage' WHERE seq = 1`);
    const again = await DuckDbStateStore.openReadOnly(file);
    const verdict = await again.verify();
    expect(verdict.ok ? null : verdict.problem).toMatchObject({ kind: 'modified', seq: 1 });
    await again.close();
  });

  it('chains a table from before the chain at open, in seq order, and says so in the log', async () => {
    const file = await tempFile();
    // The table as the engine created it before the chain (gaps in seq are possible).
    await tamper(
      file,
      `CREATE SEQUENCE audit_seq;
       CREATE TABLE audit (seq BIGINT PRIMARY KEY DEFAULT nextval('audit_seq'), at_ms BIGINT NOT NULL,
         actor VARCHAR NOT NULL, role VARCHAR NOT NULL, action VARCHAR NOT NULL, target VARCHAR NOT NULL,
         details VARCHAR NOT NULL);
       INSERT INTO audit VALUES (3, 1000, 'desktop', 'operator', 'estate.runScenario', 'restore', '{}');
       INSERT INTO audit VALUES (7, 2000, 'ws#2', 'operator', 'alarms.acknowledge', 'a1', '{"comment":"seen"}');
       INSERT INTO audit VALUES (5, 1500, 'desktop', 'operator', 'dashboards.save', 'd1', '{"panels":2}');`,
    );
    const lines: string[] = [];
    const store = await DuckDbStateStore.open(file, { logger: recordingLogger(lines) });
    expect(lines.join('\n')).toMatch(/audit log: 3 entries recorded before the hash chain were chained/);
    await store.append(entry(9));
    const { entries } = await store.exportEntries({}, 10);
    expect(entries.map((e) => [e.seq, e.target])).toEqual([
      [1, 'restore'],
      [2, 'd1'],
      [3, 'a1'],
      [4, 'alarm-9'],
    ]);
    expect(entries[2]?.details).toEqual({ comment: 'seen' });
    expect(await store.verify()).toMatchObject({ ok: true, entries: 4, lastAnchorSeq: 4 });
    await store.close();
    // Chained once: a second open does not migrate again.
    const quiet: string[] = [];
    const again = await DuckDbStateStore.open(file, { logger: recordingLogger(quiet) });
    expect(quiet).toEqual([]);
    expect(await again.verify()).toMatchObject({ ok: true, entries: 4 });
    await again.close();
  });

  it('opens read-only without creating anything, and refuses to write', async () => {
    const file = await tempFile();
    await expect(DuckDbStateStore.openReadOnly(file)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const store = await DuckDbStateStore.open(file);
    await store.append(entry(1));
    await store.close();
    const ro = await DuckDbStateStore.openReadOnly(file);
    await expect(ro.append(entry(2))).rejects.toMatchObject({ code: 'READ_ONLY' });
    expect(await ro.verify()).toMatchObject({ ok: true, entries: 1 });
    await ro.close();
  });

  it('says LOCKED when an engine holds the file', async () => {
    const file = await tempFile();
    const store = await DuckDbStateStore.open(file);
    await store.close();
    const release = await holdDuckDbFile(file);
    try {
      await expect(DuckDbStateStore.openReadOnly(file)).rejects.toMatchObject({
        code: 'LOCKED',
        message: expect.stringContaining('held by a running Vigie engine') as unknown,
      });
    } finally {
      await release();
    }
  });

  it('finds the anchor file emptied: the log is no longer covered', async () => {
    const file = await tempFile();
    const store = await DuckDbStateStore.open(file);
    await store.append(entry(1));
    await store.close();
    await writeFile(auditAnchorsPath(file) ?? '', '');
    const ro = await DuckDbStateStore.openReadOnly(file);
    expect(await ro.verify()).toMatchObject({ ok: false, problem: { kind: 'anchor-mismatch', seq: 1 } });
    await ro.close();
  });
});
