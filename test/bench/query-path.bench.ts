/**
 * Query path benchmark (DESIGN.md section 9): the time from a `metrics.query` request to the frames
 * it returns, through the engine's real path (MetricsService.query over an InfluxMetricStore), for
 * the same InfluxQL against the same influxd as `curl /query?epoch=ms`, run side by side in the
 * same process, interleaved, the order rotating from round to round (the 1-day rounds first, then the
 * 30-day ones, so that the garbage of 259k-row answers is not collected inside 1-day timings).
 *
 * Data: 3 series x 30 days at 10 s (259,200 points each), measurement `vigie`, written through
 * InfluxMetricStore.write to a real influxd on loopback (test/servers/influxd.ts).
 *
 * Anchors (the issue): 1 day raw of one series, and 30 days as min/max/first/last per 11 minutes.
 * (A) A `raw` request for 1 day on a 4K-wide plot: at most 4 points per column, so the engine fetches
 * the raw points. (B) A `raw` request for 30 days on a chart of 3,927 columns (30 days / 3,927 =
 * 11 min 0.046 s per column): far more than 4 points per column, so the engine asks the store for
 * first/min/max/last per pixel column in one InfluxQL statement (MetricStore.queryM4, buckets
 * aligned on `from`) and turns the buckets into chart points (shared/domain/m4-points.ts). curl
 * runs the very InfluxQL Vigie sent (the target's "same InfluxQL"), and the anchor text
 * (`GROUP BY time(11m)`, epoch-aligned, no casts) alongside. `mean` on a 4,320-column chart is
 * timed against curl running the same mean query. curl is timed from spawn to exit (what a person running it
 * sees, process start included: the primary anchor) and by its own `%{time_total}`.
 *
 * Prints medians, p90s and the ratios; asserts nothing (timing targets are read, not enforced).
 */
import { spawn } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { InfluxHttp } from '../../electron/engine/adapters/influxdb/influx-http';
import { InfluxMetricStore } from '../../electron/engine/adapters/influxdb/influx-metric-store';
import {
  m4Series,
  numericSeries,
  parseStatementResult,
} from '../../electron/engine/adapters/influxdb/influx-response';
import { quoteIdent, quoteString } from '../../electron/engine/adapters/influxdb/influxql';
import { systemClock } from '../../electron/engine/ports/clock';
import { silentLogger } from '../../electron/engine/ports/logger';
import type { Aggregation, MetricPoint } from '../../electron/engine/ports/metric-store';
import { VIGIE_MEASUREMENT } from '../../electron/engine/ports/metric-store';
import type {
  MetricsQueryRequest,
  MetricsQueryResponse,
} from '../../electron/engine/services/metrics/metrics-service';
import { MetricsService } from '../../electron/engine/services/metrics/metrics-service';
import { decimateMinMax } from '../../shared/domain/decimate';
import { m4Buckets, m4Points } from '../../shared/domain/m4-points';
import { stepForColumns } from '../../shared/domain/query-sizing';
import type { InfluxdHandle } from '../servers/influxd';
import { startInfluxd } from '../servers/influxd';

const TARGET_RATIO = 1.1;
const WARMUP_ROUNDS = 2;
const ROUNDS = 20;
/** CPU-only stage timings on a captured answer (no server involved). */
const STAGE_ROUNDS = 15;

const DATABASE = 'vigie_bench';
const SOURCE_ID = 'influx';
const FIELD = 'latency';
const STEP_MS = 10_000;
const DAY_MS = 86_400_000;
const DAYS = 30;
/** The data ends here (exclusive); 30 days of points at 10 s before it. */
const END = Date.UTC(2024, 4, 31);
const START = END - DAYS * DAY_MS;
const POINTS_PER_SERIES = (DAYS * DAY_MS) / STEP_MS;

/** The series written; the queries read the first. */
const SERIES = [
  { source: 'a-api', zone: 'zone-a', kind: 'service', base: 42, swing: 18 },
  { source: 'b-api', zone: 'zone-b', kind: 'service', base: 55, swing: 25 },
  { source: 'c-db', zone: 'zone-a', kind: 'database', base: 8, swing: 3 },
] as const;
const QUERIED = SERIES[0].source;

/** A 4K-wide plot (`widthPx` is the plot's width in CSS pixels: 3,840 at 1x) for the 1-day raw query. */
const WIDTH_1D = 3840;
/**
 * For 30 days raw (served as m4): the width whose pixel column is the anchor's 11 minutes, 3,927
 * columns (m4 buckets are the pixel columns: 660,046 ms, rounded up to a whole millisecond).
 */
const WIDTH_30D = 3927;
/**
 * For 30 days mean: aggregations use the nice steps of stepForColumns (..., 5, 10, 15, 30 min, ...),
 * never 11 min; the step it picks for 4,320 columns is printed with the results.
 */
const WIDTH_30D_MEAN = 4320;
const ANCHOR_BUCKET = '11m';

// ---------------------------------------------------------------------------------------------
// Data

/** Small deterministic PRNG (mulberry32): the same data on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One day of a latency series in ms: a daily cycle (busy afternoons), a weekly dip, noise, rare
 * spikes; three decimals, as a collector timing a probe reports.
 */
function dayOfPoints(series: (typeof SERIES)[number], day: number, random: () => number): MetricPoint[] {
  const points: MetricPoint[] = [];
  const first = START + day * DAY_MS;
  for (let t = first; t < first + DAY_MS; t += STEP_MS) {
    const hour = ((t % DAY_MS) / 3_600_000 + 24) % 24;
    const weekday = Math.floor(t / DAY_MS + 4) % 7;
    const cycle = Math.sin(((hour - 9) / 24) * 2 * Math.PI);
    const weekend = weekday === 0 || weekday === 6 ? 0.6 : 1;
    let v = series.base + series.swing * cycle * weekend + (random() - 0.5) * series.swing * 0.4;
    if (random() < 0.0008) v *= 4 + random() * 6;
    points.push({
      measurement: VIGIE_MEASUREMENT,
      tags: { source: series.source, zone: series.zone, kind: series.kind },
      fields: { [FIELD]: Math.round(Math.max(0.1, v) * 1000) / 1000 },
      time: t,
    });
  }
  return points;
}

async function writeData(store: InfluxMetricStore): Promise<void> {
  const signal = new AbortController().signal;
  const randoms = SERIES.map((_, i) => prng(0x5eed + i));
  for (let day = 0; day < DAYS; day++) {
    // The three series of a day in parallel: three write calls of 8,640 points each.
    await Promise.all(
      SERIES.map((s, i) => store.write(dayOfPoints(s, day, randoms[i] ?? Math.random), signal)),
    );
  }
}

/** CREATE DATABASE goes through POST /query, as the 1.x API requires. */
async function createDatabase(url: string, name: string): Promise<void> {
  const response = await fetch(`${url}/query`, {
    method: 'POST',
    body: new URLSearchParams({ q: `CREATE DATABASE ${quoteIdent(name)}` }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (response.status !== 200 || text.includes('"error"')) throw new Error(`CREATE DATABASE: ${text}`);
}

// ---------------------------------------------------------------------------------------------
// The two sides

interface CurlSample {
  /** Spawn to exit, process start included. */
  readonly wallMs: number;
  /** curl's own `%{time_total}`. */
  readonly totalMs: number;
  readonly bytes: number;
}

/** `curl -s -G <url>/query --data-urlencode db= epoch=ms q= -o /dev/null`, timed from spawn to exit. */
function curl(url: string, query: string): Promise<CurlSample> {
  const args = [
    '-s',
    '-S',
    '-G',
    `${url}/query`,
    '--data-urlencode',
    `db=${DATABASE}`,
    '--data-urlencode',
    'epoch=ms',
    '--data-urlencode',
    `q=${query}`,
    '-o',
    '/dev/null',
    '-w',
    '%{time_total} %{size_download} %{http_code}',
  ];
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    let exitedAt = Number.NaN;
    const started = performance.now();
    const child = spawn('curl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.once('exit', () => {
      exitedAt = performance.now();
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      const [total, size, status] = out.trim().split(' ');
      if (code !== 0 || status !== '200') {
        reject(new Error(`curl exited ${String(code)}, HTTP ${String(status)}: ${err.trim()}`));
        return;
      }
      resolve({ wallMs: exitedAt - started, totalMs: Number(total) * 1000, bytes: Number(size) });
    });
  });
}

function request(aggregation: Aggregation, from: number, to: number, widthPx: number): MetricsQueryRequest {
  return {
    source: SOURCE_ID,
    measurement: VIGIE_MEASUREMENT,
    field: FIELD,
    where: [{ key: 'source', op: '=', value: QUERIED }],
    groupBy: [],
    aggregation,
    from,
    to,
    widthPx,
  };
}

async function vigie(
  service: MetricsService,
  req: MetricsQueryRequest,
): Promise<{ ms: number; response: MetricsQueryResponse }> {
  const started = performance.now();
  const response = await service.query(req);
  return { ms: performance.now() - started, response };
}

/** The anchor of the issue: min/max/first/last per 11 minutes, same series and range. */
function anchorQuery(from: number, to: number): string {
  const f = quoteIdent(FIELD);
  return (
    `SELECT min(${f}), max(${f}), first(${f}), last(${f}) FROM ${quoteIdent(VIGIE_MEASUREMENT)} ` +
    `WHERE ${quoteIdent('source')} = ${quoteString(QUERIED)} AND time >= ${from}ms AND time <= ${to}ms ` +
    `GROUP BY time(${ANCHOR_BUCKET})`
  );
}

/** Rows and the error, if any, of a query answer (to check that curl's queries do real work). */
async function checkQuery(url: string, query: string): Promise<number> {
  const params = new URLSearchParams({ db: DATABASE, epoch: 'ms', q: query });
  const response = await fetch(`${url}/query?${params.toString()}`, { signal: AbortSignal.timeout(60_000) });
  const result = parseStatementResult(await response.text(), 'bench');
  return result.series.reduce((n, s) => n + s.values.length, 0);
}

// ---------------------------------------------------------------------------------------------
// Statistics and printing

function quantile(sorted: readonly number[], q: number): number {
  const at = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[at] ?? Number.NaN;
}

function summary(samples: readonly number[]): { median: number; p90: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median =
    sorted.length % 2 === 1
      ? (sorted[mid] ?? Number.NaN)
      : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
  return { median, p90: quantile(sorted, 0.9) };
}

const ms = (x: number): string => x.toFixed(1);
const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}x`;

function curlSummary(samples: readonly CurlSample[]): { wall: number; wallP90: number; total: number } {
  const wall = summary(samples.map((s) => s.wallMs));
  return { wall: wall.median, wallP90: wall.p90, total: summary(samples.map((s) => s.totalMs)).median };
}

/**
 * Medians of each side and their ratio; then the paired ratio, the median over rounds of vigie's
 * time over curl's in the same round: on a machine busy with other work, load that comes and goes
 * between rounds cancels out of it, where it shifts two medians apart.
 */
function printRow(label: string, vigieMs: readonly number[], anchor: readonly CurlSample[]): void {
  const v = summary(vigieMs);
  const c = curlSummary(anchor);
  const paired = (pick: (c: CurlSample) => number): number =>
    summary(vigieMs.flatMap((x, i) => (anchor[i] === undefined ? [] : [x / pick(anchor[i])]))).median;
  console.log(
    `${label}: vigie median ${ms(v.median)} ms (p90 ${ms(v.p90)}) | ` +
      `curl median ${ms(c.wall)} ms (p90 ${ms(c.wallP90)}; time_total ${ms(c.total)}) | ` +
      `ratio ${ratio(v.median, c.wall)} vs curl wall, ${ratio(v.median, c.total)} vs time_total; ` +
      `paired ${paired((x) => x.wallMs).toFixed(2)}x vs wall, ` +
      `${paired((x) => x.totalMs).toFixed(2)}x vs time_total (target <= ${TARGET_RATIO}x)`,
  );
}

function timeCpu<T>(work: () => T): { median: number; result: T } {
  const samples: number[] = [];
  let result = work();
  for (let i = 0; i < STAGE_ROUNDS; i++) {
    const started = performance.now();
    result = work();
    samples.push(performance.now() - started);
  }
  return { median: summary(samples).median, result };
}

/** One measurement; `keep` is false during the warm-up rounds. */
type Task = (keep: boolean) => Promise<void>;

/** Warm-up, then interleaved rounds; the order rotates, so no side always follows the same one. */
async function runRounds(tasks: readonly Task[]): Promise<void> {
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
    for (let i = 0; i < tasks.length; i++) {
      const task = tasks[(i + round) % tasks.length];
      if (task) await task(round >= WARMUP_ROUNDS);
    }
  }
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = performance.now();
  let server: InfluxdHandle | undefined;
  let service: MetricsService | undefined;
  let http: InfluxHttp | undefined;
  try {
    server = await startInfluxd();
    const { url } = server;
    await createDatabase(url, DATABASE);
    const store = new InfluxMetricStore({ url, database: DATABASE, timeoutMs: 60_000, maxRows: 500_000 });
    service = new MetricsService({
      sources: [{ id: SOURCE_ID, name: 'influxd', kind: 'influxdb', store }],
      clock: systemClock,
      logger: silentLogger,
      requestTimeoutMs: 60_000,
    });
    // The store's own HTTP client, alone: the answer as text, without parsing (for the breakdown).
    http = new InfluxHttp({ url, timeoutMs: 60_000, maxResponseBytes: 64 * 1024 * 1024, source: 'bench' });

    const writeStarted = performance.now();
    await writeData(store);
    const writeMs = performance.now() - writeStarted;
    const total = SERIES.length * POINTS_PER_SERIES;
    console.log(
      `data: ${SERIES.length} series x ${POINTS_PER_SERIES.toLocaleString('en')} points (30 days at 10 s), ` +
        `written through InfluxMetricStore.write in ${(writeMs / 1000).toFixed(1)} s ` +
        `(${Math.round(total / (writeMs / 1000)).toLocaleString('en')} points/s); influxd ${url}`,
    );

    const req1d = request('raw', END - DAY_MS, END, WIDTH_1D);
    const req30mean = request('mean', START, END, WIDTH_30D_MEAN);
    const req30m4 = request('raw', START, END, WIDTH_30D);
    const anchor30 = anchorQuery(START, END);

    // A first call of each gives the exact InfluxQL Vigie sends (its queryText): curl runs that.
    const first1d = (await vigie(service, req1d)).response;
    const first30mean = (await vigie(service, req30mean)).response;
    const first30m4 = (await vigie(service, req30m4)).response;
    const points = (r: MetricsQueryResponse): number => r.frames.reduce((n, f) => n + f.times.length, 0);
    const rows30m4 = await checkQuery(url, first30m4.queryText);
    const rowsAnchor = await checkQuery(url, anchor30);
    const { stepMs: m4Step } = m4Buckets(START, END, WIDTH_30D);
    if (!first30m4.queryText.startsWith('SELECT first('))
      throw new Error(`the 30-day raw request was not served as m4: ${first30m4.queryText}`);
    console.log(`(A) 1 day raw, widthPx ${WIDTH_1D}: ${first1d.queryText}`);
    console.log(
      `    -> ${points(first1d)} points in ${first1d.frames.length} frame (raw: <= 4 points per column)`,
    );
    console.log(
      `(B) 30 days raw, widthPx ${WIDTH_30D}: > 4 points per column, served as m4 per pixel column ` +
        `(${m4Step.toLocaleString('en')} ms = ${(m4Step / 60_000).toFixed(4)} min)`,
    );
    console.log(`    vigie m4:      ${first30m4.queryText}`);
    console.log(
      `                   -> ${rows30m4} rows from influxd, ${points(first30m4).toLocaleString('en')} chart points`,
    );
    console.log(`    anchor (curl): ${anchor30}  -> ${rowsAnchor} rows`);
    console.log(
      `(C) 30 days mean, widthPx ${WIDTH_30D_MEAN}: ${first30mean.queryText}  -> ${points(first30mean)} points`,
    );

    const s = {
      vigie1d: [] as number[],
      curl1d: [] as CurlSample[],
      http1d: [] as number[],
      vigie30mean: [] as number[],
      curl30mean: [] as CurlSample[],
      vigie30m4: [] as number[],
      curl30m4: [] as CurlSample[],
      http30m4: [] as number[],
      http30m4Chunked: [] as number[],
      curlAnchor: [] as CurlSample[],
    };
    const signal = new AbortController().signal;
    const params = (q: string): Record<string, string> => ({ db: DATABASE, epoch: 'ms', q });
    const svc = service;
    const client = http;
    let bodies = { b1d: '', b30m4: '' };
    // Phase A, then phase B: the garbage of the 30-day queries is not collected inside the 1-day ones.
    const phaseA: Task[] = [
      async (keep) => {
        const r = await vigie(svc, req1d);
        if (keep) s.vigie1d.push(r.ms);
      },
      async (keep) => {
        const r = await curl(url, first1d.queryText);
        if (keep) s.curl1d.push(r);
      },
      async (keep) => {
        const t0 = performance.now();
        const answer = await client.request('GET', 'query', params(first1d.queryText), undefined, signal);
        if (keep) s.http1d.push(performance.now() - t0);
        bodies = { ...bodies, b1d: answer.text };
      },
    ];
    const phaseB: Task[] = [
      async (keep) => {
        const r = await vigie(svc, req30mean);
        if (keep) s.vigie30mean.push(r.ms);
      },
      async (keep) => {
        const r = await curl(url, first30mean.queryText);
        if (keep) s.curl30mean.push(r);
      },
      async (keep) => {
        const r = await vigie(svc, req30m4);
        if (keep) s.vigie30m4.push(r.ms);
      },
      async (keep) => {
        const r = await curl(url, first30m4.queryText);
        if (keep) s.curl30m4.push(r);
      },
      async (keep) => {
        const t0 = performance.now();
        const answer = await client.request('GET', 'query', params(first30m4.queryText), undefined, signal);
        if (keep) s.http30m4.push(performance.now() - t0);
        bodies = { ...bodies, b30m4: answer.text };
      },
      async (keep) => {
        // Not what Vigie does: the same query with `chunked=true`, for the breakdown below.
        const t0 = performance.now();
        const chunked = { ...params(first30m4.queryText), chunked: 'true' };
        await client.request('GET', 'query', chunked, undefined, signal);
        if (keep) s.http30m4Chunked.push(performance.now() - t0);
      },
      async (keep) => {
        const r = await curl(url, anchor30);
        if (keep) s.curlAnchor.push(r);
      },
    ];
    const load = loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
    await runRounds(phaseA);
    await runRounds(phaseB);

    console.log(
      `\nload average before the rounds ${load} on ${availableParallelism()} CPUs ` +
        `(other work on the machine shows in the p90s)`,
    );
    console.log(
      `${ROUNDS} interleaved rounds after ${WARMUP_ROUNDS} warm-up (order rotating; (A) then (B)); vigie = ` +
        `MetricsService.query(request) -> frames, in this process; curl = spawn to exit (primary ratio), ` +
        `time_total = curl's own %{time_total}`,
    );
    printRow('(A) query path, 1 day raw', s.vigie1d, s.curl1d);
    printRow(
      '(B) query path, 30 days as min/max/first/last per 11 min, vs curl running the same InfluxQL',
      s.vigie30m4,
      s.curl30m4,
    );
    printRow(
      `    same, vs curl running the anchor text (GROUP BY time(${ANCHOR_BUCKET}))`,
      s.vigie30m4,
      s.curlAnchor,
    );
    printRow(
      `(C) query path, 30 days mean per ${stepForColumns(START, END, WIDTH_30D_MEAN) / 60_000} min, ` +
        'vs curl running the same InfluxQL',
      s.vigie30mean,
      s.curl30mean,
    );
    const bytes = (c: readonly CurlSample[]): string => `${((c[0]?.bytes ?? 0) / 1024).toFixed(0)} KiB`;
    console.log(
      `  answer sizes: 1 day raw ${bytes(s.curl1d)}, 30 days m4 ${bytes(s.curl30m4)}, ` +
        `anchor ${bytes(s.curlAnchor)}, 30 days mean ${bytes(s.curl30mean)}`,
    );

    // Where the time goes: the HTTP exchange alone (interleaved above), then the CPU stages of the
    // engine on a captured answer, in this process.
    console.log('\nbreakdown (medians):');
    for (const [label, body, httpMs, vigieMs, from, to, width] of [
      ['1 day raw', bodies.b1d, s.http1d, s.vigie1d, req1d.from, req1d.to, WIDTH_1D],
    ] as const) {
      const parse = timeCpu(() => JSON.parse(body) as unknown);
      const statement = timeCpu(() => parseStatementResult(body, 'bench'));
      const first = statement.result.series[0];
      if (!first) throw new Error(`no series in the ${label} answer`);
      const rows = timeCpu(() => numericSeries(first, 'bench'));
      const reduced = rows.result.times.length > 4 * width;
      const reduce = timeCpu(() => decimateMinMax(rows.result, from, to, width));
      const httpMedian = summary(httpMs).median;
      const endToEnd = summary(vigieMs).median;
      const rest = endToEnd - httpMedian - statement.median - rows.median - (reduced ? reduce.median : 0);
      console.log(
        `  ${label} (${(body.length / 1024).toFixed(0)} KiB): end to end ${ms(endToEnd)} ms = ` +
          `HTTP GET + body as text (InfluxHttp alone) ${ms(httpMedian)} | ` +
          `parseStatementResult ${ms(statement.median)} (of which JSON.parse ${ms(parse.median)}) | ` +
          `numericSeries ${ms(rows.median)} | ` +
          `decimateMinMax ${reduced ? ms(reduce.median) : 'not applied (<= 4 points per column)'} | ` +
          `rest (service, copies, GC; difference of medians) ${ms(rest)}`,
      );
    }
    {
      const body = bodies.b30m4;
      const parse = timeCpu(() => JSON.parse(body) as unknown);
      const statement = timeCpu(() => parseStatementResult(body, 'bench'));
      const first = statement.result.series[0];
      if (!first) throw new Error('no series in the 30-day m4 answer');
      const rows = timeCpu(() => m4Series(first, 'bench'));
      const chart = timeCpu(() => m4Points(rows.result, m4Step, END));
      const httpMedian = summary(s.http30m4).median;
      const endToEnd = summary(s.vigie30m4).median;
      const rest = endToEnd - httpMedian - statement.median - rows.median - chart.median;
      console.log(
        `  30 days m4 (${(body.length / 1024).toFixed(0)} KiB): end to end ${ms(endToEnd)} ms = ` +
          `HTTP GET + body as text (InfluxHttp alone) ${ms(httpMedian)} | ` +
          `parseStatementResult ${ms(statement.median)} (of which JSON.parse ${ms(parse.median)}) | ` +
          `m4Series ${ms(rows.median)} | m4Points ${ms(chart.median)} | ` +
          `rest (service, copies, GC; difference of medians) ${ms(rest)}`,
      );
      const parseShare = (statement.median + rows.median) / endToEnd;
      console.log(
        `  30 days m4 with chunked=true (not what Vigie sends): HTTP GET + body as text ` +
          `${ms(summary(s.http30m4Chunked).median)} ms (p90 ${ms(summary(s.http30m4Chunked).p90)}) vs ` +
          `${ms(httpMedian)} ms without; JSON parsing and row checks are ` +
          `${(parseShare * 100).toFixed(1)}% of end to end` +
          (parseShare < 0.05 ? ': streaming or columnar decoding has little to win here' : ''),
      );
    }
  } finally {
    http?.close();
    await service?.stop();
    await server?.stop();
  }
  console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

await main();
