/**
 * InfluxMetricStore against small local HTTP(S) servers that answer as InfluxDB does (bodies
 * recorded from influxd 1.6.7 in test/fixtures/influx) or misbehave on purpose: what a real
 * influxd cannot be made to do on demand (truncate, refuse credentials, hang, flood). The
 * contract suite covers the real server (test/integration/metric-store.int.test.ts).
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { MetricQuery } from '../../ports/metric-store';
import type { InfluxMetricStoreOptions } from './influx-metric-store';
import { InfluxMetricStore } from './influx-metric-store';

const fixtures = new URL('../../../../test/fixtures/influx/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, fixtures), 'utf8');

/** The recorded partial answer with its `partial` flag removed: a complete answer of the same shape. */
function complete(): string {
  const body = JSON.parse(fixture('partial-series.json')) as {
    results: { series: { partial?: boolean }[] }[];
  };
  for (const result of body.results) for (const series of result.series) delete series.partial;
  return JSON.stringify(body);
}

interface Received {
  readonly method: string;
  readonly url: URL;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

type Handler = (req: Received, res: http.ServerResponse) => void;

interface FakeServer {
  readonly url: string;
  readonly received: Received[];
  /** Resolves when the next request has been read. */
  nextRequest(): Promise<Received>;
}

const servers: (http.Server | https.Server)[] = [];
const stores: InfluxMetricStore[] = [];

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

async function fakeInflux(handler: Handler, tls?: { key: string; cert: string }): Promise<FakeServer> {
  const received: Received[] = [];
  const waiting: ((r: Received) => void)[] = [];
  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const r: Received = {
        method: req.method ?? '',
        url: new URL(req.url ?? '/', 'http://fake'),
        headers: req.headers,
        body,
      };
      received.push(r);
      waiting.shift()?.(r);
      handler(r, res);
    });
  };
  const server = tls ? https.createServer(tls, listener) : http.createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    received,
    nextRequest: () => new Promise((resolve) => waiting.push(resolve)),
  };
}

function json(
  res: http.ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body);
}

function storeAt(url: string, options: Partial<InfluxMetricStoreOptions> = {}): InfluxMetricStore {
  const store = new InfluxMetricStore({
    url,
    database: 'vigie',
    timeoutMs: 5_000,
    maxRows: 10_000,
    ...options,
  });
  stores.push(store);
  return store;
}

function never(): AbortSignal {
  return new AbortController().signal;
}

const QUERY: MetricQuery = {
  measurement: 'm',
  field: 'f',
  where: [],
  groupBy: ['k'],
  aggregation: 'raw',
  from: 0,
  to: 10_000,
  stepMs: 1000,
  maxRows: 1000,
};

describe('InfluxMetricStore over HTTP', () => {
  it('asks /query with db, epoch=ms and the InfluxQL it reports as queryText', async () => {
    const server = await fakeInflux((_req, res) => json(res, 200, complete()));
    const result = await storeAt(server.url).query(QUERY, never());
    const [req] = server.received;
    expect(req?.method).toBe('GET');
    expect(req?.url.pathname).toBe('/query');
    expect(req?.url.searchParams.get('db')).toBe('vigie');
    expect(req?.url.searchParams.get('epoch')).toBe('ms');
    expect(req?.url.searchParams.get('q')).toBe(result.queryText);
    expect(result).toMatchObject({ truncated: false, series: [{ tags: { k: 'a' } }, { tags: { k: 'b' } }] });
  });

  it('reports a result InfluxDB marked partial (max-row-limit) as truncated', async () => {
    const server = await fakeInflux((_req, res) => json(res, 200, fixture('partial-series.json')));
    const result = await storeAt(server.url).query(QUERY, never());
    expect(result.truncated).toBe(true);
    expect(result.series.map((s) => s.values)).toEqual([[1, 2], [3]]);
  });

  it('asks m4 as one statement and reports a partial m4 answer as truncated', async () => {
    const body = (partial: boolean): string =>
      JSON.stringify({
        results: [
          {
            statement_id: 0,
            series: [
              {
                name: 'm',
                tags: { k: 'a' },
                columns: ['time', 'first', 'min', 'max', 'last'],
                values: [
                  [500, 2, 1, 3, 1],
                  [1500, null, null, null, null],
                ],
                ...(partial ? { partial: true } : {}),
              },
            ],
          },
        ],
      });
    let partial = false;
    const server = await fakeInflux((_req, res) => json(res, 200, body(partial)));
    const { aggregation: _raw, ...m4 } = QUERY;
    const result = await storeAt(server.url).queryM4({ ...m4, offsetMs: 500 }, never());
    expect(server.received[0]?.url.searchParams.get('q')).toBe(result.queryText);
    expect(result.queryText).toMatch(
      /^SELECT first\("f"::field\), min\("f"::field\), max\("f"::field\), last\("f"::field\) .* GROUP BY time\(1000ms, 500ms\), "k" fill\(null\)$/,
    );
    expect(result).toEqual({
      truncated: false,
      queryText: result.queryText,
      series: [
        {
          tags: { k: 'a' },
          times: [500, 1500],
          first: [2, null],
          min: [1, null],
          max: [3, null],
          last: [1, null],
        },
      ],
    });
    partial = true;
    expect((await storeAt(server.url).queryM4(m4, never())).truncated).toBe(true);
  });

  it("raises an error inside an HTTP 200 as QUERY with InfluxDB's message", async () => {
    const server = await fakeInflux((_req, res) => json(res, 200, fixture('error-in-200.json')));
    await expect(storeAt(server.url).query(QUERY, never())).rejects.toMatchObject({
      name: 'UpstreamError',
      source: 'influxdb',
      code: 'QUERY',
      message: 'database not found: nodb',
    });
  });

  it("raises a refused query (HTTP 400) as QUERY with InfluxDB's message", async () => {
    const server = await fakeInflux((_req, res) => json(res, 400, fixture('parse-error-400.json')));
    await expect(storeAt(server.url).measurements(never())).rejects.toMatchObject({
      code: 'QUERY',
      message: expect.stringMatching(/^error parsing query/) as unknown,
    });
  });

  it('sends Basic credentials and raises 401 as AUTH', async () => {
    const server = await fakeInflux((_req, res) =>
      json(res, 401, fixture('auth-failed.json'), { 'www-authenticate': 'Basic realm="InfluxDB"' }),
    );
    const store = storeAt(server.url, { username: 'vigie', password: 'p:ss wörd' });
    await expect(store.query(QUERY, never())).rejects.toMatchObject({
      code: 'AUTH',
      message: expect.stringContaining('authorization failed') as unknown,
    });
    await expect(
      store.write([{ measurement: 'm', tags: {}, fields: { v: 1 }, time: 1 }], never()),
    ).rejects.toMatchObject({
      code: 'AUTH',
    });
    const auth = server.received[0]?.headers.authorization ?? '';
    expect(Buffer.from(auth.replace(/^Basic /, ''), 'base64').toString('utf8')).toBe('vigie:p:ss wörd');
    // Never in the URL, where access logs would keep it.
    expect(server.received.every((r) => !r.url.searchParams.has('u') && !r.url.searchParams.has('p'))).toBe(
      true,
    );
  });

  it('sends an InfluxDB 2.x token as Authorization: Token, and 403 is AUTH', async () => {
    const server = await fakeInflux((_req, res) =>
      json(res, 403, '{"code":"forbidden","message":"insufficient permissions"}'),
    );
    await expect(storeAt(server.url, { token: 'tok-123' }).tagKeys('m', never())).rejects.toMatchObject({
      code: 'AUTH',
      message: expect.stringContaining('insufficient permissions') as unknown,
    });
    expect(server.received[0]?.headers.authorization).toBe('Token tok-123');
  });

  it('times out a server that never answers', async () => {
    const server = await fakeInflux(() => undefined);
    await expect(storeAt(server.url, { timeoutMs: 200 }).query(QUERY, never())).rejects.toMatchObject({
      code: 'TIMEOUT',
      message: expect.stringContaining('200 ms') as unknown,
    });
  });

  it('times out a server that starts answering and never finishes', async () => {
    const server = await fakeInflux((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"results":[');
    });
    await expect(storeAt(server.url, { timeoutMs: 200 }).measurements(never())).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
  });

  it("stops at once, as ABORTED, when the caller's signal aborts", async () => {
    const server = await fakeInflux(() => undefined);
    const controller = new AbortController();
    const pending = storeAt(server.url, { timeoutMs: 60_000 }).query(QUERY, controller.signal);
    await server.nextRequest();
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('reports a closed port as UNREACHABLE', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer();
      probe.listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    await expect(storeAt(`http://127.0.0.1:${port}`).ping(never())).rejects.toMatchObject({
      code: 'UNREACHABLE',
      message: expect.stringContaining('ECONNREFUSED') as unknown,
    });
  });

  it('reports an unknown host as UNREACHABLE', async () => {
    // .invalid never resolves (RFC 2606).
    await expect(storeAt('http://influx.invalid:8086').ping(never())).rejects.toMatchObject({
      code: 'UNREACHABLE',
    });
  });

  it('refuses an answer larger than the cap, announced or streamed, as TOO_LARGE', async () => {
    const big = `{"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","f"],"values":[${Array.from(
      { length: 5_000 },
      (_, i) => `[${i},${i}]`,
    ).join(',')}]}]}]}`;
    const announced = await fakeInflux((_req, res) =>
      json(res, 200, big, { 'content-length': String(Buffer.byteLength(big)) }),
    );
    await expect(
      storeAt(announced.url, { maxResponseBytes: 10_000 }).query(QUERY, never()),
    ).rejects.toMatchObject({
      code: 'TOO_LARGE',
    });
    const streamed = await fakeInflux((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      // Chunked, no length: the cap counts as the bytes arrive.
      for (let i = 0; i < big.length; i += 1000) res.write(big.slice(i, i + 1000));
      res.end();
    });
    await expect(
      storeAt(streamed.url, { maxResponseBytes: 10_000 }).query(QUERY, never()),
    ).rejects.toMatchObject({
      code: 'TOO_LARGE',
    });
    // Under the cap the same answer is read, then cut at the query's maxRows (1,000).
    const read = await storeAt(streamed.url, { maxResponseBytes: 1_000_000 }).query(QUERY, never());
    expect(read.truncated).toBe(true);
    expect(read.series[0]?.times).toHaveLength(1_000);
  });

  it('cuts at the store maxRows across series and says so', async () => {
    const server = await fakeInflux((_req, res) => json(res, 200, complete()));
    const result = await storeAt(server.url, { maxRows: 2 }).query(QUERY, never());
    expect(result).toMatchObject({ truncated: true, series: [{ values: [1, 2] }] });
    expect(result.series).toHaveLength(1);
  });

  it('reports a 5xx as UNAVAILABLE', async () => {
    const server = await fakeInflux((_req, res) =>
      res.writeHead(503).end('<html>Service Unavailable</html>'),
    );
    await expect(storeAt(server.url).measurements(never())).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('503') as unknown,
    });
  });

  it('reports a non-JSON 200 as BAD_RESPONSE', async () => {
    const server = await fakeInflux((_req, res) => res.writeHead(200).end('<html>captive portal</html>'));
    await expect(storeAt(server.url).measurements(never())).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });
});

describe('InfluxMetricStore writes', () => {
  it('posts line protocol in batches of at most 5,000 lines with precision=ms, db and rp', async () => {
    const server = await fakeInflux((_req, res) => res.writeHead(204).end());
    const points = Array.from({ length: 12_001 }, (_, i) => ({
      measurement: 'vigie',
      tags: { source: 'ups-1' },
      fields: { load: i },
      time: 1_700_000_000_000 + i,
    }));
    await storeAt(server.url, { retentionPolicy: 'one year' }).write(points, never());
    expect(server.received.map((r) => r.body.split('\n').length)).toEqual([5000, 5000, 2001]);
    const [first] = server.received;
    expect(first?.method).toBe('POST');
    expect(first?.url.pathname).toBe('/write');
    expect(Object.fromEntries(first?.url.searchParams ?? [])).toEqual({
      db: 'vigie',
      precision: 'ms',
      rp: 'one year',
    });
    expect(first?.body.split('\n')[0]).toBe('vigie,source=ups-1 load=0 1700000000000');
  });

  it("raises InfluxDB's partial write (HTTP 400) as WRITE_REJECTED with its message", async () => {
    const server = await fakeInflux((_req, res) => json(res, 400, fixture('write-partial-400.json')));
    await expect(
      storeAt(server.url).write([{ measurement: 'm', tags: {}, fields: { f: 1 }, time: 1 }], never()),
    ).rejects.toMatchObject({
      code: 'WRITE_REJECTED',
      message: expect.stringMatching(/^partial write: field type conflict/) as unknown,
    });
  });

  it('sends nothing for points InfluxDB could not store, nor for points without values', async () => {
    const server = await fakeInflux((_req, res) => res.writeHead(204).end());
    const store = storeAt(server.url);
    await expect(
      store.write(
        [
          { measurement: 'm', tags: {}, fields: { f: 1 }, time: 1 },
          { measurement: 'm', tags: { k: 'line\nbreak' }, fields: { f: 1 }, time: 2 },
        ],
        never(),
      ),
    ).rejects.toMatchObject({
      code: 'WRITE_REJECTED',
      message: expect.stringContaining('point 1') as unknown,
    });
    await store.write([{ measurement: 'm', tags: {}, fields: { f: null }, time: 1 }], never());
    expect(server.received).toEqual([]);
  });
});

describe('InfluxMetricStore ping and TLS', () => {
  const tls = {
    key: fixture('tls/server-key.pem'),
    cert: fixture('tls/server.pem'),
  };

  it("answers the version header and the server's Date", async () => {
    const server = await fakeInflux((_req, res) =>
      res.writeHead(204, { 'x-influxdb-version': '1.8.10', date: 'Mon, 15 Jan 2024 10:00:00 GMT' }).end(),
    );
    expect(await storeAt(server.url).ping(never())).toEqual({
      version: '1.8.10',
      serverTime: Date.UTC(2024, 0, 15, 10),
    });
    expect(server.received[0]?.url.pathname).toBe('/ping');
  });

  it('talks TLS to a server whose certificate a private CA signed, given that CA', async () => {
    const server = await fakeInflux(
      (_req, res) => res.writeHead(204, { 'x-influxdb-version': '2.7.1' }).end(),
      tls,
    );
    expect((await storeAt(server.url, { ca: fixture('tls/ca.pem') }).ping(never())).version).toBe('2.7.1');
  });

  it('refuses that server without the CA, as TLS', async () => {
    const server = await fakeInflux((_req, res) => res.writeHead(204).end(), tls);
    await expect(storeAt(server.url).ping(never())).rejects.toMatchObject({ code: 'TLS' });
  });

  it('keeps the path of a base URL behind a reverse proxy', async () => {
    const server = await fakeInflux((_req, res) => res.writeHead(204).end());
    await storeAt(`${server.url}/influx`).ping(never());
    expect(server.received[0]?.url.pathname).toBe('/influx/ping');
  });

  it('refuses contradictory options', () => {
    expect(() => storeAt('ftp://x', {})).toThrow(/http or https/);
    expect(() => storeAt('http://u:p@x', {})).toThrow(/credentials/);
    expect(() => storeAt('http://x', { token: 't', username: 'u' })).toThrow(/either/);
  });
});
