/**
 * The MetricStore contract (metric-store.contract.ts) against both adapters: DuckDbMetricStore in
 * a temp dir and InfluxMetricStore on a real influxd (a fresh database per test), plus what only
 * the real InfluxDB can show (its errors inside an HTTP 200, retention policies).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbMetricStore } from '../../electron/engine/adapters/duckdb/duckdb-metric-store';
import { InfluxMetricStore } from '../../electron/engine/adapters/influxdb/influx-metric-store';
import { quoteIdent } from '../../electron/engine/adapters/influxdb/influxql';
import type { MetricQuery, MetricStore } from '../../electron/engine/ports/metric-store';
import { skipReason, withSkipReason } from '../servers/common';
import type { InfluxdHandle } from '../servers/influxd';
import { INFLUXD_REQUIREMENTS, startInfluxd } from '../servers/influxd';
import { metricStoreContract } from './metric-store.contract';

function never(): AbortSignal {
  return new AbortController().signal;
}

const T = Date.UTC(2024, 0, 15, 10, 0, 0);

metricStoreContract('DuckDbMetricStore', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vigie-metrics-'));
  const store = await DuckDbMetricStore.open(join(dir, 'metrics.duckdb'));
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

const influxSkip = skipReason('influxd', INFLUXD_REQUIREMENTS);

describe.skipIf(influxSkip !== undefined)(withSkipReason('InfluxMetricStore on influxd', influxSkip), () => {
  let server: InfluxdHandle | undefined;
  let databases = 0;

  beforeAll(async () => {
    server = await startInfluxd();
  });

  afterAll(async () => {
    await server?.stop();
  });

  function url(): string {
    if (server === undefined) throw new Error('influxd did not start');
    return server.url;
  }

  /** Administrative statements (CREATE/DROP) go through POST /query, as the API requires. */
  async function admin(statement: string, database?: string): Promise<void> {
    const params = new URLSearchParams({ q: statement, ...(database === undefined ? {} : { db: database }) });
    const response = await fetch(`${url()}/query`, {
      method: 'POST',
      body: params,
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    if (response.status !== 200 || text.includes('"error"')) throw new Error(`${statement}: ${text}`);
  }

  async function freshDatabase(): Promise<string> {
    databases += 1;
    const name = `vigie_contract_${databases}`;
    await admin(`CREATE DATABASE ${quoteIdent(name)}`);
    return name;
  }

  function storeFor(
    database: string,
    extra: Partial<ConstructorParameters<typeof InfluxMetricStore>[0]> = {},
  ): InfluxMetricStore {
    return new InfluxMetricStore({ url: url(), database, timeoutMs: 10_000, maxRows: 500_000, ...extra });
  }

  metricStoreContract('InfluxMetricStore', async () => {
    const database = await freshDatabase();
    const store = storeFor(database);
    return {
      store,
      cleanup: async () => {
        await store.close();
        await admin(`DROP DATABASE ${quoteIdent(database)}`);
      },
    };
  });

  describe('InfluxMetricStore against the real server', () => {
    const stores: MetricStore[] = [];
    afterEach(async () => {
      for (const s of stores.splice(0)) await s.close();
    });

    it("surfaces an error InfluxDB returns inside an HTTP 200 as QUERY, with InfluxDB's message", async () => {
      const store = storeFor('no_such_database');
      stores.push(store);
      const query: MetricQuery = {
        measurement: 'm',
        field: 'v',
        where: [],
        groupBy: [],
        aggregation: 'mean',
        from: T,
        to: T + 60_000,
        stepMs: 10_000,
        maxRows: 1000,
      };
      await expect(store.query(query, never())).rejects.toMatchObject({
        name: 'UpstreamError',
        source: 'influxdb',
        code: 'QUERY',
        message: 'database not found: no_such_database',
      });
    });

    it('reports a type error of InfluxQL (mean of a string field) as QUERY with the server text', async () => {
      const database = await freshDatabase();
      const response = await fetch(`${url()}/write?db=${database}&precision=ms`, {
        method: 'POST',
        body: `labels name="ups-1" ${T}`,
        signal: AbortSignal.timeout(10_000),
      });
      expect(response.status).toBe(204);
      const store = storeFor(database);
      stores.push(store);
      expect(await store.fields('labels', never())).toEqual([{ name: 'name', type: 'string' }]);
      const failure = store.query(
        {
          measurement: 'labels',
          field: 'name',
          where: [],
          groupBy: [],
          aggregation: 'mean',
          from: T,
          to: T,
          stepMs: 1000,
          maxRows: 10,
        },
        never(),
      );
      await expect(failure).rejects.toMatchObject({ code: 'QUERY' });
      await expect(failure).rejects.toThrow(/mean|unsupported|string/i);
    });

    it("refuses a write InfluxDB rejects (field type conflict) as WRITE_REJECTED with the server's message", async () => {
      const database = await freshDatabase();
      await fetch(`${url()}/write?db=${database}&precision=ms`, {
        method: 'POST',
        body: `typed v="text" ${T}`,
        signal: AbortSignal.timeout(10_000),
      });
      const store = storeFor(database);
      stores.push(store);
      await expect(
        store.write([{ measurement: 'typed', tags: {}, fields: { v: 1 }, time: T + 1 }], never()),
      ).rejects.toMatchObject({
        code: 'WRITE_REJECTED',
        message: expect.stringMatching(/partial write: field type conflict/) as unknown,
      });
      await expect(
        storeFor('no_such_database').write(
          [{ measurement: 'm', tags: {}, fields: { v: 1 }, time: T }],
          never(),
        ),
      ).rejects.toMatchObject({ code: 'WRITE_REJECTED', message: 'database not found: "no_such_database"' });
    });

    it('writes to and reads from the retention policy it was given', async () => {
      const database = await freshDatabase();
      await admin(`CREATE RETENTION POLICY "short" ON ${quoteIdent(database)} DURATION 1000d REPLICATION 1`);
      const inPolicy = storeFor(database, { retentionPolicy: 'short' });
      const inDefault = storeFor(database);
      stores.push(inPolicy, inDefault);
      await inPolicy.write(
        [{ measurement: 'm', tags: {}, fields: { v: 42 }, time: Date.now() - 60_000 }],
        never(),
      );
      const query: MetricQuery = {
        measurement: 'm',
        field: 'v',
        where: [],
        groupBy: [],
        aggregation: 'raw',
        from: Date.now() - 3_600_000,
        to: Date.now(),
        stepMs: 1000,
        maxRows: 10,
      };
      const read = await inPolicy.query(query, never());
      expect(read.queryText).toContain('FROM "short"."m"');
      expect(read.series[0]?.values).toEqual([42]);
      expect((await inDefault.query(query, never())).series).toEqual([]);
    });

    it('answers ping with the server version from X-Influxdb-Version', async () => {
      const store = storeFor('any');
      stores.push(store);
      expect((await store.ping(never())).version).toMatch(/^1\.6\./);
    });
  });
});
