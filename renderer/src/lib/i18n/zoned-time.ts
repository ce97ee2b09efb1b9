/**
 * Wall-clock time in a named zone, with Intl only (no date library): times are UTC inside and
 * shown, typed and cut into axis ticks in the operator's zone (DESIGN.md section 3). Free of React
 * so that the chart configuration (and its benchmark) can use it.
 */

/** Calendar fields of an instant in a zone; `month` is 1-12. */
export interface ZonedParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const partsFormats = new Map<string, Intl.DateTimeFormat>();

function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let format = partsFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormats.set(timeZone, format);
  }
  return format;
}

export function zonedParts(epochMs: number, timeZone: string): ZonedParts {
  const fields: Record<string, number> = {};
  for (const part of partsFormat(timeZone).formatToParts(epochMs))
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  return {
    year: fields['year'] ?? 1970,
    month: fields['month'] ?? 1,
    day: fields['day'] ?? 1,
    // Some engines still write midnight as 24 with h23: normalise.
    hour: (fields['hour'] ?? 0) % 24,
    minute: fields['minute'] ?? 0,
    second: fields['second'] ?? 0,
  };
}

/** The zone's offset from UTC at that instant, in ms (Brussels: +1 h in winter, +2 h in summer). */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const whole = Math.floor(epochMs / 1_000) * 1_000;
  const p = zonedParts(whole, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - whole;
}

/**
 * The instant whose wall-clock time in `timeZone` is `localMs` (wall-clock fields written as if
 * they were UTC). A time skipped by a DST change (02:30 on the spring day in Brussels) moves
 * forward by the change; a time that happens twice (autumn) resolves to the later one.
 */
export function localToEpoch(localMs: number, timeZone: string): number {
  const first = localMs - zoneOffsetMs(localMs, timeZone);
  return localMs - zoneOffsetMs(first, timeZone);
}

const INPUT_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * Reads the value of an `<input type="datetime-local">` as a time in `timeZone` (not the
 * browser's zone: a seat abroad still works in the operator's zone). Null when it is not a time.
 */
export function parseZonedInput(value: string, timeZone: string): number | null {
  const match = INPUT_PATTERN.exec(value.trim());
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? '0')) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 31 February over into March: refuse what the calendar does not have.
  if (new Date(local).getUTCDate() !== day) return null;
  return localToEpoch(local, timeZone);
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** The value for an `<input type="datetime-local">` showing `epochMs` in `timeZone` (to the minute). */
export function formatZonedInput(epochMs: number, timeZone: string): string {
  const p = zonedParts(epochMs, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}
