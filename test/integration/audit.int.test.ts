/**
 * The audit trail end to end (issue 6): a real engine on the training estate records real
 * actions (a drill, an alarm acknowledged, the audit read), then the real `vigie audit verify`
 * (the built CLI, as a separate process, on the DuckDB file read-only) passes on that log, and
 * fails naming the entry after the file is tampered with: a details field changed, a row
 * deleted, a row inserted with a forged hash, the last rows dropped.
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../electron/engine/config/schema';
import { startEngine, type Engine } from '../../electron/engine/engine';
import { silentLogger } from '../../electron/engine/ports/logger';
import { testContext } from '../../electron/engine/test-support/call-context';

const CLI = 'out/main/cli.js';
const operator = testContext(['operator'], 'ws#7', 'olivia');
const auditor = testContext(['admin'], 'desktop', 'adam');

let engine: Engine | null = null;
let dataDir = '';
/** A pristine copy of the training folder's store and anchors, taken once the engine stopped. */
let pristine = '';
let entriesAtStop = 0;

function runCli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, out, err }));
  });
}

/** A fresh data folder holding a copy of the pristine store: each tampering starts clean. */
async function copyOfLog(): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'vigie-audit-tamper-'));
  await mkdir(join(dir, 'training'));
  for (const name of await readdir(pristine))
    await copyFile(join(pristine, name), join(dir, 'training', name));
  return { dir, file: join(dir, 'training', 'state.duckdb') };
}

async function sql(file: string, statement: string): Promise<void> {
  const instance = await DuckDBInstance.create(file);
  const c = await instance.connect();
  try {
    await c.run(statement);
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

beforeAll(async () => {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing: run \`npm run build\` before the integration tests`);
  dataDir = await mkdtemp(join(tmpdir(), 'vigie-audit-'));
  const config = configSchema.parse({
    estate: true,
    polling: { deviceIntervalSeconds: 1, serviceIntervalSeconds: 1, timeoutMs: 1500 },
  });
  engine = await startEngine({ config, dataDir, version: 'test', logger: silentLogger });
});
afterAll(async () => {
  await engine?.stop();
  await rm(dataDir, { recursive: true, force: true });
  if (pristine) await rm(pristine, { recursive: true, force: true });
});

describe('the audit trail of a real engine', () => {
  it('records a drill and an alarm acknowledgement, by person and seat, before they take effect', async () => {
    const e = engine!;
    await e.handlers['estate.runScenario']({ id: 'zone-a-power-failure' }, operator);
    // The drill raises alarms through the real pollers; acknowledge the first one that shows.
    const deadline = Date.now() + 45_000;
    let alarmId: string | undefined;
    while (!alarmId) {
      if (Date.now() > deadline) throw new Error('no alarm raised by the drill within 45 s');
      const list = await e.handlers['alarms.list']({ limit: 1000 }, operator);
      alarmId = list.alarms.find((a) => a.active && a.state === 'outstanding')?.id;
      if (!alarmId)
        await new Promise<void>((resolve) => {
          const off = e.onEvent((event) => {
            if (event === 'alarms.changed') {
              off();
              resolve();
            }
          });
        });
    }
    await e.handlers['alarms.acknowledge'](
      { id: alarmId, comment: 'generator starting', mode: 'normal' },
      operator,
    );
    await e.handlers['estate.runScenario']({ id: 'restore' }, operator);

    const page = await e.handlers['audit.query']({ limit: 100 }, auditor);
    const actions = page.entries.map((x) => x.action);
    expect(actions).toEqual(
      expect.arrayContaining(['estate.runScenario', 'alarms.acknowledge', 'audit.query']),
    );
    expect(page.entries.find((x) => x.action === 'alarms.acknowledge')).toMatchObject({
      actor: 'olivia @ ws#7',
      role: 'operator',
      target: alarmId,
      details: expect.objectContaining({ comment: 'generator starting' }) as unknown,
    });
    // The read itself is the newest entry.
    expect(page.entries[0]).toMatchObject({ action: 'audit.query', actor: 'adam @ desktop' });
    const filtered = await e.handlers['audit.query']({ limit: 100, action: 'estate.' }, auditor);
    expect(filtered.entries.map((x) => x.target)).toEqual(['restore', 'zone-a-power-failure']);
    const verdict = await e.handlers['audit.verify']({}, auditor);
    expect(verdict).toMatchObject({ ok: true });
  });

  it('says the log is held while the engine runs, and verifies it once stopped', async () => {
    const held = await runCli(['audit', 'verify', '--data-dir', dataDir, '--training']);
    expect(held.code).toBe(1);
    expect(held.err).toMatch(/state\.duckdb is held by another process .* stop it and run this again/);

    await engine!.stop();
    engine = null;
    const ok = await runCli(['audit', 'verify', '--data-dir', dataDir, '--training']);
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
    const m = /^(\d+) entries, chain intact, last anchor seq (\d+)\n$/.exec(ok.out);
    expect(m, ok.out).not.toBeNull();
    entriesAtStop = Number(m?.[1]);
    expect(entriesAtStop).toBeGreaterThanOrEqual(5);
    expect(Number(m?.[2])).toBe(entriesAtStop);

    const exported = await runCli([
      'audit',
      'export',
      '--data-dir',
      dataDir,
      '--training',
      '--format',
      'csv',
    ]);
    expect(exported.code).toBe(0);
    const rows = exported.out.trim().split('\r\n');
    expect(rows[0]).toBe('seq,at,actor,role,action,target,details,prev_hash,hash');
    expect(rows).toHaveLength(entriesAtStop + 1);
    expect(exported.out).toContain('olivia @ ws#7');

    pristine = await mkdtemp(join(tmpdir(), 'vigie-audit-pristine-'));
    for (const name of await readdir(join(dataDir, 'training')))
      if (name.startsWith('state.duckdb') || name === 'audit-anchors.jsonl')
        await copyFile(join(dataDir, 'training', name), join(pristine, name));
  });

  it('fails naming the entry whose details were changed in the file', async () => {
    const { dir, file } = await copyOfLog();
    await sql(
      file,
      `UPDATE audit SET details = '{"comment":"nothing to see"}' WHERE action = 'alarms.acknowledge'`,
    );
    const res = await runCli(['audit', 'verify', '--data-dir', dir, '--training']);
    expect(res.code).toBe(1);
    expect(res.out).toMatch(/^entry \d+ was modified \(stored hash [0-9a-f]{12}… differs/);
    await rm(dir, { recursive: true, force: true });
  });

  it('fails naming the entry deleted from the file', async () => {
    const { dir, file } = await copyOfLog();
    await sql(file, 'DELETE FROM audit WHERE seq = 3');
    const res = await runCli(['audit', 'verify', '--data-dir', dir, '--training']);
    expect(res.code).toBe(1);
    expect(res.out).toBe('entry 3 is missing (seq 2 then 4)\n');
    await rm(dir, { recursive: true, force: true });
  });

  it('fails naming the row inserted with a forged hash', async () => {
    const { dir, file } = await copyOfLog();
    const next = entriesAtStop + 1;
    await sql(
      file,
      `INSERT INTO audit SELECT ${next}, at_ms + 1, 'root @ desktop', 'admin', 'secrets.set', 'db-password', '{}',
         hash, '${'f'.repeat(64)}' FROM audit WHERE seq = ${entriesAtStop}`,
    );
    const res = await runCli(['audit', 'verify', '--data-dir', dir, '--training']);
    expect(res.code).toBe(1);
    expect(res.out).toMatch(new RegExp(`^entry ${next} was inserted`));
    await rm(dir, { recursive: true, force: true });
  });

  it('fails naming where the log was cut when its last rows are dropped', async () => {
    const { dir, file } = await copyOfLog();
    await sql(file, `DELETE FROM audit WHERE seq > ${entriesAtStop - 2}`);
    const res = await runCli(['audit', 'verify', '--data-dir', dir, '--training']);
    expect(res.code).toBe(1);
    expect(res.out).toBe(
      `entries ${entriesAtStop - 1} to ${entriesAtStop} are missing from the end (the log stops at ${entriesAtStop - 2}; entry ${entriesAtStop} was anchored)\n`,
    );
    await rm(dir, { recursive: true, force: true });
  });
});
