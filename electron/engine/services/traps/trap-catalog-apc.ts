/**
 * APC (Schneider Electric) PowerNet-MIB UPS notifications, as data for the trap catalog.
 *
 * PowerNet-MIB defines them as SNMPv1 TRAP-TYPEs of ENTERPRISE apc (1.3.6.1.4.1.318) with
 * specific-trap numbers, so their SNMPv2 snmpTrapOID is apc.0.N (RFC 3584 section 3.1, what
 * APC's cards send as v2c/v3, and what the receiver makes of a v1 trap). Numbers checked against
 * the PowerNet-MIB text (version 4.2.6): communicationLost 1, upsOverload 2,
 * upsDiagnosticsFailed 3, upsDischarged 4, upsOnBattery 5, lowBattery 7,
 * communicationEstablished 8, powerRestored 9 ("returned from battery backup power"),
 * upsDiagnosticsPassed 10, returnFromLowBattery 11, upsBatteryNeedsReplacement 17,
 * hardwareFailureBypass 20, softwareBypass 21, switchedBypass 22, returnFromBypass 23,
 * upsOverloadCleared 33, upsBatteryReplaced 36, dischargeCleared 38. Every one carries
 * mtrapargsString (apcmgmt.3.3 = 1.3.6.1.4.1.318.2.3.3.0), a text that says what happened.
 *
 * They map onto the same kinds, keys and clears as RFC 1628 UPS-MIB's, so an APC UPS raises and
 * clears alarms exactly as a UPS-MIB one does: on battery is `upsOnBattery` ('' instance), the
 * other conditions are `upsAlarmAdded` with the UPS-MIB well-known alarm they amount to as their
 * instance, and each "cleared" trap is `upsAlarmRemoved` of the same instance. PowerNet-MIB has
 * no separate "input power lost" trap: mains loss is upsOnBattery.
 */
import type { TrapSeverity } from '../../../../shared/domain/trap-event';
import { UPS_WELL_KNOWN_ALARM } from '../../mibs/notifications';
import type { AttributeSpec, TrapDefinition } from './trap-catalog';

/** enterprises.apc */
export const APC_ENTERPRISE = '1.3.6.1.4.1.318';
/** PowerNet-MIB traps in SNMPv2 form: apc.0.N. */
export const APC_TRAP = {
  communicationLost: `${APC_ENTERPRISE}.0.1`,
  upsOverload: `${APC_ENTERPRISE}.0.2`,
  upsDiagnosticsFailed: `${APC_ENTERPRISE}.0.3`,
  upsDischarged: `${APC_ENTERPRISE}.0.4`,
  upsOnBattery: `${APC_ENTERPRISE}.0.5`,
  lowBattery: `${APC_ENTERPRISE}.0.7`,
  communicationEstablished: `${APC_ENTERPRISE}.0.8`,
  powerRestored: `${APC_ENTERPRISE}.0.9`,
  upsDiagnosticsPassed: `${APC_ENTERPRISE}.0.10`,
  returnFromLowBattery: `${APC_ENTERPRISE}.0.11`,
  upsBatteryNeedsReplacement: `${APC_ENTERPRISE}.0.17`,
  hardwareFailureBypass: `${APC_ENTERPRISE}.0.20`,
  softwareBypass: `${APC_ENTERPRISE}.0.21`,
  switchedBypass: `${APC_ENTERPRISE}.0.22`,
  returnFromBypass: `${APC_ENTERPRISE}.0.23`,
  upsOverloadCleared: `${APC_ENTERPRISE}.0.33`,
  upsBatteryReplaced: `${APC_ENTERPRISE}.0.36`,
  dischargeCleared: `${APC_ENTERPRISE}.0.38`,
} as const;

/** mtrapargsString (PowerNet-MIB apcmgmt.mtrapargs.3), without its `.0`. */
export const APC_MTRAPARGS_STRING = `${APC_ENTERPRISE}.2.3.3`;

const MESSAGE: readonly AttributeSpec[] = [{ name: 'message', oid: APC_MTRAPARGS_STRING }];
const A = UPS_WELL_KNOWN_ALARM;

/** The UPS-MIB name of a well-known alarm OID, as the UPS-MIB traps' `upsAlarm` attribute shows it. */
function alarmName(oid: string): string {
  const found = Object.entries(A).find(([, value]) => value === oid);
  if (found === undefined) throw new Error(`not a UPS-MIB well-known alarm: ${oid}`);
  return found[0];
}

/** A condition raised: UPS-MIB's upsAlarmAdded for the well-known alarm `alarm`. */
function raised(oid: string, trap: string, alarm: string, severity: TrapSeverity): TrapDefinition {
  return {
    oid,
    kind: 'upsAlarmAdded',
    name: `PowerNet-MIB::${trap}`,
    severity,
    attributes: MESSAGE,
    fixedAttributes: { upsAlarm: alarmName(alarm) },
    instance: [{ from: 'fixed', value: alarm }],
    clears: [],
  };
}

/** A condition cleared: UPS-MIB's upsAlarmRemoved for the well-known alarm `alarm`. */
function cleared(oid: string, trap: string, alarm: string): TrapDefinition {
  return {
    oid,
    kind: 'upsAlarmRemoved',
    name: `PowerNet-MIB::${trap}`,
    severity: 'cleared',
    attributes: MESSAGE,
    fixedAttributes: { upsAlarm: alarmName(alarm) },
    instance: [{ from: 'fixed', value: alarm }],
    clears: [{ kind: 'upsAlarmAdded' }],
  };
}

export const APC_TRAP_CATALOG: readonly TrapDefinition[] = [
  {
    oid: APC_TRAP.upsOnBattery,
    kind: 'upsOnBattery',
    name: 'PowerNet-MIB::upsOnBattery',
    // As UPS-MIB's upsTrapOnBattery: mains are lost (APC calls it a warning; the load is at risk).
    severity: 'major',
    attributes: MESSAGE,
    instance: [],
    clears: [],
  },
  {
    // Back on mains: ends the on-battery condition as UPS-MIB's on-battery alarm leaving the table does.
    oid: APC_TRAP.powerRestored,
    kind: 'upsAlarmRemoved',
    name: 'PowerNet-MIB::powerRestored',
    severity: 'cleared',
    attributes: MESSAGE,
    fixedAttributes: { upsAlarm: 'upsAlarmOnBattery' },
    instance: [{ from: 'fixed', value: A.upsAlarmOnBattery }],
    clears: [{ kind: 'upsAlarmAdded' }, { kind: 'upsOnBattery', instance: '' }],
  },
  raised(APC_TRAP.lowBattery, 'lowBattery', A.upsAlarmLowBattery, 'critical'),
  cleared(APC_TRAP.returnFromLowBattery, 'returnFromLowBattery', A.upsAlarmLowBattery),
  raised(APC_TRAP.communicationLost, 'communicationLost', A.upsAlarmCommunicationsLost, 'major'),
  cleared(APC_TRAP.communicationEstablished, 'communicationEstablished', A.upsAlarmCommunicationsLost),
  raised(APC_TRAP.upsOverload, 'upsOverload', A.upsAlarmOutputOverload, 'critical'),
  cleared(APC_TRAP.upsOverloadCleared, 'upsOverloadCleared', A.upsAlarmOutputOverload),
  // "If utility power fails, an immediate low battery condition will exist": UPS-MIB's depleted battery.
  raised(APC_TRAP.upsDischarged, 'upsDischarged', A.upsAlarmDepletedBattery, 'critical'),
  cleared(APC_TRAP.dischargeCleared, 'dischargeCleared', A.upsAlarmDepletedBattery),
  raised(APC_TRAP.upsBatteryNeedsReplacement, 'upsBatteryNeedsReplacement', A.upsAlarmBatteryBad, 'major'),
  cleared(APC_TRAP.upsBatteryReplaced, 'upsBatteryReplaced', A.upsAlarmBatteryBad),
  raised(APC_TRAP.upsDiagnosticsFailed, 'upsDiagnosticsFailed', A.upsAlarmDiagnosticTestFailed, 'minor'),
  cleared(APC_TRAP.upsDiagnosticsPassed, 'upsDiagnosticsPassed', A.upsAlarmDiagnosticTestFailed),
  raised(APC_TRAP.hardwareFailureBypass, 'hardwareFailureBypass', A.upsAlarmOnBypass, 'major'),
  // On bypass by an operator's choice: the load is unprotected, but someone meant it.
  raised(APC_TRAP.softwareBypass, 'softwareBypass', A.upsAlarmOnBypass, 'warning'),
  raised(APC_TRAP.switchedBypass, 'switchedBypass', A.upsAlarmOnBypass, 'warning'),
  cleared(APC_TRAP.returnFromBypass, 'returnFromBypass', A.upsAlarmOnBypass),
];
