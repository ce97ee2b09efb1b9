import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { belgianPublicHolidayDates, formatLocalDate } from './belgian-holidays';
import {
  CATALOGUE_CSV_COLUMNS,
  catalogueToCsv,
  catalogueToJson,
  parseCatalogueCsv,
  parseCatalogueJson,
  slaCatalogueSchema,
  type CatalogueParseResult,
  type SlaCatalogue,
} from './sla-catalogue';

/** Three SLAs of the kinds DOMAIN.md describes: a 24x7 one, an office-hours one, a batch chain. */
const FIXTURE = {
  version: 1,
  slas: [
    {
      id: 'SLA-PAY-001',
      serviceId: 'payments-api',
      chain: 'Payments, instant',
      client: 'bank-a',
      kpis: [
        {
          id: 'avail',
          type: 'availability',
          target: { percent: 99.95 },
          period: 'month',
          schedule: { kind: '24x7' },
        },
        {
          id: 'rt-1s',
          type: 'responseTime',
          target: { percent: 99, thresholdMs: 1000 },
          period: 'day',
          schedule: { kind: '24x7' },
          exclusions: ['planned', 'third-party'],
        },
        {
          id: 'rt-2s',
          type: 'responseTime',
          target: { percent: 99.5, thresholdMs: 2000 },
          period: 'day',
          schedule: { kind: '24x7' },
        },
      ],
    },
    {
      id: 'SLA-HR-007',
      serviceId: 'hr-portal',
      chain: 'HR "self-service"',
      client: 'ministry-2',
      kpis: [
        {
          id: 'avail',
          type: 'availability',
          target: { percent: 99.5 },
          period: 'month',
          schedule: {
            kind: 'business-hours',
            hours: [
              { weekdays: [1, 2, 3, 4, 5], from: '07:00', to: '19:00' },
              { weekdays: [6], from: '08:00', to: '12:00' },
            ],
            holidays: belgianPublicHolidayDates(2026),
          },
          exclusions: ['client asked for the stop,\nsee ticket "CHG-1"'],
          briefInterruptionSeconds: 60,
        },
        {
          id: 'incidents',
          type: 'incidentCount',
          target: { maxCount: 2 },
          period: 'quarter',
          schedule: { kind: '24x7' },
        },
        {
          id: 'mttr',
          type: 'mttr',
          target: { maxMinutes: 240 },
          period: 'quarter',
          schedule: { kind: '24x7', timeZone: 'UTC' },
        },
      ],
    },
    {
      id: 'SLA-BATCH-3',
      serviceId: 'night-batch',
      chain: '=Batch chain',
      client: 'bank-a',
      kpis: [
        {
          id: 'deadline',
          type: 'batchDeadline',
          target: { percent: 100, deadlineMs: 21_600_000 },
          period: 'day',
          schedule: {
            kind: 'business-hours',
            timeZone: 'Europe/Brussels',
            hours: [{ weekdays: [1, 3, 5], from: '00:00', to: '24:00' }],
          },
          briefInterruptionSeconds: 0,
        },
      ],
    },
  ],
};

const valid = (): SlaCatalogue => slaCatalogueSchema.parse(FIXTURE);
const clone = (): typeof FIXTURE => structuredClone(FIXTURE);

function issuesOf(
  result: CatalogueParseResult,
): Array<{ path: string; message: string; row?: number; column?: string }> {
  if (result.ok) throw new Error('expected the import to fail');
  return result.issues;
}

describe('slaCatalogueSchema', () => {
  it('accepts the three SLAs and fills in the defaults (Brussels, no holidays, no exclusions)', () => {
    const catalogue = valid();
    expect(catalogue.slas.map((s) => s.id)).toEqual(['SLA-PAY-001', 'SLA-HR-007', 'SLA-BATCH-3']);
    const first = catalogue.slas[0]?.kpis[0];
    expect(first?.schedule).toEqual({ kind: '24x7', timeZone: 'Europe/Brussels' });
    expect(first?.exclusions).toEqual([]);
    expect(first?.briefInterruptionSeconds).toBeUndefined();
    expect(catalogue.slas[2]?.kpis[0]?.schedule).toMatchObject({ holidays: [] });
  });
});

describe('parseCatalogueJson', () => {
  it('reads the JSON it writes', () => {
    const result = parseCatalogueJson(catalogueToJson(valid()));
    expect(result).toEqual({ ok: true, catalogue: valid() });
  });

  it('reports a syntax error with its line, column and offset, and never throws', () => {
    const text = '{"version": 1,\n "slas": [}';
    const [issue, ...more] = issuesOf(parseCatalogueJson(text));
    expect(more).toEqual([]);
    expect(issue?.path).toBe('');
    expect(issue?.message).toBe('invalid JSON at line 2, column 11 (offset 25): expected a value, found "}"');
    expect(issuesOf(parseCatalogueJson(''))[0]?.message).toContain('found the end of the text');
    expect(issuesOf(parseCatalogueJson('{"version": 1 "slas": []}'))[0]?.message).toContain(
      'column 15 (offset 14): expected "," or "}"',
    );
    expect(issuesOf(parseCatalogueJson('{"a": "x\ty"}'))[0]?.message).toContain('offset 8');
    expect(issuesOf(parseCatalogueJson('[1, 2] x'))[0]?.message).toContain('expected the end of the text');
  });

  // Each case breaks one thing in the valid fixture and names the path the issue must carry.
  const cases: Array<[string, (c: ReturnType<typeof clone>) => void, string, RegExp]> = [
    ['version 2', (c) => Object.assign(c, { version: 2 }), 'version', /1/],
    [
      'duplicate SLA id',
      (c) => Object.assign(c.slas[2] ?? {}, { id: 'SLA-PAY-001' }),
      'slas[2].id',
      /already used by slas\[0\]/,
    ],
    [
      'duplicate KPI id',
      (c) => Object.assign(c.slas[0]?.kpis[2] ?? {}, { id: 'rt-1s' }),
      'slas[0].kpis[2].id',
      /KPI id "rt-1s" is already used by kpis\[1\] of SLA "SLA-PAY-001"/,
    ],
    [
      'percent 0',
      (c) => Object.assign(c.slas[0]?.kpis[0] ?? {}, { target: { percent: 0 } }),
      'slas[0].kpis[0].target.percent',
      /above 0/,
    ],
    [
      'percent 100.01',
      (c) => Object.assign(c.slas[0]?.kpis[0] ?? {}, { target: { percent: 100.01 } }),
      'slas[0].kpis[0].target.percent',
      /at most 100/,
    ],
    [
      'negative count',
      (c) => Object.assign(c.slas[1]?.kpis[1] ?? {}, { target: { maxCount: -1 } }),
      'slas[1].kpis[1].target.maxCount',
      /0 or more/,
    ],
    [
      'fractional count',
      (c) => Object.assign(c.slas[1]?.kpis[1] ?? {}, { target: { maxCount: 1.5 } }),
      'slas[1].kpis[1].target.maxCount',
      /whole/,
    ],
    [
      'mttr 0',
      (c) => Object.assign(c.slas[1]?.kpis[2] ?? {}, { target: { maxMinutes: 0 } }),
      'slas[1].kpis[2].target.maxMinutes',
      /above 0/,
    ],
    [
      'threshold missing',
      (c) => Object.assign(c.slas[0]?.kpis[1] ?? {}, { target: { percent: 99 } }),
      'slas[0].kpis[1].target.thresholdMs',
      /./,
    ],
    [
      'threshold 0',
      (c) => Object.assign(c.slas[0]?.kpis[1] ?? {}, { target: { percent: 99, thresholdMs: 0 } }),
      'slas[0].kpis[1].target.thresholdMs',
      /above 0/,
    ],
    [
      'period week',
      (c) => Object.assign(c.slas[0]?.kpis[0] ?? {}, { period: 'week' }),
      'slas[0].kpis[0].period',
      /./,
    ],
    [
      'unknown zone',
      (c) =>
        Object.assign(c.slas[1]?.kpis[2] ?? {}, { schedule: { kind: '24x7', timeZone: 'Mars/Olympus' } }),
      'slas[1].kpis[2].schedule.timeZone',
      /IANA/,
    ],
    [
      'bad holiday',
      (c) => Object.assign(c.slas[2]?.kpis[0]?.schedule ?? {}, { holidays: ['2026-02-30'] }),
      'slas[2].kpis[0].schedule.holidays[0]',
      /YYYY-MM-DD/,
    ],
    [
      'negative brief interruption',
      (c) => Object.assign(c.slas[1]?.kpis[0] ?? {}, { briefInterruptionSeconds: -1 }),
      'slas[1].kpis[0].briefInterruptionSeconds',
      /0 or more/,
    ],
    [
      'exclusion with ;',
      (c) => Object.assign(c.slas[0]?.kpis[1] ?? {}, { exclusions: ['ok', 'a;b'] }),
      'slas[0].kpis[1].exclusions[1]',
      /";"/,
    ],
    ['client id', (c) => Object.assign(c.slas[0] ?? {}, { client: 'Bank A' }), 'slas[0].client', /client id/],
    [
      'chain with spaces around',
      (c) => Object.assign(c.slas[0] ?? {}, { chain: ' Payments' }),
      'slas[0].chain',
      /space/,
    ],
    [
      'SLA without KPIs',
      (c) => Object.assign(c.slas[2] ?? {}, { kpis: [] }),
      'slas[2].kpis',
      /at least one KPI/,
    ],
    ['unknown key', (c) => Object.assign(c.slas[0] ?? {}, { owner: 'x' }), 'slas[0]', /owner/],
  ];
  it.each(cases)('names the path of: %s', (_name, breakIt, path, message) => {
    const broken = clone();
    breakIt(broken);
    const issues = issuesOf(parseCatalogueJson(JSON.stringify(broken)));
    expect(issues.map((i) => i.path)).toContain(path);
    expect(issues.find((i) => i.path === path)?.message).toMatch(message);
  });

  it('refuses a __proto__ key instead of merging it', () => {
    const text = JSON.stringify(FIXTURE).replace(
      '"id":"SLA-PAY-001"',
      '"__proto__":{"polluted":true},"id":"SLA-PAY-001"',
    );
    const issues = issuesOf(parseCatalogueJson(text));
    expect(issues.map((i) => i.path)).toContain('slas[0]');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

/** The valid fixture as CSV, with cells of rows (1-based, header = 1) replaced. */
function csvWith(...edits: Array<[row: number, column: string, value: string]>): string {
  const records = splitRecords(catalogueToCsv(valid()));
  const header = records[0] ?? [];
  for (const [row, column, value] of edits) {
    const target = records[row - 1];
    if (target === undefined || !header.includes(column))
      throw new Error(`no row ${row} or column ${column}`);
    target[header.indexOf(column)] = value;
  }
  return records.map((r) => r.map((c) => `"${c.replaceAll('"', '""')}"`).join(',')).join('\r\n');
}

/** A test-side CSV splitter (independent of the module's) for building broken inputs. */
function splitRecords(text: string): string[][] {
  const records: string[][] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else if (c === '\n') {
      cells.push(cell);
      records.push(cells);
      cells = [];
      cell = '';
    } else if (c !== '\r') cell += c;
  }
  return records;
}

describe('catalogueToCsv / parseCatalogueCsv', () => {
  it('writes one row per KPI with the documented columns and compact schedules', () => {
    const text = catalogueToCsv(valid());
    const records = splitRecords(text);
    expect(records[0]).toEqual([...CATALOGUE_CSV_COLUMNS]);
    expect(records).toHaveLength(1 + 7);
    const hr = records[4] ?? [];
    const col = (name: string): string => hr[CATALOGUE_CSV_COLUMNS.indexOf(name as never)] ?? '';
    expect(col('schedule')).toBe('mon-fri 07:00-19:00; sat 08:00-12:00');
    expect(col('holidays')).toBe(belgianPublicHolidayDates(2026).join(';'));
    expect(col('time_zone')).toBe('Europe/Brussels');
    expect(col('brief_interruption_s')).toBe('60');
    expect(col('chain')).toBe('HR "self-service"');
    expect(records[2]?.[CATALOGUE_CSV_COLUMNS.indexOf('threshold_ms')]).toBe('1000');
    expect(records[2]?.[CATALOGUE_CSV_COLUMNS.indexOf('exclusions')]).toBe('planned;third-party');
    expect(records[7]?.[CATALOGUE_CSV_COLUMNS.indexOf('schedule')]).toBe('mon,wed,fri 00:00-24:00');
    // Commas, quotes and line breaks are quoted; a formula-looking cell is defused.
    expect(text).toContain('"Payments, instant"');
    expect(text).toContain('"HR ""self-service"""');
    expect(text).toContain('"client asked for the stop,\nsee ticket ""CHG-1"""');
    expect(text).toContain(",'=Batch chain,");
  });

  it('round-trips the fixture exactly', () => {
    expect(parseCatalogueCsv(catalogueToCsv(valid()))).toEqual({ ok: true, catalogue: valid() });
  });

  it('reads hand-written CSV: LF ends, BOM, any column order, BE:years and case-free day names', () => {
    const header = [...CATALOGUE_CSV_COLUMNS].reverse().join(',');
    const row = (cells: Record<string, string>): string =>
      [...CATALOGUE_CSV_COLUMNS]
        .reverse()
        .map((c) => cells[c] ?? '')
        .join(',');
    const text = `\uFEFF${header}\n${row({
      sla_id: 'S1',
      service: 'svc',
      chain: 'Chain',
      client: 'c1',
      kpi_id: 'k',
      type: 'availability',
      target: '99.9',
      period: 'month',
      schedule: 'Mon-Fri 08:00-18:00',
      holidays: 'BE:2026-2027; 2026-12-24',
    })}\n\n`;
    const result = parseCatalogueCsv(text);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const schedule = result.catalogue.slas[0]?.kpis[0]?.schedule;
    expect(schedule).toEqual({
      kind: 'business-hours',
      timeZone: 'Europe/Brussels',
      hours: [{ weekdays: [1, 2, 3, 4, 5], from: '08:00', to: '18:00' }],
      holidays: [...belgianPublicHolidayDates(2026), ...belgianPublicHolidayDates(2027), '2026-12-24'],
    });
  });

  // Row 5 (the HR availability KPI) holds a line break in a quoted cell: rows count records, not lines.
  const cases: Array<[string, number, string, string, number, string, RegExp]> = [
    ['target not a number', 6, 'target', 'abc', 6, 'target', /not a number/],
    ['target out of range', 2, 'target', '0', 2, 'target', /above 0/],
    ['hex number refused', 3, 'target', '0x10', 3, 'target', /not a number/],
    ['threshold missing', 3, 'threshold_ms', '', 3, 'threshold_ms', /needs a threshold/],
    ['threshold where none belongs', 2, 'threshold_ms', '5', 2, 'threshold_ms', /must be empty/],
    ['threshold fractional', 4, 'threshold_ms', '1.5', 4, 'threshold_ms', /whole/],
    ['unknown type', 7, 'type', 'uptime', 7, 'type', /not one of/],
    ['bad period', 8, 'period', 'week', 8, 'period', /./],
    ['schedule syntax', 5, 'schedule', 'weekdays', 5, 'schedule', /<days> HH:mm-HH:mm/],
    ['schedule days backwards', 5, 'schedule', 'fri-mon 07:00-19:00', 5, 'schedule', /backwards/],
    ['schedule bad day', 5, 'schedule', 'mon-fry 07:00-19:00', 5, 'schedule', /not a day/],
    ['schedule bad time', 8, 'schedule', 'mon 7:00-19:00', 8, 'schedule', /HH:mm/],
    ['schedule end before start', 8, 'schedule', 'mon 19:00-07:00', 8, 'schedule', /after/],
    ['bad zone', 7, 'time_zone', 'Mars/Olympus', 7, 'time_zone', /IANA/],
    ['bad holiday', 5, 'holidays', '2026-01-01;2026-13-01', 5, 'holidays', /YYYY-MM-DD/],
    ['holidays on 24x7', 2, 'holidays', '2026-01-01', 2, 'holidays', /24x7/],
    ['BE years backwards', 5, 'holidays', 'BE:2027-2026', 5, 'holidays', /in order/],
    ['service differs within an SLA', 4, 'service', 'other', 4, 'service', /differs from row 2/],
    ['client differs within an SLA', 7, 'client', 'bank-b', 7, 'client', /differs from row 5/],
    ['duplicate KPI id', 4, 'kpi_id', 'rt-1s', 4, 'kpi_id', /already used/],
    ['bad SLA id', 8, 'sla_id', 'SLA 3', 8, 'sla_id', /an id is/],
    ['bad client id', 8, 'client', 'Bank A', 8, 'client', /client id/],
    ['negative brief interruption', 5, 'brief_interruption_s', '-1', 5, 'brief_interruption_s', /0 or more/],
    ['brief interruption text', 5, 'brief_interruption_s', 'one', 5, 'brief_interruption_s', /not a number/],
    ['exclusion blank item', 3, 'exclusions', 'planned;;x', 3, 'exclusions', /not be empty/],
  ];
  it.each(cases)('names row and column of: %s', (_name, row, column, value, wantRow, wantColumn, message) => {
    const issues = issuesOf(parseCatalogueCsv(csvWith([row, column, value])));
    const issue = issues.find((i) => i.row === wantRow && i.column === wantColumn);
    expect(issue, JSON.stringify(issues)).toBeDefined();
    expect(issue?.message).toMatch(message);
    expect(issue?.path).toBe(`row ${wantRow}, column ${wantColumn}`);
  });

  it('reports header problems on row 1 and file-level syntax errors with their row', () => {
    const text = catalogueToCsv(valid());
    const noZone = text.replace('time_zone,', '');
    expect(issuesOf(parseCatalogueCsv(noZone))).toContainEqual(
      expect.objectContaining({ row: 1, column: 'time_zone', message: 'column missing from the header' }),
    );
    const extra = text.replace('sla_id,', 'sla_id,owner,');
    expect(issuesOf(parseCatalogueCsv(extra))).toContainEqual(
      expect.objectContaining({ row: 1, column: 'owner' }),
    );
    expect(issuesOf(parseCatalogueCsv(''))).toEqual([
      { path: 'row 1', row: 1, message: 'the CSV has no header row' },
    ]);
    const header = CATALOGUE_CSV_COLUMNS.join(',');
    expect(issuesOf(parseCatalogueCsv(`${header}\r\nS1,"svc,x`))).toEqual([
      { path: 'row 2', row: 2, message: 'a quoted cell is never closed' },
    ]);
    expect(issuesOf(parseCatalogueCsv(`${header}\r\nS1,"svc"x`))[0]).toMatchObject({ row: 2 });
    expect(issuesOf(parseCatalogueCsv(`${header}\r\nS1,sv"c`))[0]).toMatchObject({ row: 2 });
    expect(issuesOf(parseCatalogueCsv(`${header}\r\nS1,svc\r\n`))[0]).toMatchObject({
      row: 2,
      message: '2 cells where the header has 14',
    });
  });

  it('reports every bad row, cell problems and schema problems together', () => {
    const text = csvWith([2, 'target', 'x'], [3, 'threshold_ms', '-3'], [8, 'period', 'week']);
    const issues = issuesOf(parseCatalogueCsv(text));
    expect(issues.map((i) => i.path).sort()).toEqual([
      'row 2, column target',
      'row 3, column threshold_ms',
      'row 8, column period',
    ]);
  });

  it('takes the edited fixture back unchanged when the edit is a no-op (the helper is sound)', () => {
    expect(parseCatalogueCsv(csvWith([2, 'target', '99.95']))).toEqual({ ok: true, catalogue: valid() });
  });
});

// ---------------------------------------------------------------------------------------------
// Property: any valid catalogue survives CSV and JSON.

/** Characters that stress CSV and formula escaping. */
const tricky = fc.constantFrom('a', 'Z', '7', ' ', ',', '"', "'", '=', '+', '-', '@', 'é', ';', '\t', '.');
const nameArb = fc
  .string({ unit: tricky, minLength: 1, maxLength: 12 })
  .map((s) => s.replaceAll('\t', ' '))
  .filter((s) => s === s.trim() && s.length > 0);
const exclusionArb = fc
  .string({ unit: fc.oneof(tricky, fc.constant('\n'), fc.constant('\r\n')), minLength: 1, maxLength: 12 })
  .map((s) => s.replaceAll(';', ','))
  .filter((s) => s === s.trim() && s.length > 0);
const idArb = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,8}$/);
const percentArb = fc.double({ min: Number.MIN_VALUE, max: 100, noNaN: true });
const timeZoneArb = fc.constantFrom('Europe/Brussels', 'UTC', 'America/New_York', 'Asia/Kolkata');
const timeArb = (min: number, max: number): fc.Arbitrary<number> => fc.integer({ min, max });
const hhmm = (minutes: number): string =>
  minutes === 1440
    ? '24:00'
    : `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
const rangeArb = fc
  .tuple(
    fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
    timeArb(0, 1439),
    timeArb(1, 1440),
  )
  .filter(([, from, to]) => to > from)
  .map(([weekdays, from, to]) => ({ weekdays, from: hhmm(from), to: hhmm(to) }));
const dateArb = fc
  .tuple(
    fc.integer({ min: 1970, max: 2100 }),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 28 }),
  )
  .map(([year, month, day]) => formatLocalDate({ year, month, day }));
const scheduleArb = fc.oneof(
  fc.record({ kind: fc.constant('24x7' as const), timeZone: timeZoneArb }),
  fc.record({
    kind: fc.constant('business-hours' as const),
    timeZone: timeZoneArb,
    hours: fc.array(rangeArb, { minLength: 1, maxLength: 3 }),
    holidays: fc.array(dateArb, { maxLength: 4 }),
  }),
);
const targetArb = fc.oneof(
  fc.record({ type: fc.constant('availability'), target: fc.record({ percent: percentArb }) }),
  fc.record({
    type: fc.constant('responseTime'),
    target: fc.record({ percent: percentArb, thresholdMs: fc.integer({ min: 1, max: 600_000 }) }),
  }),
  fc.record({
    type: fc.constant('batchDeadline'),
    target: fc.record({ percent: percentArb, deadlineMs: fc.integer({ min: 1, max: 86_400_000 }) }),
  }),
  fc.record({ type: fc.constant('incidentCount'), target: fc.record({ maxCount: fc.nat(1000) }) }),
  fc.record({
    type: fc.constant('mttr'),
    target: fc.record({ maxMinutes: fc.double({ min: 0.001, max: 1e5, noNaN: true }) }),
  }),
);
const kpiArb = fc
  .tuple(
    idArb,
    targetArb,
    fc.constantFrom('day', 'month', 'quarter'),
    scheduleArb,
    fc.array(exclusionArb, { maxLength: 3 }),
    fc.option(fc.double({ min: 0, max: 86_400, noNaN: true, noDefaultInfinity: true }), { nil: undefined }),
  )
  .map(([id, t, period, schedule, exclusions, brief]) => ({
    id,
    ...t,
    period,
    schedule,
    exclusions,
    ...(brief === undefined || Object.is(brief, -0) ? {} : { briefInterruptionSeconds: brief }),
  }));
const slaArb = fc.record({
  id: idArb,
  serviceId: nameArb,
  chain: nameArb,
  client: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,8}$/),
  kpis: fc.uniqueArray(kpiArb, { minLength: 1, maxLength: 4, selector: (k) => k.id }),
});
const catalogueArb = fc
  .uniqueArray(slaArb, { maxLength: 5, selector: (s) => s.id })
  .map((slas) => slaCatalogueSchema.parse({ version: 1, slas }));

describe('round trip (property)', () => {
  it('any valid catalogue survives catalogue -> CSV -> catalogue and catalogue -> JSON -> catalogue', () => {
    fc.assert(
      fc.property(catalogueArb, (catalogue) => {
        expect(parseCatalogueCsv(catalogueToCsv(catalogue))).toEqual({ ok: true, catalogue });
        expect(parseCatalogueJson(catalogueToJson(catalogue))).toEqual({ ok: true, catalogue });
      }),
      { numRuns: 300 },
    );
  });
});
