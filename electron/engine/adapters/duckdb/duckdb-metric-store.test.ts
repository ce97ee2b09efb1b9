/**
 * What only the embedded store has: a file that survives a reopen, a lock held by another process.
 * Its query semantics are the MetricStore contract's (test/integration/metric-store.contract.ts),
 * run against it and a real influxd.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DuckDbMetricStore } from './duckdb-metric-store';
import { holdDuckDbFile } from './test-support/hold-file';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function tempFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'vigie-duck-metrics-'));
  dirs.push(dir);
  return join(dir, 'nested', 'metrics.duckdb');
}

function never(): AbortSignal {
  return new AbortController().signal;
}

const T = Date.UTC(2024, 0, 15, 10);

describe('DuckDbMetricStore', () => {
  it('keeps points, series, tags and fields across a reopen', async () => {
    const file = await tempFile();
    const store = await DuckDbMetricStore.open(file);
    await store.write(
      [
        {
          measurement: 'vigie',
          tags: { source: 'a-ups-1', zone: 'a' },
          fields: { load: 41.5, charge: 97 },
          time: T,
        },
        { measurement: 'vigie', tags: { source: '__proto__' }, fields: { load: 1 }, time: T },
      ],
      never(),
    );
    await store.close();
    const again = await DuckDbMetricStore.open(file);
    try {
      expect(await again.measurements(never())).toEqual(['vigie']);
      expect(await again.tagKeys('vigie', never())).toEqual(['source', 'zone']);
      expect(await again.tagValues('vigie', 'source', never())).toEqual(['__proto__', 'a-ups-1']);
      expect(await again.fields('vigie', never())).toEqual([
        { name: 'charge', type: 'float' },
        { name: 'load', type: 'float' },
      ]);
      // A point written after the reopen joins the series found on disk rather than a new one.
      await again.write(
        [{ measurement: 'vigie', tags: { zone: 'a', source: 'a-ups-1' }, fields: { load: 42 }, time: T + 1 }],
        never(),
      );
      const result = await again.query(
        {
          measurement: 'vigie',
          field: 'load',
          where: [],
          groupBy: ['source'],
          aggregation: 'raw',
          from: T,
          to: T + 1,
          stepMs: 1,
          maxRows: 10,
        },
        never(),
      );
      expect(result.series).toEqual([
        { tags: { source: '__proto__' }, times: [T], values: [1] },
        { tags: { source: 'a-ups-1' }, times: [T, T + 1], values: [41.5, 42] },
      ]);
    } finally {
      await again.close();
    }
  });

  it('binds every value: the SQL it reports holds no caller text', async () => {
    const store = await DuckDbMetricStore.open(':memory:');
    try {
      const hostile = "x'); DROP TABLE metric_points; --";
      await store.write(
        [{ measurement: hostile, tags: { k: hostile }, fields: { [hostile]: 1 }, time: T }],
        never(),
      );
      const result = await store.query(
        {
          measurement: hostile,
          field: hostile,
          where: [{ key: 'k', op: '=', value: hostile }],
          groupBy: [],
          aggregation: 'mean',
          from: T,
          to: T,
          stepMs: 1000,
          maxRows: 10,
        },
        never(),
      );
      expect(result.series).toEqual([{ tags: {}, times: [T], values: [1] }]);
      const [sql = '', params = ''] = result.queryText.split('\n-- ');
      expect(sql).toContain('metric_points');
      expect(sql).not.toContain(hostile);
      expect(JSON.parse(params)).toMatchObject({ measurement: hostile, field: hostile, step: 1000 });
    } finally {
      await store.close();
    }
  });

  it('reports ping as the embedded DuckDB version', async () => {
    const store = await DuckDbMetricStore.open(':memory:');
    try {
      expect((await store.ping(never())).version).toMatch(/^embedded DuckDB \d+\.\d+\.\d+/);
    } finally {
      await store.close();
    }
  });

  it('refuses a file another process holds, as LOCKED', async () => {
    const file = await tempFile();
    const store = await DuckDbMetricStore.open(file);
    await store.close();
    const release = await holdDuckDbFile(file);
    try {
      await expect(DuckDbMetricStore.open(file)).rejects.toMatchObject({
        name: 'UpstreamError',
        code: 'LOCKED',
        message: expect.stringContaining(file) as unknown,
      });
    } finally {
      await release();
    }
  });
});
