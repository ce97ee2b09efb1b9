import { describe, expect, it } from 'vitest';
import type { SnmpValue, SnmpVarbind } from '../../../ports/snmp-client';
import {
  evaluateProfile,
  SYS_UPTIME_OID,
  type ProfileReading,
  type ProfileResult,
  type ProfileState,
  type RequestFailure,
} from './evaluate-profile';
import { mibProfileSchema, type MibProfile, type MibProfileInput } from './mib-profile-schema';

const T0 = Date.UTC(2025, 2, 3, 9, 0, 0);
const COL = '1.3.6.1.4.1.32473.7.1.1';
const col = (n: number): string => `${COL}.${n}`;

function profile(input: Omit<MibProfileInput, 'schemaVersion' | 'id' | 'name'>): MibProfile {
  return mibProfileSchema.parse({ schemaVersion: 1, id: 'test', name: 'test', ...input });
}

const int = (value: number): SnmpValue => ({ type: 'integer', value });
const c32 = (value: number): SnmpValue => ({ type: 'counter32', value });
const c64 = (value: bigint): SnmpValue => ({ type: 'counter64', value });
const ticks = (value: number): SnmpValue => ({ type: 'timeticks', value });
const text = (value: string): SnmpValue => ({ type: 'octets', value });
const oid = (value: string): SnmpValue => ({ type: 'oid', value });

function snap(
  entries: Record<string, SnmpValue>,
  failures: RequestFailure[] = [],
): { varbinds: SnmpVarbind[]; failures: RequestFailure[] } {
  return { varbinds: Object.entries(entries).map(([o, value]) => ({ oid: o, value })), failures };
}

function reading(result: ProfileResult, metric: string, instance: string | null = null): ProfileReading {
  const found = result.readings.find((r) => r.metric === metric && r.instance === instance);
  if (found === undefined) throw new Error(`no reading ${metric}[${String(instance)}]`);
  return found;
}

/** Evaluates a sequence of polls, threading the state; returns every result. */
function polls(p: MibProfile, steps: { at: number; entries: Record<string, SnmpValue> }[]): ProfileResult[] {
  let state: ProfileState | undefined;
  return steps.map((step) => {
    const out = evaluateProfile(p, snap(step.entries), state, step.at);
    state = out.state;
    return out.result;
  });
}

const trafficProfile = profile({
  detectReboot: true,
  tables: [
    {
      name: 'ports',
      index: col(1),
      discontinuity: col(19),
      labels: [{ name: 'portName', column: col(2) }],
      metrics: [
        { name: 'inBits', column: col(6), type: 'counter', scale: 8, unit: 'bitsPerSecond' },
        { name: 'errors', column: col(14), type: 'counter', unit: 'errorsPerSecond' },
      ],
    },
  ],
});

function port(upTime: number, octets: bigint, errors: number, discontinuity = 0): Record<string, SnmpValue> {
  return {
    [SYS_UPTIME_OID]: ticks(upTime),
    [`${col(1)}.7`]: int(7),
    [`${col(2)}.7`]: text('uplink-1'),
    [`${col(6)}.7`]: c64(octets),
    [`${col(14)}.7`]: c32(errors),
    [`${col(19)}.7`]: ticks(discontinuity),
  };
}

describe('evaluateProfile counters', () => {
  it('gives no rate on the first sample, with the reason, never a zero', () => {
    const [first] = polls(trafficProfile, [{ at: T0, entries: port(1000, 5n, 1) }]);
    const r = reading(first!, 'inBits', '7');
    expect(r.value).toBeNull();
    expect(r.status).toBe('unknown');
    expect(r.reason?.code).toBe('firstSample');
    expect(r.raw).toBe('5');
    expect(r.labels).toEqual({ portName: 'uplink-1' });
  });

  it('turns Counter64 octets into bits per second across the 2^64 wrap', () => {
    const max = 2n ** 64n;
    const [, second] = polls(trafficProfile, [
      { at: T0, entries: port(1000, max - 100n, 0) },
      { at: T0 + 10_000, entries: port(2000, 50n, 0) },
    ]);
    // 150 octets in 10 s = 15 octets/s = 120 bits/s.
    expect(reading(second!, 'inBits', '7').value).toBe(120);
  });

  it('keeps Counter64 values above 2^53 exact', () => {
    const big = 2n ** 60n + 1n;
    const [, second] = polls(trafficProfile, [
      { at: T0, entries: port(1000, big, 0) },
      { at: T0 + 1000, entries: port(1100, big + 3n, 0) },
    ]);
    expect(reading(second!, 'inBits', '7').value).toBe(24);
    expect(reading(second!, 'inBits', '7').raw).toBe((big + 3n).toString());
  });

  it('turns a Counter32 that wrapped at 2^32 into the right rate', () => {
    const [, second] = polls(trafficProfile, [
      { at: T0, entries: port(1000, 0n, 0xffff_fff0) },
      { at: T0 + 2000, entries: port(1200, 0n, 0x10) },
    ]);
    // 0x10 + 0x10 = 32 errors in 2 s.
    expect(reading(second!, 'errors', '7').value).toBe(16);
  });

  it('makes a gap, not a spike, when a counter falls by most of its range, and says so', () => {
    const [, second] = polls(trafficProfile, [
      { at: T0, entries: port(1000, 0n, 1_000_000_000) },
      { at: T0 + 1000, entries: port(1100, 0n, 10) },
    ]);
    const r = reading(second!, 'errors', '7');
    expect(r.value).toBeNull();
    expect(r.reason?.code).toBe('counterReset');
    expect(second!.events).toEqual([
      expect.objectContaining({
        kind: 'counterDiscontinuity',
        metric: 'errors',
        instance: '7',
        cause: 'counterWentBack',
      }),
    ]);
  });

  it('makes a gap when ifCounterDiscontinuityTime changes, even if the counter went up', () => {
    const [, second, third] = polls(trafficProfile, [
      { at: T0, entries: port(1000, 1000n, 0, 0) },
      { at: T0 + 1000, entries: port(1100, 5000n, 0, 1050) },
      { at: T0 + 2000, entries: port(1200, 6000n, 0, 1050) },
    ]);
    expect(reading(second!, 'inBits', '7')).toMatchObject({ value: null, reason: { code: 'counterReset' } });
    expect(second!.events).toContainEqual(
      expect.objectContaining({ kind: 'counterDiscontinuity', metric: 'inBits', cause: 'discontinuityTime' }),
    );
    expect(reading(third!, 'inBits', '7').value).toBe(8000);
  });

  it('detects a reboot when sysUpTime goes back: a reboot event, gaps, and no discontinuity noise', () => {
    const [, second, third] = polls(trafficProfile, [
      { at: T0, entries: port(500_000, 10_000n, 50) },
      { at: T0 + 60_000, entries: port(3000, 200n, 0) },
      { at: T0 + 70_000, entries: port(4000, 1200n, 5) },
    ]);
    expect(second!.events).toEqual([
      { kind: 'reboot', profile: 'test', at: T0 + 60_000, previousUptimeSeconds: 5000, uptimeSeconds: 30 },
    ]);
    expect(reading(second!, 'inBits', '7').reason?.code).toBe('counterReset');
    expect(reading(second!, 'errors', '7').reason?.code).toBe('counterReset');
    expect(reading(third!, 'inBits', '7').value).toBe(800);
    expect(third!.events).toEqual([]);
  });

  it('sees a reboot during an outage longer than the new uptime, and makes no rate across it', () => {
    // Up 100 s at the last answer; 10 minutes without answers; now up 8 minutes, counter higher.
    const [, second] = polls(trafficProfile, [
      { at: T0, entries: port(10_000, 1000n, 0) },
      { at: T0 + 600_000, entries: port(48_000, 90_000n, 0) },
    ]);
    expect(second!.events).toEqual([
      { kind: 'reboot', profile: 'test', at: T0 + 600_000, previousUptimeSeconds: 100, uptimeSeconds: 480 },
    ]);
    expect(reading(second!, 'inBits', '7')).toMatchObject({ value: null, reason: { code: 'counterReset' } });
  });

  it('does not take an agent whose sysUpTime never moves (a recording) for one that restarts', () => {
    const [, second] = polls(trafficProfile, [
      { at: T0, entries: port(697_202_257, 1000n, 0) },
      { at: T0 + 60_000, entries: port(697_202_257, 1000n, 0) },
    ]);
    expect(second!.events).toEqual([]);
    expect(reading(second!, 'inBits', '7').value).toBe(0);
  });

  it('takes a sysUpTime wrap at 2^32 ticks (497 days) for a wrap, not a reboot', () => {
    const nearEnd = 2 ** 32 - 500; // 5 s before the wrap
    const [, second] = polls(trafficProfile, [
      { at: T0, entries: port(nearEnd, 1000n, 0) },
      { at: T0 + 10_000, entries: port(500, 2000n, 0) },
    ]);
    expect(second!.events).toEqual([]);
    expect(reading(second!, 'inBits', '7').value).toBe(800);
  });

  it('does not time a counter without sysUpTime', () => {
    const entries = port(1000, 5n, 0);
    delete entries[SYS_UPTIME_OID];
    const [, second] = polls(trafficProfile, [
      { at: T0, entries },
      { at: T0 + 1000, entries },
    ]);
    expect(reading(second!, 'inBits', '7')).toMatchObject({
      value: null,
      reason: { code: 'uptimeUnavailable' },
    });
  });

  it('gives no rate when no time elapsed', () => {
    const [, second] = polls(trafficProfile, [
      { at: T0, entries: port(1000, 5n, 0) },
      { at: T0, entries: port(1000, 6n, 0) },
    ]);
    expect(reading(second!, 'inBits', '7').reason?.code).toBe('interval');
  });

  it('refuses a counter sent as a gauge', () => {
    const entries = { ...port(1000, 5n, 0), [`${col(14)}.7`]: { type: 'gauge32', value: 3 } as SnmpValue };
    const [first] = polls(trafficProfile, [{ at: T0, entries }]);
    expect(reading(first!, 'errors', '7').reason?.code).toBe('wrongType');
  });
});

describe('evaluateProfile missing values', () => {
  const scalars = profile({
    scalars: [
      {
        name: 'charge',
        oid: '1.3.6.1.2.1.33.1.2.4.0',
        type: 'gauge',
        unit: 'percent',
        thresholds: { warningLow: 50 },
      },
      { name: 'model', oid: '1.3.6.1.2.1.33.1.1.2.0', type: 'text' },
    ],
  });

  it('reports noSuchObject and noSuchInstance as null with that reason, and the profile as unknown', () => {
    const out = evaluateProfile(
      scalars,
      snap({
        '1.3.6.1.2.1.33.1.2.4.0': { type: 'noSuchObject' },
        '1.3.6.1.2.1.33.1.1.2.0': { type: 'noSuchInstance' },
      }),
      undefined,
      T0,
    ).result;
    expect(reading(out, 'charge')).toMatchObject({
      value: null,
      status: 'unknown',
      reason: { code: 'noSuchObject' },
    });
    expect(reading(out, 'model')).toMatchObject({ value: null, reason: { code: 'noSuchInstance' } });
    expect(out.status).toBe('unknown');
    expect(out.conditions.map((c) => c.source)).toEqual(['reading', 'noData']);
  });

  it('reports a failed request as the reason of every value it should have brought', () => {
    const out = evaluateProfile(
      scalars,
      snap({}, [{ oid: '1.3.6.1.2.1.33.1.2.4.0', code: 'TIMEOUT', message: 'no answer in 2000 ms' }]),
      undefined,
      T0,
    ).result;
    expect(reading(out, 'charge').reason).toEqual({
      code: 'requestFailed',
      detail: 'TIMEOUT: no answer in 2000 ms',
    });
    expect(reading(out, 'model').reason?.code).toBe('missing');
    expect(out.status).toBe('unknown');
    expect(out.conditions.find((c) => c.source === 'noData')?.detail).toMatch(/TIMEOUT/);
  });

  it('counts a table whose rows could not be walked as unknown, not as empty', () => {
    const out = evaluateProfile(
      trafficProfile,
      snap({ [SYS_UPTIME_OID]: ticks(5) }, [{ oid: col(1), code: 'TIMEOUT', message: 'timed out' }]),
      undefined,
      T0,
    ).result;
    expect(out.tables).toEqual([
      { name: 'ports', rows: null, reason: { code: 'requestFailed', detail: 'TIMEOUT: timed out' } },
    ]);
    expect(out.status).toBe('unknown');
  });

  it('says the agent has nothing when it answered none of the objects', () => {
    const out = evaluateProfile(trafficProfile, snap({ [SYS_UPTIME_OID]: ticks(5) }), undefined, T0).result;
    expect(out.tables[0]?.rows).toBe(0);
    expect(out.status).toBe('unknown');
    expect(out.conditions).toEqual([expect.objectContaining({ source: 'noData' })]);
  });

  it('refuses a text where a number is expected', () => {
    const out = evaluateProfile(
      scalars,
      snap({ '1.3.6.1.2.1.33.1.2.4.0': text('87') }),
      undefined,
      T0,
    ).result;
    expect(reading(out, 'charge')).toMatchObject({ value: null, reason: { code: 'wrongType' } });
  });
});

describe('evaluateProfile scale, thresholds and enums', () => {
  const SENSOR = '1.3.6.1.2.1.99.1.1.1';
  const sensors = profile({
    tables: [
      {
        name: 'sensors',
        index: `${SENSOR}.4`,
        labels: [{ name: 'entPhysicalName', column: '1.3.6.1.2.1.47.1.1.1.1.7' }],
        metrics: [
          {
            name: 'temperature',
            column: `${SENSOR}.4`,
            type: 'gauge',
            unit: 'celsius',
            where: { column: `${SENSOR}.1`, in: [8] },
            entitySensorScale: { scale: `${SENSOR}.2`, precision: `${SENSOR}.3` },
            validWhen: { column: `${SENSOR}.5`, in: [1] },
            thresholds: { warningHigh: 27, criticalHigh: 32 },
          },
          {
            name: 'other',
            column: `${SENSOR}.4`,
            type: 'gauge',
            where: { column: `${SENSOR}.1`, notIn: [8] },
            entitySensorScale: { scale: `${SENSOR}.2`, precision: `${SENSOR}.3` },
          },
          {
            name: 'operStatus',
            column: `${SENSOR}.5`,
            type: 'enum',
            affectsStatus: false,
            enum: { '1': { label: 'ok', status: 'up' }, '2': { label: 'unavailable', status: 'unknown' } },
          },
        ],
      },
    ],
  });

  function sensor(
    index: number,
    type: number,
    scale: number,
    precision: number,
    value: number,
    oper = 1,
  ): Record<string, SnmpValue> {
    return {
      [`${SENSOR}.1.${index}`]: int(type),
      [`${SENSOR}.2.${index}`]: int(scale),
      [`${SENSOR}.3.${index}`]: int(precision),
      [`${SENSOR}.4.${index}`]: int(value),
      [`${SENSOR}.5.${index}`]: int(oper),
      [`1.3.6.1.2.1.47.1.1.1.1.7.${index}`]: text(`probe ${index}`),
    };
  }

  it('applies entPhySensorScale and entPhySensorPrecision from the row', () => {
    const out = evaluateProfile(
      sensors,
      snap({
        ...sensor(2, 8, 9, 1, 224), // units, one decimal: 22.4
        ...sensor(3, 8, 8, 0, 23_500), // milli: 23.5
        ...sensor(4, 8, 9, -2, 21), // negative precision counts accurate digits, not decimals: 21
        ...sensor(5, 4, 7, 2, 12_345), // micro volts with 2 decimals: 123.45 µV
        ...sensor(6, 6, 14, 0, 2), // exa(14) is 10^18 (the RFC lists it before peta)
        ...sensor(7, 6, 15, 0, 2), // peta(15) is 10^15
      }),
      undefined,
      T0,
    ).result;
    expect(reading(out, 'temperature', '2').value).toBe(22.4);
    expect(reading(out, 'temperature', '3').value).toBe(23.5);
    expect(reading(out, 'temperature', '4').value).toBe(21);
    expect(reading(out, 'other', '5').value).toBeCloseTo(123.45e-6, 12);
    expect(reading(out, 'other', '6').value).toBe(2e18);
    expect(reading(out, 'other', '7').value).toBe(2e15);
    expect(reading(out, 'temperature', '2').labels).toEqual({ entPhysicalName: 'probe 2' });
    // `where` keeps each metric to its rows.
    expect(out.readings.filter((r) => r.metric === 'temperature').map((r) => r.instance)).toEqual([
      '2',
      '3',
      '4',
    ]);
  });

  it('gives no value for a sensor that is not ok, and makes the profile unknown', () => {
    const out = evaluateProfile(sensors, snap({ ...sensor(2, 8, 9, 1, 0, 2) }), undefined, T0).result;
    expect(reading(out, 'temperature', '2')).toMatchObject({ value: null, reason: { code: 'notValid' } });
    expect(reading(out, 'temperature', '2').reason?.detail).toMatch(/operStatus is unavailable\(2\)/);
    expect(reading(out, 'operStatus', '2')).toMatchObject({
      value: 2,
      label: 'unavailable',
      status: 'unknown',
    });
    expect(out.status).toBe('unknown');
  });

  it('gives no value when the scale is outside the MIB range', () => {
    const out = evaluateProfile(sensors, snap({ ...sensor(2, 8, 42, 1, 220) }), undefined, T0).result;
    expect(reading(out, 'temperature', '2').reason?.code).toBe('scaleUnavailable');
  });

  it('cannot tell whether a metric applies when the filter column is missing', () => {
    const entries = sensor(2, 8, 9, 1, 220);
    delete entries[`${SENSOR}.1.2`];
    const out = evaluateProfile(sensors, snap(entries), undefined, T0).result;
    expect(reading(out, 'temperature', '2').reason?.code).toBe('filterUnknown');
  });

  it('reaches thresholds inclusively, critical before warning', () => {
    const out = evaluateProfile(
      sensors,
      snap({ ...sensor(1, 8, 9, 1, 269), ...sensor(2, 8, 9, 1, 270), ...sensor(3, 8, 9, 1, 320) }),
      undefined,
      T0,
    ).result;
    expect(reading(out, 'temperature', '1')).toMatchObject({ status: 'up', threshold: null });
    expect(reading(out, 'temperature', '2')).toMatchObject({ status: 'degraded', threshold: 'warningHigh' });
    expect(reading(out, 'temperature', '3')).toMatchObject({ status: 'down', threshold: 'criticalHigh' });
    expect(out.status).toBe('down');
    expect(out.conditions.map((c) => [c.instance, c.status])).toEqual([
      ['2', 'degraded'],
      ['3', 'down'],
    ]);
  });

  it('reads low thresholds and scales tenths without float noise', () => {
    const p = profile({
      scalars: [
        {
          name: 'charge',
          oid: '1.3.6.1.2.1.33.1.2.4.0',
          type: 'gauge',
          thresholds: { warningLow: 50, criticalLow: 20 },
        },
        { name: 'frequency', oid: '1.3.6.1.2.1.33.1.4.2.0', type: 'gauge', scale: 0.1, unit: 'hertz' },
      ],
    });
    const at = (charge: number): ProfileResult =>
      evaluateProfile(
        p,
        snap({ '1.3.6.1.2.1.33.1.2.4.0': int(charge), '1.3.6.1.2.1.33.1.4.2.0': int(499) }),
        undefined,
        T0,
      ).result;
    expect(reading(at(51), 'charge').status).toBe('up');
    expect(reading(at(50), 'charge').status).toBe('degraded');
    expect(reading(at(20), 'charge')).toMatchObject({ status: 'down', threshold: 'criticalLow' });
    expect(reading(at(51), 'frequency').value).toBe(49.9);
  });

  it('maps enum values to labels and statuses, unknown values to unknown or to unmappedStatus', () => {
    const ALARM = '1.3.6.1.2.1.33.1.6.2.1.2';
    const p = profile({
      scalars: [
        {
          name: 'batteryStatus',
          oid: '1.3.6.1.2.1.33.1.2.1.0',
          type: 'enum',
          enum: {
            '2': { label: 'batteryNormal', status: 'up' },
            '3': { label: 'batteryLow', status: 'down' },
          },
        },
      ],
      tables: [
        {
          name: 'alarms',
          index: ALARM,
          metrics: [
            {
              name: 'alarm',
              column: ALARM,
              type: 'enum',
              unmappedStatus: 'degraded',
              enum: {
                '1.3.6.1.2.1.33.1.6.3.2': {
                  label: 'onBattery',
                  status: 'degraded',
                  description: 'On battery.',
                },
              },
            },
          ],
        },
      ],
    });
    const run = (battery: number): ProfileResult =>
      evaluateProfile(
        p,
        snap({
          '1.3.6.1.2.1.33.1.2.1.0': int(battery),
          [`${ALARM}.1`]: oid('1.3.6.1.2.1.33.1.6.3.2'),
          [`${ALARM}.2`]: oid('1.3.6.1.4.1.32473.99.1'),
        }),
        undefined,
        T0,
      ).result;
    expect(reading(run(3), 'batteryStatus')).toMatchObject({ value: 3, label: 'batteryLow', status: 'down' });
    expect(reading(run(9), 'batteryStatus')).toMatchObject({ value: 9, label: '9', status: 'unknown' });
    const out = run(2);
    expect(reading(out, 'alarm', '1')).toMatchObject({
      value: '1.3.6.1.2.1.33.1.6.3.2',
      label: 'onBattery',
      description: 'On battery.',
      status: 'degraded',
    });
    expect(reading(out, 'alarm', '2')).toMatchObject({ label: '1.3.6.1.4.1.32473.99.1', status: 'degraded' });
    expect(out.status).toBe('degraded');
  });
});

describe('evaluateProfile ratios, aggregates and rules', () => {
  const HR = '1.3.6.1.2.1.25.2.3.1';
  const storage = profile({
    tables: [
      {
        name: 'storage',
        index: `${HR}.1`,
        metrics: [
          { name: 'usedPercent', column: `${HR}.6`, denominator: `${HR}.5`, type: 'ratio', scale: 100 },
          { name: 'usedBytes', column: `${HR}.6`, multiplyBy: `${HR}.4`, type: 'gauge', unit: 'bytes' },
        ],
        aggregates: [
          { name: 'maxUsed', function: 'max', metric: 'usedPercent', thresholds: { warningHigh: 90 } },
          { name: 'areas', function: 'count' },
        ],
      },
    ],
  });
  const area = (i: number, units: number, size: number, used: number): Record<string, SnmpValue> => ({
    [`${HR}.1.${i}`]: int(i),
    [`${HR}.4.${i}`]: int(units),
    [`${HR}.5.${i}`]: int(size),
    [`${HR}.6.${i}`]: int(used),
  });

  it('divides by the denominator column and multiplies by the allocation units', () => {
    const out = evaluateProfile(
      storage,
      snap({ ...area(31, 4096, 2000, 500), ...area(32, 1024, 100, 95) }),
      undefined,
      T0,
    ).result;
    expect(reading(out, 'usedPercent', '31').value).toBe(25);
    expect(reading(out, 'usedBytes', '31').value).toBe(500 * 4096);
    expect(reading(out, 'maxUsed')).toMatchObject({
      value: 95,
      status: 'degraded',
      table: 'storage',
      instance: null,
    });
    expect(reading(out, 'areas').value).toBe(2);
  });

  it('gives no ratio over a zero denominator, and no aggregate over an unknown value', () => {
    const out = evaluateProfile(
      storage,
      snap({ ...area(1, 1024, 0, 0), ...area(2, 1024, 10, 5) }),
      undefined,
      T0,
    ).result;
    expect(reading(out, 'usedPercent', '1').reason?.code).toBe('zeroDenominator');
    expect(reading(out, 'maxUsed')).toMatchObject({
      value: null,
      reason: { code: 'incomplete' },
      status: 'unknown',
    });
  });

  it('keeps a metric to the rows that match every clause of its where', () => {
    const disks = profile({
      tables: [
        {
          name: 'storage',
          index: `${HR}.1`,
          metrics: [
            {
              name: 'diskUsed',
              column: `${HR}.6`,
              denominator: `${HR}.5`,
              type: 'ratio',
              scale: 100,
              where: [
                { column: `${HR}.2`, in: ['1.3.6.1.2.1.25.2.1.4'] },
                { column: `${HR}.5`, notIn: [0] },
              ],
              thresholds: { warningHigh: 90 },
            },
          ],
        },
      ],
    });
    const typed = (i: number, type: string, size: number, used: number): Record<string, SnmpValue> => ({
      ...area(i, 4096, size, used),
      [`${HR}.2.${i}`]: oid(`1.3.6.1.2.1.25.2.1.${type}`),
    });
    const out = evaluateProfile(
      disks,
      snap({ ...typed(1, '2', 100, 99), ...typed(2, '4', 0, 0), ...typed(3, '4', 200, 50) }),
      undefined,
      T0,
    ).result;
    expect(out.readings.map((r) => [r.instance, r.value])).toEqual([['3', 25]]);
    expect(out.status).toBe('up');
  });

  it('gives no average over zero rows', () => {
    const out = evaluateProfile(storage, snap({ [`${HR}.3.1`]: text('elsewhere') }), undefined, T0).result;
    expect(reading(out, 'maxUsed').reason?.code).toBe('noRows');
    expect(reading(out, 'areas').value).toBe(0);
  });

  const IF = '1.3.6.1.2.1.2.2.1';
  const interfaces = profile({
    tables: [
      {
        name: 'interfaces',
        index: `${IF}.1`,
        labels: [{ name: 'ifDescr', column: `${IF}.2` }],
        metrics: [
          {
            name: 'adminStatus',
            column: `${IF}.7`,
            type: 'enum',
            affectsStatus: false,
            enum: { '1': { label: 'up' }, '2': { label: 'down' } },
          },
          {
            name: 'operStatus',
            column: `${IF}.8`,
            type: 'enum',
            affectsStatus: false,
            enum: { '1': { label: 'up', status: 'up' }, '2': { label: 'down', status: 'down' } },
          },
        ],
      },
    ],
    rules: [
      {
        name: 'linkDown',
        status: 'down',
        affectsProfile: false,
        when: [
          { metric: 'adminStatus', in: ['up'] },
          { metric: 'operStatus', in: ['down'] },
        ],
      },
      {
        name: 'uplinkDown',
        status: 'down',
        when: [
          { metric: 'adminStatus', in: [1] },
          { metric: 'operStatus', notIn: ['up'] },
        ],
      },
    ],
  });
  const ifRow = (i: number, admin: number | null, oper: number): Record<string, SnmpValue> => ({
    [`${IF}.1.${i}`]: int(i),
    [`${IF}.2.${i}`]: text(`eth${i}`),
    ...(admin === null ? {} : { [`${IF}.7.${i}`]: int(admin) }),
    [`${IF}.8.${i}`]: int(oper),
  });

  it('marks rows with rules, and counts only the rules that affect the profile', () => {
    const out = evaluateProfile(
      profile({ ...interfaces, rules: [interfaces.rules[0]!] }),
      snap({ ...ifRow(1, 1, 1), ...ifRow(2, 1, 2), ...ifRow(3, 2, 2) }),
      undefined,
      T0,
    ).result;
    expect(out.conditions).toEqual([
      expect.objectContaining({
        source: 'rule',
        name: 'linkDown',
        instance: '2',
        labels: { ifDescr: 'eth2' },
        status: 'down',
        affectsProfile: false,
      }),
    ]);
    expect(out.status).toBe('up');
  });

  it('matches rule values by label or by raw value; an undecidable rule is unknown', () => {
    const out = evaluateProfile(
      interfaces,
      snap({ ...ifRow(1, 1, 2), ...ifRow(2, null, 2) }),
      undefined,
      T0,
    ).result;
    const uplink = out.conditions.filter((c) => c.name === 'uplinkDown');
    expect(uplink.map((c) => [c.instance, c.status])).toEqual([
      ['1', 'down'],
      ['2', 'unknown'],
    ]);
    expect(uplink[1]?.detail).toMatch(/adminStatus is unknown/);
    expect(out.status).toBe('down');
  });

  it('evaluates rules over scalars once', () => {
    const p = profile({
      scalars: [{ name: 'load', oid: '1.3.6.1.2.1.33.1.4.4.1.5.1', type: 'gauge' }],
      rules: [{ name: 'heavy', status: 'degraded', when: [{ metric: 'load', above: 80 }] }],
    });
    const run = (load: number): ProfileResult =>
      evaluateProfile(p, snap({ '1.3.6.1.2.1.33.1.4.4.1.5.1': int(load) }), undefined, T0).result;
    expect(run(80).status).toBe('up');
    expect(run(81).status).toBe('degraded');
  });
});
