/**
 * The on-disk record of the durable write queue: one JSON object per line, each ending with a
 * newline. A record counts only once its newline is on disk, so a crash in the middle of an append
 * leaves a torn last line that replay recognises and discards. Lines are read back as untrusted
 * input (the journal may be damaged or edited): every field is checked and objects are rebuilt,
 * never merged (see PITFALLS.md on `__proto__` keys).
 */
import type { MetricPoint } from '../../ports/metric-store';

/** Format version of a record: lets a later release change the layout and still read old journals. */
const RECORD_VERSION = 1;

/** One point as one journal line, newline included. Throws TypeError for a point that cannot be stored. */
export function encodePoint(point: MetricPoint): string {
  if (typeof point.measurement !== 'string' || point.measurement.length === 0)
    throw new TypeError('a metric point needs a measurement');
  if (!Number.isFinite(point.time))
    throw new TypeError(`metric point time is not a finite number: ${point.time}`);
  // JSON writes NaN and ±Infinity as null, which reads back as a missing value (a gap): the same
  // thing a chart should show for a reading that was not a number.
  return `${JSON.stringify({ v: RECORD_VERSION, measurement: point.measurement, tags: point.tags, fields: point.fields, time: point.time })}\n`;
}

/** The point a journal line holds, or null when the line is not a valid record. */
export function decodePoint(line: string): MetricPoint | null {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (err: unknown) {
    // Not JSON: a torn or damaged line, which the caller counts and reports.
    if (err instanceof SyntaxError) return null;
    throw err;
  }
  if (!isRecord(raw) || raw.v !== RECORD_VERSION) return null;
  const { measurement, tags, fields, time } = raw;
  if (typeof measurement !== 'string' || measurement.length === 0) return null;
  if (typeof time !== 'number' || !Number.isFinite(time)) return null;
  if (!isRecord(tags) || !isRecord(fields)) return null;
  const tagEntries = Object.entries(tags);
  if (!tagEntries.every(([, v]) => typeof v === 'string')) return null;
  const fieldEntries = Object.entries(fields);
  if (!fieldEntries.every(([, v]) => v === null || (typeof v === 'number' && Number.isFinite(v))))
    return null;
  return {
    measurement,
    tags: Object.fromEntries(tagEntries) as Record<string, string>,
    fields: Object.fromEntries(fieldEntries) as Record<string, number | null>,
    time,
  };
}

/** What a journal segment holds. */
export interface DecodedSegment {
  readonly points: MetricPoint[];
  /** Complete lines that are not valid records (damage inside the file). */
  readonly invalidLines: number;
  /** The file ended in the middle of a record (a crash during an append); that record is discarded. */
  readonly tornTail: boolean;
}

/** Reads every complete, valid record of a segment's text, in order. */
export function decodeSegment(text: string): DecodedSegment {
  const lines = text.split('\n');
  // After the last newline comes either nothing (a clean end) or the start of an unfinished record.
  const tail = lines.pop() ?? '';
  const points: MetricPoint[] = [];
  let invalidLines = 0;
  for (const line of lines) {
    if (line.length === 0) continue;
    const point = decodePoint(line);
    if (point) points.push(point);
    else invalidLines += 1;
  }
  return { points, invalidLines, tornTail: tail.length > 0 };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
