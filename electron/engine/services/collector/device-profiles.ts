/**
 * How each kind of device is read over SNMP and what its values mean: which OIDs, which
 * readings, which condition and status. Pure functions of the varbinds (and, for counters, the
 * previous sample), so they are tested without an agent.
 */
import type { Condition, Reading, ReadingKey } from '../../../../shared/api';
import type { Status } from '../../../../shared/domain/status';
import { counterRate, type CounterSample } from '../../../../shared/domain/counter-rate';
import { missingCase } from '../../../../shared/domain/missing-case';
import type { DeviceDef } from '../../config/schema';
import { ENTITY_SENSOR, IF, PDU, SYSTEM, UPS } from '../../mibs/oids';
import type { SnmpValue, SnmpVarbind } from '../../ports/snmp-client';

export interface Interpretation {
  readonly status: Status;
  readonly condition: Condition;
  readonly primary: ReadingKey;
  readonly readings: Reading[];
  /** Counter samples to remember for the next rate (switches). */
  readonly counters?: Readonly<Record<string, CounterSample>>;
}

/** Environmental limits (ASHRAE TC 9.9 recommended envelope for IT equipment inlets). */
export const LIMITS = {
  temperatureHighC: 27,
  temperatureCriticalC: 32,
  humidityLowPct: 20,
  humidityHighPct: 80,
} as const;

export function deviceOids(device: DeviceDef): string[] {
  switch (device.kind) {
    case 'ups':
      return [SYSTEM.sysUpTime, ...Object.values(UPS)];
    case 'pdu':
      return [
        SYSTEM.sysUpTime,
        `${PDU.loadTenthsOfAmps}.1`,
        `${PDU.loadState}.1`,
        `${PDU.overloadThresholdAmps}.1`,
      ];
    case 'sensor': {
      const idx = [device.sensors?.temperatureIndex ?? 1, device.sensors?.humidityIndex ?? 2];
      return [
        SYSTEM.sysUpTime,
        ...idx.flatMap((i) => Object.values(ENTITY_SENSOR).map((col) => `${col}.${i}`)),
      ];
    }
    case 'switch': {
      const i = device.uplinkIfIndex ?? 1;
      return [
        SYSTEM.sysUpTime,
        `${IF.ifOperStatus}.${i}`,
        `${IF.ifHCInOctets}.${i}`,
        `${IF.ifHCOutOctets}.${i}`,
        `${IF.ifCounterDiscontinuityTime}.${i}`,
      ];
    }
    default:
      throw missingCase(device.kind);
  }
}

function valueOf(vbs: ReadonlyMap<string, SnmpValue>, oid: string): number | null {
  const v = vbs.get(oid);
  if (!v) return null;
  switch (v.type) {
    case 'integer':
    case 'counter32':
    case 'gauge32':
    case 'timeticks':
      return v.value;
    case 'counter64':
      return Number(v.value);
    case 'octets':
    case 'oid':
    case 'ipaddress':
    case 'null':
    case 'noSuchObject':
    case 'noSuchInstance':
    case 'endOfMibView':
      return null;
    default:
      throw missingCase(v);
  }
}

function bigOf(vbs: ReadonlyMap<string, SnmpValue>, oid: string): bigint | null {
  const v = vbs.get(oid);
  if (v?.type === 'counter64') return v.value;
  if (v?.type === 'counter32') return BigInt(v.value);
  return null;
}

export function interpretDevice(
  device: DeviceDef,
  varbinds: readonly SnmpVarbind[],
  at: number,
  previous: Readonly<Record<string, CounterSample>> | undefined,
): Interpretation {
  const vbs = new Map(varbinds.map((vb) => [vb.oid, vb.value]));
  const upTime = valueOf(vbs, SYSTEM.sysUpTime);
  const uptimeReading: Reading = {
    key: 'uptime',
    value: upTime === null ? null : upTime / 100,
    unit: 'seconds',
  };
  switch (device.kind) {
    case 'ups':
      return interpretUps(vbs, uptimeReading);
    case 'pdu':
      return interpretPdu(vbs, uptimeReading);
    case 'sensor':
      return interpretSensor(device, vbs, uptimeReading);
    case 'switch':
      return interpretSwitch(device, vbs, at, upTime, previous, uptimeReading);
    default:
      throw missingCase(device.kind);
  }
}

function interpretUps(vbs: ReadonlyMap<string, SnmpValue>, uptime: Reading): Interpretation {
  const charge = valueOf(vbs, UPS.estimatedChargeRemaining);
  const source = valueOf(vbs, UPS.outputSource);
  const battery = valueOf(vbs, UPS.batteryStatus);
  const alarms = valueOf(vbs, UPS.alarmsPresent);
  const readings: Reading[] = [
    { key: 'batteryCharge', value: charge, unit: 'percent' },
    { key: 'minutesRemaining', value: valueOf(vbs, UPS.estimatedMinutesRemaining), unit: 'minutes' },
    { key: 'secondsOnBattery', value: valueOf(vbs, UPS.secondsOnBattery), unit: 'seconds' },
    { key: 'outputLoad', value: valueOf(vbs, UPS.outputPercentLoad), unit: 'percent' },
    { key: 'inputVoltage', value: valueOf(vbs, UPS.inputVoltage), unit: 'volt' },
    { key: 'batteryTemperature', value: valueOf(vbs, UPS.batteryTemperature), unit: 'celsius' },
    uptime,
  ];
  let status: Status = 'up';
  let condition: Condition = 'ok';
  // RFC 1628: upsBatteryStatus 3 batteryLow, 4 batteryDepleted; upsOutputSource 4 bypass, 5 battery.
  if (battery === 4) [status, condition] = ['down', 'batteryDepleted'];
  else if (battery === 3) [status, condition] = ['down', 'batteryLow'];
  else if (source === 5) [status, condition] = ['degraded', 'onBattery'];
  else if (source === 4) [status, condition] = ['degraded', 'onBypass'];
  else if (source === 2) [status, condition] = ['down', 'failing'];
  else if (alarms !== null && alarms > 0) [status, condition] = ['degraded', 'upsAlarm'];
  else if (charge === null || source === null) [status, condition] = ['unknown', 'noData'];
  return { status, condition, primary: 'batteryCharge', readings };
}

function interpretPdu(vbs: ReadonlyMap<string, SnmpValue>, uptime: Reading): Interpretation {
  const tenths = valueOf(vbs, `${PDU.loadTenthsOfAmps}.1`);
  const state = valueOf(vbs, `${PDU.loadState}.1`);
  const readings: Reading[] = [
    { key: 'phaseLoad', value: tenths === null ? null : tenths / 10, unit: 'ampere' },
    uptime,
  ];
  let status: Status = 'up';
  let condition: Condition = 'ok';
  if (state === 4) [status, condition] = ['down', 'phaseOverload'];
  else if (state === 3) [status, condition] = ['degraded', 'phaseNearOverload'];
  else if (tenths === null) [status, condition] = ['unknown', 'noData'];
  return { status, condition, primary: 'phaseLoad', readings };
}

/** entPhySensorScale (RFC 3433): 1 yocto ... 9 units ... 17 yotta, a power of 1000 each. */
function sensorValue(
  vbs: ReadonlyMap<string, SnmpValue>,
  index: number,
): { value: number | null; ok: boolean } {
  const raw = valueOf(vbs, `${ENTITY_SENSOR.value}.${index}`);
  const scale = valueOf(vbs, `${ENTITY_SENSOR.scale}.${index}`) ?? 9;
  const precision = valueOf(vbs, `${ENTITY_SENSOR.precision}.${index}`) ?? 0;
  const oper = valueOf(vbs, `${ENTITY_SENSOR.operStatus}.${index}`);
  if (raw === null) return { value: null, ok: false };
  const value = (raw * 1000 ** (scale - 9)) / 10 ** precision;
  return { value: Math.round(value * 100) / 100, ok: oper === 1 };
}

function interpretSensor(
  device: DeviceDef,
  vbs: ReadonlyMap<string, SnmpValue>,
  uptime: Reading,
): Interpretation {
  const t = sensorValue(vbs, device.sensors?.temperatureIndex ?? 1);
  const h = sensorValue(vbs, device.sensors?.humidityIndex ?? 2);
  const readings: Reading[] = [
    { key: 'temperature', value: t.value, unit: 'celsius' },
    { key: 'humidity', value: h.value, unit: 'percent' },
    uptime,
  ];
  let status: Status = 'up';
  let condition: Condition = 'ok';
  if (t.value === null || !t.ok || !h.ok) [status, condition] = ['unknown', 'sensorFault'];
  else if (t.value >= LIMITS.temperatureCriticalC) [status, condition] = ['down', 'temperatureCritical'];
  else if (t.value >= LIMITS.temperatureHighC) [status, condition] = ['degraded', 'temperatureHigh'];
  else if (h.value !== null && (h.value < LIMITS.humidityLowPct || h.value > LIMITS.humidityHighPct))
    [status, condition] = ['degraded', 'humidityOutOfRange'];
  return { status, condition, primary: 'temperature', readings };
}

function interpretSwitch(
  device: DeviceDef,
  vbs: ReadonlyMap<string, SnmpValue>,
  at: number,
  upTime: number | null,
  previous: Readonly<Record<string, CounterSample>> | undefined,
  uptime: Reading,
): Interpretation {
  const i = device.uplinkIfIndex ?? 1;
  const oper = valueOf(vbs, `${IF.ifOperStatus}.${i}`);
  const discontinuity = valueOf(vbs, `${IF.ifCounterDiscontinuityTime}.${i}`);
  const counters: Record<string, CounterSample> = {};
  const rate = (name: 'in' | 'out', oid: string): number | null => {
    const value = bigOf(vbs, oid);
    if (value === null || upTime === null) return null;
    const sample: CounterSample =
      discontinuity === null ? { value, at, upTime } : { value, at, upTime, discontinuity };
    counters[name] = sample;
    const r = counterRate(previous?.[name], sample, 64);
    return r.kind === 'rate' ? r.perSecond * 8 : null;
  };
  const readings: Reading[] = [
    { key: 'inBitsPerSecond', value: rate('in', `${IF.ifHCInOctets}.${i}`), unit: 'bitsPerSecond' },
    { key: 'outBitsPerSecond', value: rate('out', `${IF.ifHCOutOctets}.${i}`), unit: 'bitsPerSecond' },
    uptime,
  ];
  let status: Status = 'up';
  let condition: Condition = 'ok';
  if (oper === null) [status, condition] = ['unknown', 'noData'];
  else if (oper !== 1) [status, condition] = ['down', 'uplinkDown'];
  return { status, condition, primary: 'inBitsPerSecond', readings, counters };
}
