/**
 * InfluxDB line protocol for points already checked by `storablePoints` (influx-semantics.ts),
 * which refuses every name the escaping below could not carry (newlines, backslashes that would
 * read as escapes, a leading `#`).
 * https://docs.influxdata.com/influxdb/v1/write_protocols/line_protocol_reference/
 */
import type { StoredPoint } from './influx-semantics';

/** Lines per POST /write: InfluxDB recommends batches of 5,000 points. */
export const MAX_LINES_PER_BATCH = 5_000;

/**
 * Bytes per POST /write, well under InfluxDB's default `max-body-size` (25 MB), so that long tag
 * values cannot push a 5,000-line batch over it.
 */
export const MAX_BATCH_BYTES = 4 * 1024 * 1024;

/** Measurements escape commas and spaces. */
export function escapeMeasurement(name: string): string {
  return name.replace(/[, ]/g, (c) => `\\${c}`);
}

/** Tag keys, tag values and field keys escape commas, equals signs and spaces. */
export function escapeKey(name: string): string {
  return name.replace(/[,= ]/g, (c) => `\\${c}`);
}

/**
 * One point as one line, with a millisecond timestamp (written with `precision=ms`). Fields are
 * floats: a number without the `i` suffix, in JavaScript's shortest round-trip form, which
 * InfluxDB parses back to the same double (`1e+21` and `5e-324` included).
 */
export function toLine(point: StoredPoint): string {
  let line = escapeMeasurement(point.measurement);
  for (const [key, value] of point.tags) line += `,${escapeKey(key)}=${escapeKey(value)}`;
  line += ' ';
  line += point.fields.map(([key, value]) => `${escapeKey(key)}=${String(value)}`).join(',');
  line += ` ${point.time}`;
  return line;
}

/** Splits lines into request bodies of at most `maxLines` lines and about `maxBytes` bytes each. */
export function toBatches(
  lines: readonly string[],
  maxLines = MAX_LINES_PER_BATCH,
  maxBytes = MAX_BATCH_BYTES,
): string[] {
  const batches: string[] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const line of lines) {
    const size = Buffer.byteLength(line) + 1;
    if (current.length > 0 && (current.length >= maxLines || bytes + size > maxBytes)) {
      batches.push(current.join('\n'));
      current = [];
      bytes = 0;
    }
    current.push(line);
    bytes += size;
  }
  if (current.length > 0) batches.push(current.join('\n'));
  return batches;
}
