/**
 * Parsing of InfluxDB 1.x `/query` answers (JSON, `epoch=ms`). The body is untrusted: the envelope
 * goes through zod (unknown keys stripped), the rows through a tight loop that checks every cell
 * (a schema per cell would cost more than the query for 259k rows), and tags are rebuilt, never
 * merged, so a tag key like `__proto__` stays data (PITFALLS.md).
 *
 * InfluxDB reports query errors inside an HTTP 200 (`results[i].error`) and a result cut by its
 * `max-row-limit` only through `partial: true` on the series (and, in some versions, on the
 * result); both are checked here (PITFALLS.md). Recorded shapes: test/fixtures/influx/.
 */
import { z } from 'zod';
import { UpstreamError } from '../../ports/upstream-error';

const seriesSchema = z.object({
  name: z.string().optional(),
  tags: z.unknown().optional(),
  columns: z.array(z.string()),
  // Checked row by row in `numericSeries` / `stringColumn`.
  values: z.custom<readonly unknown[]>((v) => Array.isArray(v)).optional(),
  partial: z.boolean().optional(),
});

const resultSchema = z.object({
  statement_id: z.number().optional(),
  error: z.string().optional(),
  partial: z.boolean().optional(),
  series: z.array(seriesSchema).optional(),
});

const bodySchema = z.object({
  results: z.array(resultSchema).optional(),
  error: z.string().optional(),
});

/** One series of an answer. */
export interface InfluxSeries {
  readonly tags: ReadonlyMap<string, string>;
  readonly columns: readonly string[];
  readonly values: readonly unknown[];
  readonly partial: boolean;
}

/** The answer to one statement. */
export interface InfluxStatementResult {
  readonly series: InfluxSeries[];
  /** InfluxDB cut the answer (max-row-limit): the data is incomplete. */
  readonly partial: boolean;
}

/**
 * The result of the single statement a `/query` body answers. Throws `QUERY` with InfluxDB's own
 * message when the statement failed, `BAD_RESPONSE` when the body is not an InfluxDB answer.
 */
export function parseStatementResult(text: string, source: string): InfluxStatementResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err: unknown) {
    if (!(err instanceof SyntaxError)) throw err;
    throw new UpstreamError(source, 'BAD_RESPONSE', `InfluxDB answered with invalid JSON: ${err.message}`, {
      cause: err,
    });
  }
  const body = bodySchema.safeParse(json);
  if (!body.success)
    throw new UpstreamError(source, 'BAD_RESPONSE', `unexpected InfluxDB answer: ${body.error.message}`);
  if (body.data.error !== undefined) throw new UpstreamError(source, 'QUERY', body.data.error);
  const results = body.data.results ?? [];
  for (const result of results) {
    if (result.error !== undefined) throw new UpstreamError(source, 'QUERY', result.error);
  }
  const first = results[0];
  if (first === undefined)
    throw new UpstreamError(source, 'BAD_RESPONSE', 'InfluxDB answered without results');
  const series = (first.series ?? []).map((s) => ({
    tags: parseTags(s.tags, source),
    columns: s.columns,
    values: s.values ?? [],
    partial: s.partial === true,
  }));
  return { series, partial: first.partial === true || series.some((s) => s.partial) };
}

function parseTags(raw: unknown, source: string): Map<string, string> {
  const tags = new Map<string, string>();
  if (raw === undefined || raw === null) return tags;
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw new UpstreamError(source, 'BAD_RESPONSE', 'series tags are not an object');
  // Object.entries lists own keys only: a "__proto__" key from JSON.parse is one of them.
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string')
      throw new UpstreamError(source, 'BAD_RESPONSE', `tag ${JSON.stringify(key)} is not a string`);
    tags.set(key, value);
  }
  return tags;
}

/**
 * Times and values of a `[time, value]` series (`epoch=ms`). A non-numeric value (a string or
 * boolean field) is a `QUERY` error: the console charts numbers only.
 */
export function numericSeries(
  series: InfluxSeries,
  source: string,
): { times: number[]; values: (number | null)[] } {
  if (series.columns.length !== 2 || series.columns[0] !== 'time')
    throw new UpstreamError(source, 'BAD_RESPONSE', `unexpected columns ${JSON.stringify(series.columns)}`);
  const times: number[] = [];
  const values: (number | null)[] = [];
  for (const row of series.values) {
    if (!Array.isArray(row) || row.length !== 2)
      throw new UpstreamError(source, 'BAD_RESPONSE', 'a row is not a [time, value] pair');
    const t: unknown = row[0];
    const v: unknown = row[1];
    if (typeof t !== 'number' || !Number.isFinite(t))
      throw new UpstreamError(source, 'BAD_RESPONSE', 'a row time is not a number (was epoch=ms sent?)');
    if (v !== null && typeof v !== 'number')
      throw new UpstreamError(source, 'QUERY', `the field holds non-numeric values (${typeof v})`);
    times.push(t);
    values.push(v);
  }
  return { times, values };
}

/** The columns of an `m4` answer, in the order influxql.ts selects them. */
const M4_COLUMNS = ['time', 'first', 'min', 'max', 'last'] as const;

/**
 * Bucket starts and the four values of a `[time, first, min, max, last]` series (`epoch=ms`), as
 * InfluxDB answers `SELECT first(f), min(f), max(f), last(f) ... GROUP BY time()`. Checked as
 * numericSeries checks its rows: a non-numeric value is a `QUERY` error, a bad row `BAD_RESPONSE`.
 */
export function m4Series(
  series: InfluxSeries,
  source: string,
): {
  times: number[];
  first: (number | null)[];
  min: (number | null)[];
  max: (number | null)[];
  last: (number | null)[];
} {
  if (series.columns.length !== M4_COLUMNS.length || M4_COLUMNS.some((c, i) => series.columns[i] !== c))
    throw new UpstreamError(source, 'BAD_RESPONSE', `unexpected columns ${JSON.stringify(series.columns)}`);
  const times: number[] = [];
  const columns: (number | null)[][] = [[], [], [], []];
  for (const row of series.values) {
    if (!Array.isArray(row) || row.length !== M4_COLUMNS.length)
      throw new UpstreamError(source, 'BAD_RESPONSE', 'a row is not a [time, first, min, max, last] tuple');
    const t: unknown = row[0];
    if (typeof t !== 'number' || !Number.isFinite(t))
      throw new UpstreamError(source, 'BAD_RESPONSE', 'a row time is not a number (was epoch=ms sent?)');
    times.push(t);
    for (let c = 0; c < 4; c++) {
      const v: unknown = row[c + 1];
      if (v !== null && typeof v !== 'number')
        throw new UpstreamError(source, 'QUERY', `the field holds non-numeric values (${typeof v})`);
      columns[c]?.push(v);
    }
  }
  const [first = [], min = [], max = [], last = []] = columns;
  return { times, first, min, max, last };
}

/** The strings of column `column` (SHOW queries: `name`, `tagKey`, `value`, `fieldKey`...). */
export function stringColumn(series: InfluxSeries, column: string, source: string): string[] {
  const index = series.columns.indexOf(column);
  if (index < 0)
    throw new UpstreamError(source, 'BAD_RESPONSE', `no column ${JSON.stringify(column)} in the answer`);
  return series.values.map((row) => {
    const cell: unknown = Array.isArray(row) ? row[index] : undefined;
    if (typeof cell !== 'string')
      throw new UpstreamError(source, 'BAD_RESPONSE', `column ${JSON.stringify(column)} holds a non-string`);
    return cell;
  });
}

/** InfluxDB's message in an error answer (`{"error": ...}` in 1.x, `{"message": ...}` in 2.x), else the text. */
export function errorMessage(text: string): string {
  try {
    const parsed = z
      .object({ error: z.string().optional(), message: z.string().optional() })
      .safeParse(JSON.parse(text));
    if (parsed.success) {
      const message = parsed.data.error ?? parsed.data.message;
      if (message !== undefined) return message;
    }
  } catch (err: unknown) {
    // Not JSON (a proxy's HTML page, plain text): the text itself is the best message.
    if (!(err instanceof SyntaxError)) throw err;
  }
  const trimmed = text.trim();
  return trimmed.length > 300 ? `${trimmed.slice(0, 300)}…` : trimmed;
}
