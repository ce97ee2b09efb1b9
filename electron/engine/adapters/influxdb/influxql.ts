/**
 * InfluxQL text for the MetricStore queries. Everything that comes from outside is quoted: names
 * as double-quoted identifiers, tag values as single-quoted string literals, both with `\` and the
 * quote escaped (the only escapes InfluxQL's scanner reads in quoted text, with `\n`). No regex is
 * ever built from caller text; tag filters are `=` / `!=` on string literals.
 * https://docs.influxdata.com/influxdb/v1/query_language/spec/#identifiers
 * https://docs.influxdata.com/influxdb/v1/query_language/spec/#strings
 */
import type { PlannedAggregation, QueryPlan } from './influx-semantics';

function quote(text: string, mark: '"' | "'"): string {
  let out = mark;
  for (const c of text) {
    if (c === '\\' || c === mark) out += `\\${c}`;
    else if (c === '\n') out += '\\n';
    else out += c;
  }
  return out + mark;
}

/** A double-quoted identifier: `a"b\c` → `"a\"b\\c"`. */
export function quoteIdent(name: string): string {
  return quote(name, '"');
}

/** A single-quoted string literal: `it's` → `'it\'s'`. */
export function quoteString(value: string): string {
  return quote(value, "'");
}

/** `"m"`, or `"rp"."m"` when writing to and reading from a named retention policy. */
export function source(measurement: string, retentionPolicy: string | undefined): string {
  return retentionPolicy === undefined
    ? quoteIdent(measurement)
    : `${quoteIdent(retentionPolicy)}.${quoteIdent(measurement)}`;
}

/**
 * The selector or aggregate for each aggregation. `::field` makes InfluxQL read the field even
 * when a tag has the same name. `m4` is four selectors in one statement: with GROUP BY time()
 * each row is a bucket (its start as the time) with the columns first, min, max, last.
 * https://docs.influxdata.com/influxdb/v1/query_language/functions/
 */
function selection(aggregation: PlannedAggregation, field: string): string {
  const f = `${quoteIdent(field)}::field`;
  switch (aggregation) {
    case 'raw':
      return f;
    case 'mean':
    case 'min':
    case 'max':
    case 'sum':
    case 'count':
    case 'last':
      return `${aggregation}(${f})`;
    case 'p95':
      return `percentile(${f}, 95)`;
    case 'm4':
      return `first(${f}), min(${f}), max(${f}), last(${f})`;
  }
}

/**
 * The SELECT for a planned query. Raw: every point in the range, one series per group, `LIMIT`
 * one past the per-series cap so that a cut can be told from an exact fit (LIMIT applies to each
 * series). Aggregations: `GROUP BY time(<step>ms)` (`time(<step>ms, <offset>ms)` when the plan has
 * an offset) with `fill(null)`, so empty buckets come back as nulls; the plan already cut the
 * range to the bucket cap.
 */
export function selectStatement(plan: QueryPlan, retentionPolicy: string | undefined): string {
  // `::tag` makes the filter compare the tag even when a field has the same name.
  const conditions = plan.where.map((f) => `${quoteIdent(f.key)}::tag ${f.op} ${quoteString(f.value)}`);
  conditions.push(`time >= ${plan.from}ms`, `time <= ${plan.to}ms`);
  const groups = plan.groupBy.map(quoteIdent);
  let text = `SELECT ${selection(plan.aggregation, plan.field)} FROM ${source(plan.measurement, retentionPolicy)} WHERE ${conditions.join(' AND ')}`;
  if (plan.aggregation === 'raw') {
    if (groups.length > 0) text += ` GROUP BY ${groups.join(', ')}`;
    text += ` LIMIT ${plan.perSeriesCap + 1}`;
  } else {
    const time =
      plan.offsetMs === 0 ? `time(${plan.stepMs}ms)` : `time(${plan.stepMs}ms, ${plan.offsetMs}ms)`;
    text += ` GROUP BY ${[time, ...groups].join(', ')} fill(null)`;
  }
  return text;
}

/** Every measurement of the database (the `db` parameter). */
export function showMeasurements(): string {
  return 'SHOW MEASUREMENTS';
}

/** The fields of a measurement with their types (`fieldKey`, `fieldType`). */
export function showFieldKeys(measurement: string, retentionPolicy: string | undefined): string {
  return `SHOW FIELD KEYS FROM ${source(measurement, retentionPolicy)}`;
}

/** The tag keys of a measurement (`tagKey`). */
export function showTagKeys(measurement: string, retentionPolicy: string | undefined): string {
  return `SHOW TAG KEYS FROM ${source(measurement, retentionPolicy)}`;
}

/** The values one tag key takes in a measurement (`key`, `value`). */
export function showTagValues(measurement: string, key: string, retentionPolicy: string | undefined): string {
  return `SHOW TAG VALUES FROM ${source(measurement, retentionPolicy)} WITH KEY = ${quoteIdent(key)}`;
}
