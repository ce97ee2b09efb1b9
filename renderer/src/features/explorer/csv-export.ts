/**
 * "Export CSV" of what the chart shows, built in the console from the frames it holds (RFC 4180:
 * CRLF line ends, fields with a comma, a quote or a line break quoted, quotes doubled). One row
 * per distinct time, the time in ISO 8601 UTC, one column per series; a gap is an empty cell,
 * never a zero.
 */

export interface CsvSeries {
  /** The column title (series label, with its unit when it has one). */
  readonly title: string;
  readonly times: readonly number[];
  readonly values: readonly (number | null)[];
}

/** Quotes a field when RFC 4180 requires it. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A text cell that a spreadsheet could run as a formula (`=`, `+`, `-`, `@`, tab, CR first) gets a
 * leading apostrophe: tag values come from the monitored estate, not from us
 * (https://owasp.org/www-community/attacks/CSV_Injection).
 */
export function csvText(text: string): string {
  return csvField(/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
}

function csvNumber(value: number | null | undefined): string {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : '';
}

export function seriesToCsv(series: readonly CsvSeries[], timeTitle = 'time'): string {
  const columns = series.map((s) => {
    const byTime = new Map<number, number | null>();
    const n = Math.min(s.times.length, s.values.length);
    for (let i = 0; i < n; i += 1) byTime.set(s.times[i] as number, s.values[i] ?? null);
    return byTime;
  });
  const times = [...new Set(columns.flatMap((column) => [...column.keys()]))].sort((a, b) => a - b);
  const lines = [[csvText(timeTitle), ...series.map((s) => csvText(s.title))].join(',')];
  for (const time of times)
    lines.push(
      [new Date(time).toISOString(), ...columns.map((column) => csvNumber(column.get(time)))].join(','),
    );
  return `${lines.join('\r\n')}\r\n`;
}

/** A file name for an export made at `now`: `vigie-20261123T131000Z.csv`. */
export function csvFileName(now: number): string {
  return `vigie-${new Date(now)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}.csv`;
}

/**
 * Saves `text` as a file through a Blob URL and a download link (no server round trip). The UTF-8
 * byte order mark makes spreadsheet programs read accented tag values correctly.
 */
export function downloadCsv(fileName: string, text: string, doc: Document = document): void {
  const url = URL.createObjectURL(new Blob(['\ufeff', text], { type: 'text/csv;charset=utf-8' }));
  const link = doc.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  doc.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    // The download has started from the click; the URL is only needed until then.
    setTimeout(() => URL.revokeObjectURL(url), 1_000);
  }
}
