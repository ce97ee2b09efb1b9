/**
 * The notifications Vigie understands, as data: for each trap OID, its kind, its severity (fixed,
 * or read from a varbind), the varbinds worth naming, how to find the instance it is about, and
 * which conditions it clears. `mapTrap` (map-trap.ts) interprets this table; a trap OID not in it
 * becomes an `unknown` event that keeps its OID and varbinds.
 *
 * To support another notification, add an entry: no code changes. Severity choices follow what a
 * datacenter operator has to do about it (a UPS on battery is major: mains are lost; a depleted
 * battery is critical: the load is about to drop).
 */
import type { TrapKind, TrapSeverity } from '../../../../shared/domain/trap-event';
import {
  GENERIC_TRAP,
  IF_TRAP_OBJECT,
  RMON_TRAP,
  RMON_TRAP_OBJECT,
  SENSOR_TRAP,
  SENSOR_TRAP_OBJECT,
  UPS_TRAP,
  UPS_TRAP_OBJECT,
  UPS_WELL_KNOWN_ALARM,
  UPS_WELL_KNOWN_TEST,
} from '../../mibs/notifications';
import { APC_TRAP_CATALOG } from './trap-catalog-apc';

/** A varbind to name in the event's attributes. */
export interface AttributeSpec {
  readonly name: string;
  /**
   * The object's OID without instance: a varbind matches when its OID is this one followed by
   * an instance (`.3` for ifIndex 3, `.0` for a scalar).
   */
  readonly oid: string;
  /** Labels by raw value (a number or an OID as text): the attribute shows the label. */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * Where the instance is read: an attribute's raw value, or the instance suffix of its OID; or a
 * fixed value (a vendor trap that stands for one UPS-MIB alarm names it as its instance).
 */
export type InstanceSource =
  | { readonly from: 'value' | 'index'; readonly attribute: string }
  | { readonly from: 'fixed'; readonly value: string };

/** Fixed, or read from an attribute's raw value (with a fallback when absent or unlisted). */
export type SeverityRule =
  | TrapSeverity
  | {
      readonly attribute: string;
      readonly byValue: Readonly<Record<string, TrapSeverity>>;
      readonly otherwise: TrapSeverity;
    };

export interface ClearRule {
  readonly kind: TrapKind;
  /** The instance cleared: this event's own unless given. */
  readonly instance?: string;
  /** Only when this attribute's raw value is this one. */
  readonly when?: { readonly attribute: string; readonly equals: string };
}

export interface TrapDefinition {
  readonly oid: string;
  readonly kind: Exclude<TrapKind, 'unknown'>;
  /** `MIB::notification`. */
  readonly name: string;
  readonly severity: SeverityRule;
  readonly attributes: readonly AttributeSpec[];
  /** Attributes every event of this trap has, whatever it carries (shown as given). */
  readonly fixedAttributes?: Readonly<Record<string, string>>;
  /** Tried in order; the first found wins. None found (or none given): the device itself (''). */
  readonly instance: readonly InstanceSource[];
  readonly clears: readonly ClearRule[];
}

const IF_STATUS: Readonly<Record<string, string>> = {
  '1': 'up',
  '2': 'down',
  '3': 'testing',
  '4': 'unknown',
  '5': 'dormant',
  '6': 'notPresent',
  '7': 'lowerLayerDown',
};

const IF_ATTRIBUTES: readonly AttributeSpec[] = [
  { name: 'ifIndex', oid: IF_TRAP_OBJECT.ifIndex },
  { name: 'ifAdminStatus', oid: IF_TRAP_OBJECT.ifAdminStatus, labels: IF_STATUS },
  { name: 'ifOperStatus', oid: IF_TRAP_OBJECT.ifOperStatus, labels: IF_STATUS },
  { name: 'ifName', oid: IF_TRAP_OBJECT.ifName },
  { name: 'ifDescr', oid: IF_TRAP_OBJECT.ifDescr },
  { name: 'ifAlias', oid: IF_TRAP_OBJECT.ifAlias },
];

/**
 * The interface is the value of ifIndex when sent, else the instance of any IF-MIB column the
 * trap carries (RFC 2863 lists ifIndex, ifAdminStatus, ifOperStatus; vendors add ifName, ifDescr).
 */
const IF_INSTANCE: readonly InstanceSource[] = [
  { from: 'value', attribute: 'ifIndex' },
  { from: 'index', attribute: 'ifIndex' },
  { from: 'index', attribute: 'ifAdminStatus' },
  { from: 'index', attribute: 'ifOperStatus' },
  { from: 'index', attribute: 'ifName' },
  { from: 'index', attribute: 'ifDescr' },
];

/** UPS-MIB well-known alarm names by OID. */
const UPS_ALARM_LABELS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(UPS_WELL_KNOWN_ALARM).map(([name, oid]) => [oid, name]),
);

const A = UPS_WELL_KNOWN_ALARM;
/** Severity of each well-known UPS alarm while present. */
const UPS_ALARM_SEVERITY: Readonly<Record<string, TrapSeverity>> = {
  [A.upsAlarmBatteryBad]: 'major',
  [A.upsAlarmOnBattery]: 'major',
  [A.upsAlarmLowBattery]: 'critical',
  [A.upsAlarmDepletedBattery]: 'critical',
  [A.upsAlarmTempBad]: 'major',
  [A.upsAlarmInputBad]: 'major',
  [A.upsAlarmOutputBad]: 'critical',
  [A.upsAlarmOutputOverload]: 'critical',
  [A.upsAlarmOnBypass]: 'major',
  [A.upsAlarmBypassBad]: 'major',
  [A.upsAlarmOutputOffAsRequested]: 'warning',
  [A.upsAlarmUpsOffAsRequested]: 'warning',
  [A.upsAlarmChargerFailed]: 'major',
  [A.upsAlarmUpsOutputOff]: 'critical',
  [A.upsAlarmUpsSystemOff]: 'critical',
  [A.upsAlarmFanFailure]: 'major',
  [A.upsAlarmFuseFailure]: 'major',
  [A.upsAlarmGeneralFault]: 'major',
  [A.upsAlarmDiagnosticTestFailed]: 'minor',
  [A.upsAlarmCommunicationsLost]: 'major',
  [A.upsAlarmAwaitingPower]: 'warning',
  [A.upsAlarmShutdownPending]: 'critical',
  [A.upsAlarmShutdownImminent]: 'critical',
  [A.upsAlarmTestInProgress]: 'info',
};

const UPS_ALARM_ATTRIBUTES: readonly AttributeSpec[] = [
  { name: 'upsAlarmId', oid: UPS_TRAP_OBJECT.upsAlarmId },
  { name: 'upsAlarm', oid: UPS_TRAP_OBJECT.upsAlarmDescr, labels: UPS_ALARM_LABELS },
];

/**
 * An alarm is identified by its descriptor (upsAlarmDescr's value): the table row (upsAlarmId)
 * is reused by the agent once an alarm is removed. Without the value, the row it names.
 */
const UPS_ALARM_INSTANCE: readonly InstanceSource[] = [
  { from: 'value', attribute: 'upsAlarm' },
  { from: 'index', attribute: 'upsAlarm' },
];

const SENSOR_ATTRIBUTES: readonly AttributeSpec[] = [
  { name: 'sensorValue', oid: SENSOR_TRAP_OBJECT.entSensorValue },
  { name: 'thresholdValue', oid: SENSOR_TRAP_OBJECT.entSensorThresholdValue },
  {
    name: 'thresholdSeverity',
    oid: SENSOR_TRAP_OBJECT.entSensorThresholdSeverity,
    labels: { '1': 'other', '10': 'minor', '20': 'major', '30': 'critical' },
  },
  {
    name: 'thresholdRelation',
    oid: SENSOR_TRAP_OBJECT.entSensorThresholdRelation,
    labels: {
      '1': 'lessThan',
      '2': 'lessOrEqual',
      '3': 'greaterThan',
      '4': 'greaterOrEqual',
      '5': 'equalTo',
      '6': 'notEqualTo',
    },
  },
];

/** entPhysicalIndex.entSensorThresholdIndex: one threshold of one sensor. */
const SENSOR_INSTANCE: readonly InstanceSource[] = [
  { from: 'index', attribute: 'thresholdValue' },
  { from: 'index', attribute: 'thresholdSeverity' },
  { from: 'index', attribute: 'thresholdRelation' },
  { from: 'index', attribute: 'sensorValue' },
];

const RMON_ATTRIBUTES: readonly AttributeSpec[] = [
  { name: 'alarmIndex', oid: RMON_TRAP_OBJECT.alarmIndex },
  { name: 'alarmVariable', oid: RMON_TRAP_OBJECT.alarmVariable },
  {
    name: 'alarmSampleType',
    oid: RMON_TRAP_OBJECT.alarmSampleType,
    labels: { '1': 'absoluteValue', '2': 'deltaValue' },
  },
  { name: 'alarmValue', oid: RMON_TRAP_OBJECT.alarmValue },
  { name: 'alarmRisingThreshold', oid: RMON_TRAP_OBJECT.alarmRisingThreshold },
  { name: 'alarmFallingThreshold', oid: RMON_TRAP_OBJECT.alarmFallingThreshold },
];

const RMON_INSTANCE: readonly InstanceSource[] = [
  { from: 'value', attribute: 'alarmIndex' },
  { from: 'index', attribute: 'alarmIndex' },
  { from: 'index', attribute: 'alarmValue' },
  { from: 'index', attribute: 'alarmVariable' },
];

export const TRAP_CATALOG: readonly TrapDefinition[] = [
  {
    oid: GENERIC_TRAP.coldStart,
    kind: 'coldStart',
    name: 'SNMPv2-MIB::coldStart',
    // The device restarted (power cycle, crash): worth a look, nothing is down because of it.
    severity: 'warning',
    attributes: [],
    instance: [],
    clears: [],
  },
  {
    oid: GENERIC_TRAP.warmStart,
    kind: 'warmStart',
    name: 'SNMPv2-MIB::warmStart',
    severity: 'info',
    attributes: [],
    instance: [],
    clears: [],
  },
  {
    oid: GENERIC_TRAP.authenticationFailure,
    kind: 'authenticationFailure',
    name: 'SNMPv2-MIB::authenticationFailure',
    // Someone polls the device with a wrong community or user: a misconfiguration or a probe.
    severity: 'warning',
    attributes: [],
    instance: [],
    clears: [],
  },
  {
    oid: GENERIC_TRAP.linkDown,
    kind: 'linkDown',
    name: 'IF-MIB::linkDown',
    // A port shut on purpose (ifAdminStatus down) is not a fault.
    severity: { attribute: 'ifAdminStatus', byValue: { '2': 'info' }, otherwise: 'major' },
    attributes: IF_ATTRIBUTES,
    instance: IF_INSTANCE,
    clears: [],
  },
  {
    oid: GENERIC_TRAP.linkUp,
    kind: 'linkUp',
    name: 'IF-MIB::linkUp',
    severity: 'cleared',
    attributes: IF_ATTRIBUTES,
    instance: IF_INSTANCE,
    clears: [{ kind: 'linkDown' }],
  },
  {
    oid: UPS_TRAP.onBattery,
    kind: 'upsOnBattery',
    name: 'UPS-MIB::upsTrapOnBattery',
    // Mains lost, the load runs on batteries (RFC 1628 sends it again every minute meanwhile).
    severity: 'major',
    attributes: [
      { name: 'upsEstimatedMinutesRemaining', oid: UPS_TRAP_OBJECT.upsEstimatedMinutesRemaining },
      { name: 'upsSecondsOnBattery', oid: UPS_TRAP_OBJECT.upsSecondsOnBattery },
      { name: 'upsConfigLowBattTime', oid: UPS_TRAP_OBJECT.upsConfigLowBattTime },
    ],
    instance: [],
    clears: [],
  },
  {
    oid: UPS_TRAP.testCompleted,
    kind: 'upsTestCompleted',
    name: 'UPS-MIB::upsTrapTestCompleted',
    severity: {
      attribute: 'upsTestResultsSummary',
      // donePass, doneWarning, doneError, aborted, inProgress, noTestsInitiated
      byValue: { '1': 'info', '2': 'warning', '3': 'major', '4': 'warning', '5': 'info', '6': 'info' },
      otherwise: 'indeterminate',
    },
    attributes: [
      {
        name: 'upsTestId',
        oid: UPS_TRAP_OBJECT.upsTestId,
        labels: Object.fromEntries(Object.entries(UPS_WELL_KNOWN_TEST).map(([name, oid]) => [oid, name])),
      },
      {
        name: 'upsTestResultsSummary',
        oid: UPS_TRAP_OBJECT.upsTestResultsSummary,
        labels: {
          '1': 'donePass',
          '2': 'doneWarning',
          '3': 'doneError',
          '4': 'aborted',
          '5': 'inProgress',
          '6': 'noTestsInitiated',
        },
      },
      { name: 'upsTestResultsDetail', oid: UPS_TRAP_OBJECT.upsTestResultsDetail },
      { name: 'upsTestStartTime', oid: UPS_TRAP_OBJECT.upsTestStartTime },
      { name: 'upsTestElapsedTime', oid: UPS_TRAP_OBJECT.upsTestElapsedTime },
    ],
    instance: [],
    clears: [],
  },
  {
    oid: UPS_TRAP.alarmEntryAdded,
    kind: 'upsAlarmAdded',
    name: 'UPS-MIB::upsTrapAlarmEntryAdded',
    severity: { attribute: 'upsAlarm', byValue: UPS_ALARM_SEVERITY, otherwise: 'major' },
    attributes: UPS_ALARM_ATTRIBUTES,
    instance: UPS_ALARM_INSTANCE,
    clears: [],
  },
  {
    oid: UPS_TRAP.alarmEntryRemoved,
    kind: 'upsAlarmRemoved',
    name: 'UPS-MIB::upsTrapAlarmEntryRemoved',
    severity: 'cleared',
    attributes: UPS_ALARM_ATTRIBUTES,
    instance: UPS_ALARM_INSTANCE,
    clears: [
      { kind: 'upsAlarmAdded' },
      // UPS-MIB has no "back on mains" trap: the on-battery alarm leaving the table says it.
      { kind: 'upsOnBattery', instance: '', when: { attribute: 'upsAlarm', equals: A.upsAlarmOnBattery } },
    ],
  },
  {
    oid: SENSOR_TRAP.thresholdNotification,
    kind: 'sensorThreshold',
    name: 'CISCO-ENTITY-SENSOR-MIB::entSensorThresholdNotification',
    severity: {
      attribute: 'thresholdSeverity',
      byValue: { '1': 'warning', '10': 'minor', '20': 'major', '30': 'critical' },
      otherwise: 'major',
    },
    attributes: SENSOR_ATTRIBUTES,
    instance: SENSOR_INSTANCE,
    clears: [],
  },
  {
    oid: SENSOR_TRAP.thresholdRecoveryNotification,
    kind: 'sensorRecovered',
    name: 'CISCO-ENTITY-SENSOR-MIB::entSensorThresholdRecoveryNotification',
    severity: 'cleared',
    attributes: SENSOR_ATTRIBUTES,
    instance: SENSOR_INSTANCE,
    clears: [{ kind: 'sensorThreshold' }],
  },
  {
    oid: RMON_TRAP.risingAlarm,
    kind: 'rmonRisingAlarm',
    name: 'RMON-MIB::risingAlarm',
    severity: 'major',
    attributes: RMON_ATTRIBUTES,
    instance: RMON_INSTANCE,
    clears: [],
  },
  {
    // RFC 2819's hysteresis: after a rising alarm, the next event is a falling alarm, which is
    // how the common usage (a threshold on a rising value) ends the condition.
    oid: RMON_TRAP.fallingAlarm,
    kind: 'rmonFallingAlarm',
    name: 'RMON-MIB::fallingAlarm',
    severity: 'cleared',
    attributes: RMON_ATTRIBUTES,
    instance: RMON_INSTANCE,
    clears: [{ kind: 'rmonRisingAlarm' }],
  },
];

/** Every definition: the standard MIBs' above, then the vendors'. */
export const ALL_TRAP_DEFINITIONS: readonly TrapDefinition[] = [...TRAP_CATALOG, ...APC_TRAP_CATALOG];

const BY_OID: ReadonlyMap<string, TrapDefinition> = new Map(ALL_TRAP_DEFINITIONS.map((d) => [d.oid, d]));

/** The definition of a trap OID, or undefined for an unknown trap. */
export function trapDefinition(trapOid: string): TrapDefinition | undefined {
  return BY_OID.get(trapOid);
}
