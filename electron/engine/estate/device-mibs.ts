/**
 * What each kind of simulated device serves over SNMP, expressed as MibDefinitions whose readers
 * ask the simulation for the value at request time. The OIDs the engine polls come from
 * `mibs/oids.ts`, so the estate cannot drift from the poller; the other objects are there because a
 * real device of that kind has them and an operator walking it with snmpwalk expects them.
 */
import { missingCase } from '../../../shared/domain/missing-case';
import {
  ENTITY_SENSOR,
  ENTITY_SENSOR_SCALE_UNITS,
  ENTITY_SENSOR_TYPE,
  IF,
  PDU,
  SYSTEM,
  UPS,
} from '../mibs/oids';
import type { EstateDevice, PduPlan, SensorPlan, SwitchPlan, UpsPlan } from './estate-definition';
import type { MibColumn, MibDefinition, MibScalar, MibSyntax, MibValue } from './mib-objects';
import type { EstateSimulation, PduReading, SensorReading, UpsReading } from './simulation';

/** The OID without its last `drop` components. */
function parentOid(oid: string, drop = 1): string {
  return oid.split('.').slice(0, -drop).join('.');
}

/** The last component of an OID (a column number). */
function lastArc(oid: string, drop = 0): number {
  const arcs = oid.split('.');
  return Number(arcs[arcs.length - 1 - drop]);
}

function scalar(
  name: string,
  instanceOid: string,
  syntax: MibSyntax,
  read: (now: number) => MibValue,
): MibScalar {
  // Constants in oids.ts name the instance (`.0`); net-snmp registers the object above it.
  return { name, oid: instanceOid.endsWith('.0') ? parentOid(instanceOid) : instanceOid, syntax, read };
}

function column(
  number: number,
  name: string,
  syntax: MibSyntax,
  read: (row: number, now: number) => MibValue,
): MibColumn {
  return { number, name, syntax, read };
}

/** Caches the last reading so that the varbinds of one request see one consistent state. */
function perInstant<T>(compute: (now: number) => T): (now: number) => T {
  let at = Number.NaN;
  let value: T | undefined;
  return (now) => {
    if (value === undefined || now !== at) {
      value = compute(now);
      at = now;
    }
    return value;
  };
}

/**
 * sysObjectID values under enterprise 32473, which IANA reserves for documentation and examples
 * (RFC 5612): the estate's devices are not any vendor's product and must not claim to be.
 */
const SYS_OBJECT_ID = {
  ups: '1.3.6.1.4.1.32473.1.1',
  pdu: '1.3.6.1.4.1.32473.1.2',
  sensor: '1.3.6.1.4.1.32473.1.3',
  switch: '1.3.6.1.4.1.32473.1.4',
} as const;

const SYS_DESCR = {
  ups: 'Online double-conversion UPS 10 kVA/9 kW, 230 V single-phase output, network management card firmware 2.4.1 (Vigie training estate)',
  pdu: 'Metered rack PDU 3-phase 400 V 32 A, 24 outlets, firmware 6.8.2 (Vigie training estate)',
  sensor:
    'Environmental monitor with cold-aisle temperature and humidity probes, firmware 3.1.0 (Vigie training estate)',
  switch: 'Datacenter core switch 48x25G + 8x100G, network OS 10.5.4 (Vigie training estate)',
} as const;

/**
 * sysServices (RFC 3418): the sum of 2^(layer-1) of the layers served. A switch routes and
 * bridges (layers 2 and 3: 2 + 4); appliances offer end-to-end and application services
 * (layers 4 and 7: 8 + 64).
 */
const SYS_SERVICES = { ups: 72, pdu: 72, sensor: 72, switch: 6 } as const;

/** SNMPv2-MIB system group (RFC 3418). sysUpTime counts hundredths of a second since `upSince`. */
function systemGroup(device: EstateDevice, upSince: number): MibScalar[] {
  return [
    scalar('sysDescr', SYSTEM.sysDescr, 'octets', () => SYS_DESCR[device.kind]),
    scalar('sysObjectID', SYSTEM.sysObjectID, 'oid', () => SYS_OBJECT_ID[device.kind]),
    scalar('sysUpTime', SYSTEM.sysUpTime, 'timeticks', (now) => Math.max(0, now - upSince) / 10),
    scalar('sysContact', '1.3.6.1.2.1.1.4.0', 'octets', () => 'Datacenter operations, supervision desk'),
    scalar('sysName', SYSTEM.sysName, 'octets', () => device.plan.id),
    scalar('sysLocation', '1.3.6.1.2.1.1.6.0', 'octets', () => device.zone.location),
    scalar('sysServices', '1.3.6.1.2.1.1.7.0', 'integer', () => SYS_SERVICES[device.kind]),
  ];
}

/** UPS-MIB (RFC 1628): identification, battery, input, output and alarm groups; one input and one output line. */
function upsMib(plan: UpsPlan, sim: EstateSimulation): MibDefinition {
  const read = perInstant((now): UpsReading => sim.ups(plan.id, now));
  const upsIdent = '1.3.6.1.2.1.33.1.1';
  return {
    scalars: [
      scalar('upsIdentManufacturer', `${upsIdent}.1.0`, 'octets', () => 'Vigie training estate'),
      scalar('upsIdentModel', `${upsIdent}.2.0`, 'octets', () => 'Online UPS 10 kVA'),
      scalar('upsIdentUPSSoftwareVersion', `${upsIdent}.3.0`, 'octets', () => 'UPS 4.12'),
      scalar('upsIdentAgentSoftwareVersion', `${upsIdent}.4.0`, 'octets', () => 'NMC 2.4.1'),
      scalar('upsIdentName', `${upsIdent}.5.0`, 'octets', () => plan.name),
      scalar('upsBatteryStatus', UPS.batteryStatus, 'integer', (now) => read(now).batteryStatus),
      scalar('upsSecondsOnBattery', UPS.secondsOnBattery, 'integer', (now) => read(now).secondsOnBattery),
      scalar(
        'upsEstimatedMinutesRemaining',
        UPS.estimatedMinutesRemaining,
        'integer',
        (now) => read(now).estimatedMinutesRemaining,
      ),
      scalar(
        'upsEstimatedChargeRemaining',
        UPS.estimatedChargeRemaining,
        'integer',
        (now) => read(now).estimatedChargeRemaining,
      ),
      scalar(
        'upsBatteryVoltage',
        '1.3.6.1.2.1.33.1.2.5.0',
        'integer',
        (now) => read(now).batteryVoltageTenths,
      ),
      scalar(
        'upsBatteryTemperature',
        UPS.batteryTemperature,
        'integer',
        (now) => read(now).batteryTemperature,
      ),
      scalar('upsInputLineBads', '1.3.6.1.2.1.33.1.3.1.0', 'counter32', (now) => read(now).inputLineBads),
      scalar('upsInputNumLines', '1.3.6.1.2.1.33.1.3.2.0', 'integer', () => 1),
      scalar('upsOutputSource', UPS.outputSource, 'integer', (now) => read(now).outputSource),
      scalar(
        'upsOutputFrequency',
        '1.3.6.1.2.1.33.1.4.2.0',
        'integer',
        (now) => read(now).outputFrequencyTenths,
      ),
      scalar('upsOutputNumLines', '1.3.6.1.2.1.33.1.4.3.0', 'integer', () => 1),
      scalar('upsAlarmsPresent', UPS.alarmsPresent, 'gauge32', (now) => read(now).alarmsPresent),
    ],
    tables: [
      {
        name: 'upsInputEntry',
        entryOid: parentOid(UPS.inputVoltage, 2),
        index: { kind: 'column', column: 1, name: 'upsInputLineIndex', accessible: false },
        rows: [1],
        columns: [
          column(2, 'upsInputFrequency', 'integer', (_row, now) => read(now).inputFrequencyTenths),
          column(
            lastArc(UPS.inputVoltage, 1),
            'upsInputVoltage',
            'integer',
            (_row, now) => read(now).inputVoltage,
          ),
        ],
      },
      {
        name: 'upsOutputEntry',
        entryOid: parentOid(UPS.outputPercentLoad, 2),
        index: { kind: 'column', column: 1, name: 'upsOutputLineIndex', accessible: false },
        rows: [1],
        columns: [
          column(2, 'upsOutputVoltage', 'integer', (_row, now) => read(now).outputVoltage),
          column(3, 'upsOutputCurrent', 'integer', (_row, now) => read(now).outputCurrentTenths),
          column(4, 'upsOutputPower', 'integer', (_row, now) => read(now).outputPowerWatts),
          column(
            lastArc(UPS.outputPercentLoad, 1),
            'upsOutputPercentLoad',
            'integer',
            (_row, now) => read(now).outputPercentLoad,
          ),
        ],
      },
    ],
  };
}

/**
 * APC PowerNet-MIB rPDULoad tables, phase 1: the configured thresholds and the live load.
 * (The PDU constants in oids.ts are column OIDs; the UPS ones are full instance OIDs.)
 */
function pduMib(plan: PduPlan, sim: EstateSimulation): MibDefinition {
  const read = perInstant((now): PduReading => sim.pdu(plan.id, now));
  return {
    scalars: [],
    tables: [
      {
        name: 'rPDULoadPhaseConfigEntry',
        entryOid: parentOid(PDU.overloadThresholdAmps),
        index: { kind: 'column', column: 1, name: 'rPDULoadPhaseConfigIndex', accessible: true },
        rows: [1],
        columns: [
          column(2, 'rPDULoadPhaseConfigLowLoadThreshold', 'integer', (_row, now) => read(now).lowLoadAmps),
          column(
            3,
            'rPDULoadPhaseConfigNearOverloadThreshold',
            'integer',
            (_row, now) => read(now).nearOverloadAmps,
          ),
          column(
            lastArc(PDU.overloadThresholdAmps),
            'rPDULoadPhaseConfigOverloadThreshold',
            'integer',
            (_row, now) => read(now).overloadAmps,
          ),
        ],
      },
      {
        name: 'rPDULoadStatusEntry',
        entryOid: parentOid(PDU.loadTenthsOfAmps),
        index: { kind: 'column', column: 1, name: 'rPDULoadStatusIndex', accessible: true },
        rows: [1],
        columns: [
          column(
            lastArc(PDU.loadTenthsOfAmps),
            'rPDULoadStatusLoad',
            'gauge32',
            (_row, now) => read(now).loadTenthsOfAmps,
          ),
          column(
            lastArc(PDU.loadState),
            'rPDULoadStatusLoadState',
            'integer',
            (_row, now) => read(now).loadState,
          ),
          column(4, 'rPDULoadStatusPhaseNumber', 'integer', (row) => row),
          column(5, 'rPDULoadStatusBankNumber', 'integer', () => 0),
        ],
      },
    ],
  };
}

/** entPhysicalClass (ENTITY-MIB, RFC 6933): 3 chassis, 8 sensor. */
const ENT_CLASS_CHASSIS = 3;
const ENT_CLASS_SENSOR = 8;
/** entPhySensorOperStatus ok (RFC 3433). */
const SENSOR_OPER_OK = 1;
/** The probes refresh every second (entPhySensorValueUpdateRate, milliseconds). */
const SENSOR_UPDATE_MS = 1000;

/**
 * ENTITY-MIB entPhysicalTable (chassis and two probes) and ENTITY-SENSOR-MIB entPhySensorTable
 * (RFC 3433). entPhySensorEntry is indexed by entPhysicalIndex, so the physical table must exist.
 * Values are in tenths: scale units(9), precision 1, so 224 reads 22.4 °C.
 */
function sensorMib(plan: SensorPlan, sim: EstateSimulation, upSince: number): MibDefinition {
  const read = perInstant((now): SensorReading => sim.sensor(plan.id, now));
  const isTemperature = (row: number): boolean => row === plan.temperatureIndex;
  const physical = new Map<number, { descr: string; name: string; cls: number; containedIn: number }>([
    [1, { descr: 'Environmental monitor', name: 'chassis', cls: ENT_CLASS_CHASSIS, containedIn: 0 }],
    [
      plan.temperatureIndex,
      { descr: 'Temperature probe, cold aisle', name: 'temperature', cls: ENT_CLASS_SENSOR, containedIn: 1 },
    ],
    [
      plan.humidityIndex,
      { descr: 'Humidity probe, cold aisle', name: 'humidity', cls: ENT_CLASS_SENSOR, containedIn: 1 },
    ],
  ]);
  const entity = (row: number): { descr: string; name: string; cls: number; containedIn: number } => {
    const entry = physical.get(row);
    if (!entry) throw new RangeError(`${plan.id} has no entPhysicalIndex ${row}`);
    return entry;
  };
  const entPhysicalEntry = '1.3.6.1.2.1.47.1.1.1.1';
  return {
    scalars: [],
    tables: [
      {
        name: 'entPhysicalEntry',
        entryOid: entPhysicalEntry,
        index: { kind: 'column', column: 1, name: 'entPhysicalIndex', accessible: false },
        rows: [...physical.keys()].sort((a, b) => a - b),
        columns: [
          column(2, 'entPhysicalDescr', 'octets', (row) => entity(row).descr),
          column(4, 'entPhysicalContainedIn', 'integer', (row) => entity(row).containedIn),
          column(5, 'entPhysicalClass', 'integer', (row) => entity(row).cls),
          column(7, 'entPhysicalName', 'octets', (row) => entity(row).name),
        ],
      },
      {
        name: 'entPhySensorEntry',
        entryOid: parentOid(ENTITY_SENSOR.type),
        index: { kind: 'foreign', table: 'entPhysicalEntry', name: 'entPhysicalIndex' },
        rows: [plan.temperatureIndex, plan.humidityIndex].sort((a, b) => a - b),
        columns: [
          column(lastArc(ENTITY_SENSOR.type), 'entPhySensorType', 'integer', (row) =>
            isTemperature(row) ? ENTITY_SENSOR_TYPE.celsius : ENTITY_SENSOR_TYPE.percentRH,
          ),
          column(
            lastArc(ENTITY_SENSOR.scale),
            'entPhySensorScale',
            'integer',
            () => ENTITY_SENSOR_SCALE_UNITS,
          ),
          column(lastArc(ENTITY_SENSOR.precision), 'entPhySensorPrecision', 'integer', () => 1),
          column(lastArc(ENTITY_SENSOR.value), 'entPhySensorValue', 'integer', (row, now) =>
            isTemperature(row) ? read(now).temperatureTenths : read(now).humidityTenths,
          ),
          column(
            lastArc(ENTITY_SENSOR.operStatus),
            'entPhySensorOperStatus',
            'integer',
            () => SENSOR_OPER_OK,
          ),
          column(6, 'entPhySensorUnitsDisplay', 'octets', (row) =>
            isTemperature(row) ? 'degrees C' : '%RH',
          ),
          // sysUpTime of the last refresh: the start of the current second.
          column(
            7,
            'entPhySensorValueTimeStamp',
            'timeticks',
            (_row, now) =>
              Math.floor(Math.max(0, now - upSince) / SENSOR_UPDATE_MS) * (SENSOR_UPDATE_MS / 10),
          ),
          column(8, 'entPhySensorValueUpdateRate', 'gauge32', () => SENSOR_UPDATE_MS),
        ],
      },
    ],
  };
}

/** ifAdminStatus / ifOperStatus (RFC 2863): 1 up, 2 down. */
const IF_UP = 1;
const IF_DOWN = 2;
/** ifType ethernetCsmacd (IANAifType). */
const IF_TYPE_ETHERNET = 6;
const MAX_GAUGE32 = 0xffff_ffff;

/**
 * IF-MIB (RFC 2863): ifNumber, ifTable and ifXTable. The 32-bit ifInOctets/ifOutOctets are the low
 * half of the 64-bit counters, as on a real agent; ifSpeed latches at its maximum for ports faster
 * than 4.29 Gb/s, which is why pollers read ifHighSpeed (section 3.1.6 of RFC 2863).
 * ifCounterDiscontinuityTime stays 0: the counters have had no discontinuity since the agent started.
 */
function switchMib(plan: SwitchPlan, sim: EstateSimulation): MibDefinition {
  const ports = new Map(plan.interfaces.map((p) => [p.ifIndex, p]));
  const port = (row: number): SwitchPlan['interfaces'][number] => {
    const found = ports.get(row);
    if (!found) throw new RangeError(`${plan.id} has no ifIndex ${row}`);
    return found;
  };
  const low32 = (value: bigint): number => Number(value & 0xffff_ffffn);
  const rows = [...ports.keys()].sort((a, b) => a - b);
  return {
    scalars: [scalar('ifNumber', '1.3.6.1.2.1.2.1.0', 'integer', () => rows.length)],
    tables: [
      {
        name: 'ifEntry',
        entryOid: parentOid(IF.ifDescr),
        index: { kind: 'column', column: 1, name: 'ifIndex', accessible: true },
        rows,
        columns: [
          column(lastArc(IF.ifDescr), 'ifDescr', 'octets', (row) => port(row).descr),
          column(3, 'ifType', 'integer', () => IF_TYPE_ETHERNET),
          column(4, 'ifMtu', 'integer', (row) => port(row).mtu),
          column(5, 'ifSpeed', 'gauge32', (row) => Math.min(MAX_GAUGE32, port(row).speedMbps * 1e6)),
          column(7, 'ifAdminStatus', 'integer', () => IF_UP),
          column(lastArc(IF.ifOperStatus), 'ifOperStatus', 'integer', (row) =>
            port(row).operStatus === 'up' ? IF_UP : IF_DOWN,
          ),
          column(9, 'ifLastChange', 'timeticks', () => 0),
          column(10, 'ifInOctets', 'counter32', (row, now) => low32(sim.octets(plan.id, row, 'in', now))),
          column(16, 'ifOutOctets', 'counter32', (row, now) => low32(sim.octets(plan.id, row, 'out', now))),
        ],
      },
      {
        name: 'ifXEntry',
        entryOid: parentOid(IF.ifName),
        index: { kind: 'augments', table: 'ifEntry' },
        rows,
        columns: [
          column(lastArc(IF.ifName), 'ifName', 'octets', (row) => port(row).name),
          column(lastArc(IF.ifHCInOctets), 'ifHCInOctets', 'counter64', (row, now) =>
            sim.octets(plan.id, row, 'in', now),
          ),
          column(lastArc(IF.ifHCOutOctets), 'ifHCOutOctets', 'counter64', (row, now) =>
            sim.octets(plan.id, row, 'out', now),
          ),
          column(lastArc(IF.ifHighSpeed), 'ifHighSpeed', 'gauge32', (row) => port(row).speedMbps),
          column(18, 'ifAlias', 'octets', (row) => port(row).alias),
          column(lastArc(IF.ifCounterDiscontinuityTime), 'ifCounterDiscontinuityTime', 'timeticks', () => 0),
        ],
      },
    ],
  };
}

/**
 * The full MIB of one device: the system group plus its kind's MIBs.
 * `upSince` is the agent's start (epoch ms) for sysUpTime.
 */
export function buildDeviceMib(device: EstateDevice, sim: EstateSimulation, upSince: number): MibDefinition {
  const system = systemGroup(device, upSince);
  let specific: MibDefinition;
  switch (device.kind) {
    case 'ups':
      specific = upsMib(device.plan, sim);
      break;
    case 'pdu':
      specific = pduMib(device.plan, sim);
      break;
    case 'sensor':
      specific = sensorMib(device.plan, sim, upSince);
      break;
    case 'switch':
      specific = switchMib(device.plan, sim);
      break;
    default:
      throw missingCase(device);
  }
  return { scalars: [...system, ...specific.scalars], tables: specific.tables };
}
