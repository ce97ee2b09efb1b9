/**
 * CSV as spreadsheets write it (RFC 4180): comma separated, fields quoted with double quotes when
 * they hold a comma, a quote or a line break, quotes doubled inside; CRLF or LF line ends; a UTF-8
 * byte order mark at the start ignored. Rows keep their line number so that an import error can
 * say where to look.
 */

export interface CsvRow {
  /** Line of the file where the row starts (1-based; the header is line 1). */
  readonly line: number;
  readonly cells: string[];
}

export class CsvSyntaxError extends Error {
  override readonly name = 'CsvSyntaxError';
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/** Every row, the header included; blank lines are skipped. */
export function parseCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < text.length) {
    const startLine = line;
    const cells: string[] = [];
    let cell = '';
    let atLineEnd = false;
    while (!atLineEnd) {
      if (text[i] === '"') {
        // Quoted field: up to the lone closing quote.
        i += 1;
        for (;;) {
          if (i >= text.length) throw new CsvSyntaxError(startLine, 'a quoted field is never closed');
          const c = text[i] as string;
          if (c === '"') {
            if (text[i + 1] === '"') {
              cell += '"';
              i += 2;
              continue;
            }
            i += 1;
            break;
          }
          if (c === '\n') line += 1;
          cell += c;
          i += 1;
        }
        const next = text[i];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r')
          throw new CsvSyntaxError(
            line,
            'text after a closing quote (quote the whole field, double inner quotes)',
          );
      } else {
        while (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          if (text[i] === '"') throw new CsvSyntaxError(line, 'a quote inside an unquoted field');
          cell += text[i] as string;
          i += 1;
        }
      }
      cells.push(cell);
      cell = '';
      const sep = text[i];
      if (sep === ',') {
        i += 1;
      } else {
        if (sep === '\r') i += 1;
        if (text[i] === '\n') i += 1;
        line += 1;
        atLineEnd = true;
      }
    }
    if (!(cells.length === 1 && cells[0] === '')) rows.push({ line: startLine, cells });
  }
  return rows;
}

function quote(cell: string): string {
  return /[",\r\n]/.test(cell) || /^\s|\s$/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/**
 * Rows to CSV text, CRLF line ends as RFC 4180 has them. Cells that a spreadsheet would run as a
 * formula (=, +, -, @ at the start) get a leading apostrophe unless they read as a number.
 */
export function formatCsv(rows: readonly (readonly string[])[]): string {
  return rows
    .map((row) =>
      row
        .map((cell) => quote(/^[=+\-@]/.test(cell) && !/^[+-]?\d+(\.\d+)?$/.test(cell) ? `'${cell}` : cell))
        .join(','),
    )
    .map((line) => `${line}\r\n`)
    .join('');
}
