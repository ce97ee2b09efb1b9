import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { belgianPublicHolidayDates } from './belgian-holidays';
import {
  AVAILABILITY_BUCKETS,
  combineAvailability,
  computeAvailability,
  OUTAGE_CLASSIFICATIONS,
  type AvailabilityFigures,
  type AvailabilityInput,
  type ClassifiedOutage,
  type StateInterval,
} from './sla-availability';
import {
  datesOfMonth,
  localDayPeriod,
  localMonthPeriod,
  slaScheduleSchema,
  type SlaSchedule,
} from './sla-schedule';
import { STATUSES } from './status';

const MIN = 60_000;
const HOUR = 3_600_000;
/** An instant written in UTC, to the minute. Brussels is UTC+1 in winter, UTC+2 in summer. */
const utc = (text: string): number => Date.parse(`${text}:00Z`);
const BXL = 'Europe/Brussels';
const always: SlaSchedule = slaScheduleSchema.parse({ kind: '24x7' });
const officeHours: SlaSchedule = slaScheduleSchema.parse({
  kind: 'business-hours',
  hours: [{ weekdays: [1, 2, 3, 4, 5], from: '07:00', to: '19:00' }],
  holidays: belgianPublicHolidayDates(2026),
});
const day = (year: number, month: number, d: number) => localDayPeriod({ year, month, day: d }, BXL);
const state = (from: number, to: number, status: StateInterval['status']): StateInterval => ({
  from,
  to,
  status,
});
/** Up from long before to long after, with the given intervals laid over it (worst wins). */
const upAround = (...over: StateInterval[]): StateInterval[] => [
  state(utc('2025-12-01T00:00'), utc('2027-02-01T00:00'), 'up'),
  ...over,
];

function sumOfBuckets(f: AvailabilityFigures): number {
  return AVAILABILITY_BUCKETS.reduce((total, bucket) => total + f.ms[bucket], 0);
}

describe('computeAvailability: hand-computed cases', () => {
  it('measures the 23-hour spring DST day (29 March 2026) with one hour down', () => {
    const period = day(2026, 3, 29);
    const down = state(utc('2026-03-29T08:00'), utc('2026-03-29T09:00'), 'down');
    const f = computeAvailability({ period, schedule: always, states: upAround(down) });
    expect(f.scheduledMs).toBe(23 * HOUR);
    expect(f.ms).toMatchObject({ up: 22 * HOUR, unplanned: HOUR, unknown: 0 });
    expect(f.availabilityPercent).toBe((22 * 100) / 23);
    expect(f.unavailabilityPercent).toBe(100 / 23);
  });

  it('measures the 25-hour autumn DST day (25 October 2026) with a down period across the repeated hour', () => {
    const period = day(2026, 10, 25);
    // 02:30 summer time to 02:30 winter time: the clock shows the same time, two real hours passed.
    const down = state(utc('2026-10-25T00:30'), utc('2026-10-25T01:30'), 'down');
    const down2 = state(utc('2026-10-25T01:30'), utc('2026-10-25T02:30'), 'down');
    const f = computeAvailability({ period, schedule: always, states: upAround(down, down2) });
    expect(f.scheduledMs).toBe(25 * HOUR);
    expect(f.ms.unplanned).toBe(2 * HOUR);
    expect(f.availableMs).toBe(23 * HOUR);
    expect(f.availabilityPercent).toBe(92);
  });

  it('splits an outage across midnight between the two days, and the two days add up to it', () => {
    // 23:00 on 10 March to 01:00 on 11 March, Brussels winter time.
    const down = state(utc('2026-03-10T22:00'), utc('2026-03-11T00:00'), 'down');
    const input = { schedule: always, states: upAround(down) };
    const first = computeAvailability({ ...input, period: day(2026, 3, 10) });
    const second = computeAvailability({ ...input, period: day(2026, 3, 11) });
    expect(first.ms.unplanned).toBe(HOUR);
    expect(second.ms.unplanned).toBe(HOUR);
    const both = computeAvailability({
      ...input,
      period: { from: day(2026, 3, 10).from, to: day(2026, 3, 11).to },
    });
    expect(both.ms.unplanned).toBe(2 * HOUR);
    expect(combineAvailability([first, second])).toEqual(both);
  });

  it('splits an outage across the end of March between the two months', () => {
    // 23:30 on 31 March to 00:30 on 1 April, Brussels summer time.
    const down = state(utc('2026-03-31T21:30'), utc('2026-03-31T22:30'), 'down');
    const input = { schedule: always, states: upAround(down) };
    const march = computeAvailability({ ...input, period: localMonthPeriod(2026, 3, BXL) });
    const april = computeAvailability({ ...input, period: localMonthPeriod(2026, 4, BXL) });
    expect(march.ms.unplanned).toBe(30 * MIN);
    expect(april.ms.unplanned).toBe(30 * MIN);
    // March in Brussels has 743 hours (the spring day has 23).
    expect(march.scheduledMs).toBe(743 * HOUR);
    expect(march.availabilityPercent).toBe(((743 * HOUR - 30 * MIN) * 100) / (743 * HOUR));
  });

  it('counts the overlap of a maintenance and an outage as maintenance, out of the denominator', () => {
    const period = day(2026, 6, 10);
    // Down 10:00-12:00, maintenance 11:00-13:00 (local summer time).
    const down = state(utc('2026-06-10T08:00'), utc('2026-06-10T10:00'), 'down');
    const maintenance = [{ from: utc('2026-06-10T09:00'), to: utc('2026-06-10T11:00') }];
    const f = computeAvailability({ period, schedule: always, states: upAround(down), maintenance });
    expect(f.ms).toEqual({
      up: 21 * HOUR,
      degraded: 0,
      unplanned: HOUR,
      thirdParty: 0,
      planned: 0,
      excluded: 0,
      maintenance: 2 * HOUR,
      unknown: 0,
    });
    expect(f.denominatorMs).toBe(22 * HOUR);
    expect(f.availabilityPercent).toBe((21 * 100) / 22);
  });

  it('counts status maintenance as maintenance too', () => {
    const period = day(2026, 6, 10);
    const m = state(utc('2026-06-10T08:00'), utc('2026-06-10T10:00'), 'maintenance');
    const f = computeAvailability({ period, schedule: always, states: upAround(m) });
    expect(f.ms.maintenance).toBe(2 * HOUR);
    expect(f.availabilityPercent).toBe(100);
  });

  it('reports unknown gaps as their own figure, kept in the denominator and never available', () => {
    const period = day(2026, 6, 10); // 2026-06-09T22:00Z to 2026-06-10T22:00Z
    const states = [
      state(period.from, utc('2026-06-10T06:00'), 'up'),
      // A gap 06:00-07:00 UTC: no data.
      state(utc('2026-06-10T07:00'), utc('2026-06-10T08:00'), 'unknown'),
      state(utc('2026-06-10T08:00'), utc('2026-06-10T20:00'), 'up'),
      // No data after 20:00 UTC either: the last two hours are unknown.
    ];
    const f = computeAvailability({ period, schedule: always, states });
    expect(f.ms.unknown).toBe(4 * HOUR);
    expect(f.availableMs).toBe(20 * HOUR);
    expect(f.denominatorMs).toBe(24 * HOUR);
    expect(f.availabilityPercent).toBe((20 * 100) / 24);
    expect(f.unknownPercent).toBe((4 * 100) / 24);
    expect(f.unavailabilityPercent).toBe(0);
    expect(f.availabilityBestCasePercent).toBe(100);
  });

  it('with no data at all is 0 % available and 100 % unknown, never 100 % up', () => {
    const f = computeAvailability({ period: day(2026, 6, 10), schedule: always, states: [] });
    expect(f.ms.unknown).toBe(24 * HOUR);
    expect(f.availabilityPercent).toBe(0);
    expect(f.unknownPercent).toBe(100);
  });

  it('measures only business hours and nothing on a public holiday', () => {
    // Ascension, Thursday 14 May 2026: down all day, but no scheduled time.
    const holiday = day(2026, 5, 14);
    const allDayDown = state(holiday.from, holiday.to, 'down');
    const onHoliday = computeAvailability({
      period: holiday,
      schedule: officeHours,
      states: upAround(allDayDown),
    });
    expect(onHoliday.scheduledMs).toBe(0);
    expect(onHoliday.availabilityPercent).toBeNull();
    expect(onHoliday.percentOfScheduled).toBeNull();
    // Friday 8 May: down 18:00-20:00 local; only 18:00-19:00 is scheduled.
    const down = state(utc('2026-05-08T16:00'), utc('2026-05-08T18:00'), 'down');
    const input = { schedule: officeHours, states: upAround(allDayDown, down) };
    const friday = computeAvailability({ ...input, period: day(2026, 5, 8) });
    expect(friday.scheduledMs).toBe(12 * HOUR);
    expect(friday.ms.unplanned).toBe(HOUR);
    expect(friday.availabilityPercent).toBe((11 * 100) / 12);
    // May 2026: 18 working days of 12 hours; one hour down in all.
    const may = computeAvailability({ ...input, period: localMonthPeriod(2026, 5, BXL) });
    expect(may.scheduledMs).toBe(216 * HOUR);
    expect(may.ms.unplanned).toBe(HOUR);
    expect(may.availabilityPercent).toBe((215 * 100) / 216);
  });

  it('ignores a brief interruption between known states, counting it as up', () => {
    const period = day(2026, 6, 10);
    const blip = state(utc('2026-06-10T08:00'), utc('2026-06-10T08:02'), 'down');
    const policy = { briefInterruptionMs: 5 * MIN };
    const f = computeAvailability({ period, schedule: always, states: upAround(blip), policy });
    expect(f.ms.unplanned).toBe(0);
    expect(f.ms.up).toBe(24 * HOUR);
    expect(f.briefInterruptionMs).toBe(2 * MIN);
    expect(f.availabilityPercent).toBe(100);
    // Exactly the threshold is not shorter than it: counted.
    const five = state(utc('2026-06-10T08:00'), utc('2026-06-10T08:05'), 'down');
    expect(
      computeAvailability({ period, schedule: always, states: upAround(five), policy }).ms.unplanned,
    ).toBe(5 * MIN);
    // Without a threshold, every down millisecond counts.
    expect(computeAvailability({ period, schedule: always, states: upAround(blip) }).ms.unplanned).toBe(
      2 * MIN,
    );
  });

  it('never ignores a short down period next to unknown time (its length is not known)', () => {
    const period = day(2026, 6, 10);
    const policy = { briefInterruptionMs: 5 * MIN };
    const states = [
      state(period.from, utc('2026-06-10T08:00'), 'up'),
      state(utc('2026-06-10T08:00'), utc('2026-06-10T08:02'), 'down'),
      // Then no data (an outage still going on when the data ends looks the same).
      state(utc('2026-06-10T09:00'), period.to, 'up'),
    ];
    const f = computeAvailability({ period, schedule: always, states, policy });
    expect(f.ms.unplanned).toBe(2 * MIN);
    expect(f.ms.unknown).toBe(58 * MIN);
    expect(f.briefInterruptionMs).toBe(0);
  });

  it('measures a down period against the threshold whole, wherever midnight cuts it', () => {
    // 3 minutes before midnight and 7 after (Brussels, winter): 10 minutes, above a 5-minute threshold.
    const down = state(utc('2026-03-10T22:57'), utc('2026-03-10T23:07'), 'down');
    const input = { schedule: always, states: upAround(down), policy: { briefInterruptionMs: 5 * MIN } };
    const first = computeAvailability({ ...input, period: day(2026, 3, 10) });
    const second = computeAvailability({ ...input, period: day(2026, 3, 11) });
    expect(first.ms.unplanned).toBe(3 * MIN);
    expect(second.ms.unplanned).toBe(7 * MIN);
  });

  it('ignores a brief interruption across midnight on both days, measured whole', () => {
    // 1 minute before midnight and 3 after: 4 minutes, under a 5-minute threshold, on neither day an outage.
    const down = state(utc('2026-03-10T22:59'), utc('2026-03-10T23:03'), 'down');
    const input = { schedule: always, states: upAround(down), policy: { briefInterruptionMs: 5 * MIN } };
    const first = computeAvailability({ ...input, period: day(2026, 3, 10) });
    const second = computeAvailability({ ...input, period: day(2026, 3, 11) });
    expect([first.ms.unplanned, second.ms.unplanned]).toEqual([0, 0]);
    expect([first.briefInterruptionMs, second.briefInterruptionMs]).toEqual([MIN, 3 * MIN]);
  });

  it('classifies down time by its outage record; planned and excluded leave the denominator', () => {
    const period = day(2026, 6, 10);
    const down = state(utc('2026-06-10T04:00'), utc('2026-06-10T08:00'), 'down');
    const outages: ClassifiedOutage[] = [
      { from: utc('2026-06-10T04:00'), to: utc('2026-06-10T05:00'), classification: 'planned' },
      { from: utc('2026-06-10T05:00'), to: utc('2026-06-10T06:00'), classification: 'excluded' },
      { from: utc('2026-06-10T06:00'), to: utc('2026-06-10T07:00'), classification: 'third-party' },
      // A record over up time changes nothing: it classifies down time only.
      { from: utc('2026-06-10T12:00'), to: utc('2026-06-10T13:00'), classification: 'unplanned' },
    ];
    const f = computeAvailability({ period, schedule: always, states: upAround(down), outages });
    expect(f.ms).toMatchObject({
      up: 20 * HOUR,
      planned: HOUR,
      excluded: HOUR,
      thirdParty: HOUR,
      unplanned: HOUR,
    });
    expect(f.notCountedMs).toBe(2 * HOUR);
    expect(f.unavailableMs).toBe(2 * HOUR);
    expect(f.availabilityPercent).toBe((20 * 100) / 22);
    const lenient = computeAvailability({
      period,
      schedule: always,
      states: upAround(down),
      outages,
      policy: { thirdPartyCounts: false },
    });
    expect(lenient.ms).toEqual(f.ms);
    expect(lenient.availabilityPercent).toBe((20 * 100) / 21);
  });

  it('lets the strictest of overlapping outage records win', () => {
    const period = day(2026, 6, 10);
    const down = state(utc('2026-06-10T04:00'), utc('2026-06-10T06:00'), 'down');
    const outages: ClassifiedOutage[] = [
      { from: utc('2026-06-10T04:00'), to: utc('2026-06-10T06:00'), classification: 'excluded' },
      { from: utc('2026-06-10T05:00'), to: utc('2026-06-10T07:00'), classification: 'third-party' },
    ];
    const f = computeAvailability({ period, schedule: always, states: upAround(down), outages });
    expect(f.ms).toMatchObject({ excluded: HOUR, thirdParty: HOUR });
  });

  it('counts degraded as available by default, as an outage when the SLA says so', () => {
    const period = day(2026, 6, 10);
    const slow = state(utc('2026-06-10T04:00'), utc('2026-06-10T07:00'), 'degraded');
    const outages: ClassifiedOutage[] = [
      { from: utc('2026-06-10T06:00'), to: utc('2026-06-10T07:00'), classification: 'third-party' },
    ];
    const input = { period, schedule: always, states: upAround(slow), outages };
    const lenient = computeAvailability(input);
    expect(lenient.ms).toMatchObject({ up: 21 * HOUR, degraded: 3 * HOUR, unplanned: 0 });
    expect(lenient.availabilityPercent).toBe(100);
    const strict = computeAvailability({ ...input, policy: { degradedIsAvailable: false } });
    expect(strict.ms).toMatchObject({ up: 21 * HOUR, degraded: 0, unplanned: 2 * HOUR, thirdParty: HOUR });
    expect(strict.degradedOutageMs).toBe(3 * HOUR);
    expect(strict.availabilityPercent).toBe((21 * 100) / 24);
  });

  it('resolves overlapping state intervals to the worst status', () => {
    const period = day(2026, 6, 10);
    const states = [
      state(period.from, period.to, 'up'),
      state(utc('2026-06-10T01:00'), utc('2026-06-10T03:00'), 'degraded'),
      state(utc('2026-06-10T02:00'), utc('2026-06-10T04:00'), 'down'),
    ];
    const f = computeAvailability({ period, schedule: always, states });
    expect(f.ms).toMatchObject({ up: 21 * HOUR, degraded: HOUR, unplanned: 2 * HOUR });
  });

  it('refuses malformed input', () => {
    const period = day(2026, 6, 10);
    const bad: Array<Partial<AvailabilityInput>> = [
      { states: [state(10, 5, 'up')] },
      { states: [state(0.5, 5, 'up')] },
      { states: [{ from: 0, to: 5, status: 'green' as never }] },
      { outages: [{ from: 0, to: 5, classification: 'whatever' as never }] },
      { maintenance: [{ from: 9, to: 2 }] },
      { policy: { briefInterruptionMs: -1 } },
      { period: { from: 10, to: 5 } },
    ];
    for (const b of bad)
      expect(
        () => computeAvailability({ period, schedule: always, states: [], ...b }),
        JSON.stringify(b),
      ).toThrow(RangeError);
  });
});

describe('combineAvailability', () => {
  it('refuses periods that do not follow each other, different policies, or nothing', () => {
    const input = { schedule: always, states: upAround() };
    const a = computeAvailability({ ...input, period: day(2026, 6, 10) });
    const c = computeAvailability({ ...input, period: day(2026, 6, 12) });
    const b2 = computeAvailability({
      ...input,
      period: day(2026, 6, 11),
      policy: { degradedIsAvailable: false },
    });
    expect(() => combineAvailability([a, c])).toThrow(RangeError);
    expect(() => combineAvailability([a, b2])).toThrow(RangeError);
    expect(() => combineAvailability([])).toThrow(RangeError);
  });
});

// ---- Property tests -------------------------------------------------------------------------------

const MONTH = localMonthPeriod(2026, 10, BXL); // October 2026: 31 days, the last Sunday has 25 hours
const SPAN = { from: MONTH.from - 2 * 86_400_000, to: MONTH.to + 2 * 86_400_000 };

/** Random instant around the month, to the second (so the brief-interruption rule bites). */
const instant = fc.integer({ min: SPAN.from / 1_000, max: SPAN.to / 1_000 }).map((s) => s * 1_000);
const interval = fc
  .tuple(instant, fc.integer({ min: 0, max: 3 * 86_400 }))
  .map(([from, seconds]) => ({ from, to: Math.min(SPAN.to, from + seconds * 1_000) }));

/** A state history: consecutive pieces with random statuses, some of them left out (gaps). */
const states = fc
  .array(
    fc.record({
      seconds: fc.integer({ min: 1, max: 12 * 3_600 }),
      status: fc.constantFrom(...STATUSES),
      gap: fc.boolean(),
    }),
    { maxLength: 200 },
  )
  .chain((pieces) =>
    fc.integer({ min: SPAN.from / 1_000, max: MONTH.from / 1_000 }).map((startSeconds) => {
      const result: StateInterval[] = [];
      let at = startSeconds * 1_000;
      for (const p of pieces) {
        const to = at + p.seconds * 1_000;
        if (!p.gap) result.push({ from: at, to, status: p.status });
        at = to;
      }
      return result;
    }),
  );

const schedule: fc.Arbitrary<SlaSchedule> = fc.oneof(
  fc.constant(always),
  fc
    .record({
      ranges: fc.array(
        fc.record({
          weekdays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
          from: fc.integer({ min: 0, max: 1_439 }),
          length: fc.integer({ min: 1, max: 1_440 }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
      holidays: fc.uniqueArray(fc.integer({ min: 1, max: 31 }), { maxLength: 5 }),
    })
    .map(({ ranges, holidays }) => {
      const hhmm = (m: number): string =>
        m === 1_440
          ? '24:00'
          : `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
      return slaScheduleSchema.parse({
        kind: 'business-hours',
        hours: ranges.map((r) => ({
          weekdays: r.weekdays,
          from: hhmm(r.from),
          to: hhmm(Math.min(1_440, r.from + r.length)),
        })),
        holidays: holidays.map((d) => `2026-10-${String(d).padStart(2, '0')}`),
      });
    }),
);

const scenario = fc.record({
  schedule,
  states,
  outages: fc.array(
    fc.tuple(interval, fc.constantFrom(...OUTAGE_CLASSIFICATIONS)).map(([i, classification]) => ({
      ...i,
      classification,
    })),
    { maxLength: 8 },
  ),
  maintenance: fc.array(interval, { maxLength: 4 }),
  policy: fc.record({
    briefInterruptionMs: fc.integer({ min: 0, max: 2 * 3_600 }).map((s) => s * 1_000),
    degradedIsAvailable: fc.boolean(),
    thirdPartyCounts: fc.boolean(),
  }),
});

function checkBounds(f: AvailabilityFigures): void {
  expect(sumOfBuckets(f)).toBe(f.scheduledMs);
  expect(f.availableMs + f.unavailableMs + f.ms.unknown).toBe(f.denominatorMs);
  expect(f.denominatorMs + f.notCountedMs).toBe(f.scheduledMs);
  for (const value of AVAILABILITY_BUCKETS.map((b) => f.ms[b]))
    expect(Number.isSafeInteger(value) && value >= 0).toBe(true);
  const percents = [
    f.availabilityPercent,
    f.unavailabilityPercent,
    f.unknownPercent,
    f.availabilityBestCasePercent,
    ...AVAILABILITY_BUCKETS.map((b) => f.percentOfScheduled?.[b] ?? null),
  ];
  for (const p of percents) if (p !== null) expect(p >= 0 && p <= 100, String(p)).toBe(true);
  if (f.denominatorMs === 0) expect(f.availabilityPercent).toBeNull();
  else expect(f.availabilityPercent).not.toBeNull();
}

describe('computeAvailability: properties', () => {
  it('keeps every percentage within [0, 100] and makes the buckets sum to the scheduled time', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        checkBounds(computeAvailability({ ...s, period: MONTH }));
      }),
      { numRuns: 100 },
    );
  });

  it('combines the figures of the days of the month exactly into the month figures', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const month = computeAvailability({ ...s, period: MONTH });
        const days = datesOfMonth(2026, 10).map((d) =>
          computeAvailability({ ...s, period: localDayPeriod(d, BXL) }),
        );
        days.forEach(checkBounds);
        expect(days.reduce((total, d) => total + d.scheduledMs, 0)).toBe(month.scheduledMs);
        expect(combineAvailability(days)).toEqual(month);
      }),
      { numRuns: 40 },
    );
  });

  it('combines any split of a period exactly', () => {
    fc.assert(
      fc.property(scenario, fc.uniqueArray(instant, { maxLength: 6 }), (s, cuts) => {
        const points = [
          SPAN.from,
          ...cuts.filter((c) => c > SPAN.from && c < SPAN.to).sort((a, b) => a - b),
          SPAN.to,
        ];
        const parts = points
          .slice(1)
          .map((to, i) => computeAvailability({ ...s, period: { from: points[i] ?? 0, to } }));
        expect(combineAvailability(parts)).toEqual(computeAvailability({ ...s, period: SPAN }));
      }),
      { numRuns: 60 },
    );
  });

  it('never makes availability better by losing data: turning known time into gaps cannot raise it', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 0, max: 199 }), (s, drop) => {
        fc.pre(s.states.length > 0);
        const fewer = s.states.filter((_, i) => i !== drop % s.states.length);
        // Without a brief threshold, one dropped piece only moves its time into unknown.
        const policy = { ...s.policy, briefInterruptionMs: 0 };
        const before = computeAvailability({ ...s, policy, period: MONTH });
        const after = computeAvailability({ ...s, policy, states: fewer, period: MONTH });
        expect(after.availableMs).toBeLessThanOrEqual(before.availableMs);
        expect(after.ms.unknown).toBeGreaterThanOrEqual(before.ms.unknown);
      }),
      { numRuns: 60 },
    );
  });
});
