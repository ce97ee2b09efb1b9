import { describe, expect, it } from 'vitest';
import { conditionSchema, type Condition, type Reading, type Tile } from '../../../../shared/api';
import type { AlarmSubject } from '../../../../shared/domain/alarm';
import type { TrapEvent } from '../../../../shared/domain/trap-event';
import { alarmsConfigSchema, type ThresholdRule } from '../../config/alarms-schema';
import { conditionSeverity, ThresholdEvaluator, tileSignals, trapSignals } from './alarm-sources';

const T0 = Date.UTC(2026, 2, 4, 10, 0);
const SECOND = 1000;

function tile(over: Partial<Tile> = {}): Tile {
  return {
    id: 'a-temp-1',
    zoneId: 'zone-a',
    kind: 'sensor',
    name: 'Cold aisle A1',
    status: 'up',
    condition: 'ok',
    primary: null,
    readings: [],
    lastSampleAt: T0,
    lastAttemptAt: T0,
    lastError: null,
    stale: false,
    intervalMs: 10_000,
    ...over,
  };
}

const temperature = (value: number | null): Reading => ({ key: 'temperature', value, unit: 'celsius' });
const sensor = (value: number | null, over: Partial<Tile> = {}): Tile =>
  tile({ readings: [temperature(value)], primary: temperature(value), ...over });

function rules(input: unknown[]): ThresholdRule[] {
  return alarmsConfigSchema.parse({ thresholds: input }).thresholds;
}

const hot = {
  id: 'hot',
  name: 'Hot aisle',
  reading: 'temperature',
  direction: 'above',
  raise: 30,
  clear: 27,
  severity: 'major',
};

describe('conditionSeverity', () => {
  it('gives each tile condition its severity, and none for ok or awaiting the first poll', () => {
    const expected: Record<Condition, string | null> = {
      ok: null,
      awaitingFirstPoll: null,
      batteryDepleted: 'critical',
      batteryLow: 'critical',
      temperatureCritical: 'critical',
      failing: 'critical',
      onBattery: 'major',
      upsAlarm: 'major',
      phaseOverload: 'major',
      uplinkDown: 'major',
      unreachable: 'major',
      onBypass: 'minor',
      temperatureHigh: 'minor',
      sensorFault: 'minor',
      slow: 'minor',
      noData: 'minor',
      humidityOutOfRange: 'warning',
      phaseNearOverload: 'warning',
    };
    expect(Object.keys(expected).sort()).toEqual([...conditionSchema.options].sort());
    for (const condition of conditionSchema.options)
      expect([condition, conditionSeverity(condition)]).toEqual([condition, expected[condition]]);
  });
});

describe('tileSignals', () => {
  it('raises a signal per tile in trouble, with what the tile knows as parameters', () => {
    const ups = tile({
      id: 'a-ups-1',
      kind: 'ups',
      name: 'UPS A1',
      condition: 'onBattery',
      primary: { key: 'batteryCharge', value: 97, unit: 'percent' },
      lastSampleAt: T0 - 5 * SECOND,
    });
    const down = tile({
      id: 'billing',
      kind: 'service',
      name: 'Billing',
      condition: 'unreachable',
      lastSampleAt: null,
      lastError: { code: 'TIMEOUT', message: 'no answer', at: T0 },
    });
    const { signals, holding } = tileSignals([ups, down, tile()], T0);
    expect(holding.size).toBe(0);
    expect(signals).toEqual([
      {
        key: 'tile:a-ups-1',
        origin: 'condition',
        subject: { kind: 'device', id: 'a-ups-1', zoneId: 'zone-a', name: 'UPS A1' },
        cause: {
          code: 'onBattery',
          params: { value: 97, reading: 'batteryCharge', lastSampleAt: T0 - 5 * SECOND },
        },
        severity: 'major',
        at: T0,
      },
      {
        key: 'tile:billing',
        origin: 'condition',
        subject: { kind: 'service', id: 'billing', zoneId: 'zone-a', name: 'Billing' },
        cause: { code: 'unreachable', params: { error: 'TIMEOUT' } },
        severity: 'major',
        at: T0,
      },
    ]);
  });

  it('holds the keys of tiles awaiting their first poll', () => {
    const { signals, holding } = tileSignals([tile({ id: 'new', condition: 'awaitingFirstPoll' })], T0);
    expect(signals).toEqual([]);
    expect([...holding]).toEqual(['tile:new']);
  });
});

describe('ThresholdEvaluator', () => {
  it('raises at the limit and clears only back past the clear value', () => {
    const evaluator = new ThresholdEvaluator(rules([hot]), () => null);
    expect(evaluator.evaluate([sensor(29.9)], T0).signals).toEqual([]);
    const raised = evaluator.evaluate([sensor(30)], T0 + SECOND).signals;
    expect(raised).toEqual([
      {
        key: 'threshold:hot/a-temp-1',
        origin: 'threshold',
        subject: { kind: 'device', id: 'a-temp-1', zoneId: 'zone-a', name: 'Cold aisle A1' },
        cause: {
          code: 'threshold',
          params: { rule: 'Hot aisle', reading: 'temperature', value: 30, limit: 30, direction: 'above' },
        },
        severity: 'major',
        at: T0 + SECOND,
      },
    ]);
    expect(evaluator.evaluate([sensor(28)], T0 + 2 * SECOND).signals).toHaveLength(1);
    expect(evaluator.evaluate([sensor(27)], T0 + 3 * SECOND).signals).toHaveLength(1);
    expect(evaluator.evaluate([sensor(26.9)], T0 + 4 * SECOND).signals).toEqual([]);
    expect(evaluator.evaluate([sensor(29)], T0 + 5 * SECOND).signals).toEqual([]);
  });

  it('raises a below rule at or under its limit', () => {
    const evaluator = new ThresholdEvaluator(
      rules([{ ...hot, id: 'cold', direction: 'below', raise: 15, clear: 17 }]),
      () => null,
    );
    expect(evaluator.evaluate([sensor(15.1)], T0).signals).toEqual([]);
    expect(evaluator.evaluate([sensor(15)], T0 + SECOND).signals).toHaveLength(1);
    expect(evaluator.evaluate([sensor(17)], T0 + 2 * SECOND).signals).toHaveLength(1);
    expect(evaluator.evaluate([sensor(17.1)], T0 + 3 * SECOND).signals).toEqual([]);
  });

  it('raises only once the reading held past the limit for forSeconds', () => {
    const evaluator = new ThresholdEvaluator(rules([{ ...hot, forSeconds: 60 }]), () => null);
    expect(evaluator.evaluate([sensor(31)], T0).signals).toEqual([]);
    expect(evaluator.evaluate([sensor(31)], T0 + 59 * SECOND).signals).toEqual([]);
    // A dip below the limit starts the count again.
    expect(evaluator.evaluate([sensor(29)], T0 + 60 * SECOND).signals).toEqual([]);
    expect(evaluator.evaluate([sensor(31)], T0 + 70 * SECOND).signals).toEqual([]);
    expect(evaluator.evaluate([sensor(31)], T0 + 129 * SECOND).signals).toEqual([]);
    expect(evaluator.evaluate([sensor(31)], T0 + 130 * SECOND).signals).toHaveLength(1);
  });

  it('clears only once the reading held back past clear for forSeconds', () => {
    const evaluator = new ThresholdEvaluator(rules([{ ...hot, forSeconds: 60 }]), () => null);
    evaluator.evaluate([sensor(31)], T0);
    expect(evaluator.evaluate([sensor(31)], T0 + 60 * SECOND).signals).toHaveLength(1);
    expect(evaluator.evaluate([sensor(20)], T0 + 61 * SECOND).signals).toHaveLength(1);
    // Back over clear: the clearing count starts again.
    expect(evaluator.evaluate([sensor(28)], T0 + 100 * SECOND).signals).toHaveLength(1);
    expect(evaluator.evaluate([sensor(20)], T0 + 110 * SECOND).signals).toHaveLength(1);
    expect(evaluator.evaluate([sensor(20)], T0 + 169 * SECOND).signals).toHaveLength(1);
    expect(evaluator.evaluate([sensor(20)], T0 + 170 * SECOND).signals).toEqual([]);
  });

  it('neither raises nor clears on a missing reading or a stale tile', () => {
    const evaluator = new ThresholdEvaluator(rules([hot]), () => null);
    for (const blind of [sensor(null), sensor(20, { stale: true }), sensor(35, { stale: true })])
      expect(evaluator.evaluate([blind], T0)).toEqual({ signals: [], holding: new Set() });
    evaluator.evaluate([sensor(31)], T0 + SECOND);
    for (const blind of [sensor(null), sensor(20, { stale: true })])
      expect(evaluator.evaluate([blind], T0 + 2 * SECOND)).toEqual({
        signals: [],
        holding: new Set(['threshold:hot/a-temp-1']),
      });
    // Still raised when the reading comes back past the clear value.
    expect(evaluator.evaluate([sensor(28)], T0 + 3 * SECOND).signals).toHaveLength(1);
    // A tile without the reading is not the rule's business.
    expect(evaluator.evaluate([tile()], T0 + 4 * SECOND)).toEqual({ signals: [], holding: new Set() });
  });

  it('applies a rule only to the subjects its match names', () => {
    const latency = (value: number): Reading => ({ key: 'latency', value, unit: 'milliseconds' });
    const svc = (id: string, zoneId = 'zone-a'): Tile =>
      tile({ id, zoneId, kind: 'service', name: id, readings: [latency(900)] });
    const base = { ...hot, reading: 'latency', raise: 500, clear: undefined };
    const evaluator = new ThresholdEvaluator(
      rules([
        { ...base, id: 'zone', match: { zones: ['zone-b'] } },
        { ...base, id: 'kind', match: { kinds: ['sensor'] } },
        { ...base, id: 'device', match: { devices: ['billing'] } },
        { ...base, id: 'service', match: { services: ['billing'] } },
        { ...base, id: 'client', match: { clients: ['acme'] } },
      ]),
      (id) => (id === 'billing' ? 'acme' : null),
    );
    const keys = evaluator
      .evaluate([svc('billing'), svc('payroll'), svc('shop', 'zone-b')], T0)
      .signals.map((s) => s.key);
    expect(keys).toEqual(['threshold:zone/shop', 'threshold:service/billing', 'threshold:client/billing']);
  });
});

describe('trapSignals', () => {
  const ups: AlarmSubject = { kind: 'device', id: 'a-ups-1', zoneId: 'zone-a', name: 'UPS A1' };
  const subjectOf = (id: string): AlarmSubject | null => (id === 'a-ups-1' ? ups : null);

  function trap(over: Partial<TrapEvent> = {}): TrapEvent {
    return {
      id: 'ev-1',
      at: T0,
      deviceId: 'a-ups-1',
      source: { address: '10.0.0.7', port: 162 },
      agentAddress: null,
      version: '2c',
      pdu: 'trap',
      user: null,
      engineId: null,
      trapOid: '1.3.6.1.2.1.33.2.0.1',
      name: 'UPS-MIB::upsTrapOnBattery',
      kind: 'upsOnBattery',
      severity: 'major',
      instance: '',
      key: 'device%3Aa-ups-1/upsOnBattery/',
      clears: [],
      attributes: { upsEstimatedMinutesRemaining: 42 },
      upTime: 100,
      varbinds: [],
      ...over,
    };
  }

  it('raises a trap of a known device with its severity and attributes', () => {
    expect(trapSignals(trap(), subjectOf)).toEqual({
      raise: {
        key: 'trap:device%3Aa-ups-1/upsOnBattery/',
        origin: 'trap',
        subject: ups,
        cause: {
          code: 'trap.upsOnBattery',
          params: { instance: '', name: 'UPS-MIB::upsTrapOnBattery', upsEstimatedMinutesRemaining: 42 },
        },
        severity: 'major',
        at: T0,
      },
      clears: [],
    });
  });

  it('maps each trap severity, indeterminate to warning', () => {
    for (const severity of ['critical', 'major', 'minor', 'warning'] as const)
      expect(trapSignals(trap({ severity }), subjectOf).raise?.severity).toBe(severity);
    expect(trapSignals(trap({ severity: 'indeterminate' }), subjectOf).raise?.severity).toBe('warning');
  });

  it('raises nothing for info and cleared notifications, but passes on their clears, prefixed', () => {
    const linkUp = trap({ kind: 'linkUp', severity: 'cleared', clears: ['device%3Asw/linkDown/3'] });
    expect(trapSignals(linkUp, subjectOf)).toEqual({ raise: null, clears: ['trap:device%3Asw/linkDown/3'] });
    expect(trapSignals(trap({ severity: 'info' }), subjectOf)).toEqual({ raise: null, clears: [] });
  });

  it('names an unknown source by its agent address, else its UDP address', () => {
    const unknown = trapSignals(trap({ deviceId: null, name: '', kind: 'unknown' }), subjectOf).raise;
    expect(unknown?.subject).toEqual({ kind: 'source', id: '10.0.0.7', zoneId: null, name: '10.0.0.7' });
    expect(unknown?.cause.params.name).toBe('1.3.6.1.2.1.33.2.0.1');
    const proxied = trapSignals(trap({ deviceId: 'gone', agentAddress: '192.0.2.9' }), subjectOf).raise;
    expect(proxied?.subject).toEqual({ kind: 'source', id: '10.0.0.7', zoneId: null, name: '192.0.2.9' });
  });

  it('keeps at most 16 parameters', () => {
    const attributes = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`a${i}`, i]));
    expect(Object.keys(trapSignals(trap({ attributes }), subjectOf).raise!.cause.params)).toHaveLength(16);
  });
});
