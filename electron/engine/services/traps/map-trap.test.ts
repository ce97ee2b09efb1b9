import { describe, expect, it } from 'vitest';
import { trapEventSchema, type TrapEvent } from '../../../../shared/domain/trap-event';
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
} from '../../mibs/notifications';
import type { SnmpValue, SnmpVarbind } from '../../ports/snmp-client';
import type { ReceivedTrap } from '../../ports/trap-receiver';
import { mapTrap, type TrapContext } from './map-trap';
import { ALL_TRAP_DEFINITIONS, TRAP_CATALOG } from './trap-catalog';
import { APC_MTRAPARGS_STRING, APC_TRAP, APC_TRAP_CATALOG } from './trap-catalog-apc';

const SWITCH: TrapContext = { id: 'e1', at: 1_700_000_000_000, deviceId: 'a-core-sw' };

function trap(
  trapOid: string,
  varbinds: SnmpVarbind[] = [],
  extra: Partial<ReceivedTrap> = {},
): ReceivedTrap {
  return {
    source: { address: '10.1.0.5', port: 50_000, family: 'IPv4' },
    version: '2c',
    pdu: 'trap',
    community: 'public',
    user: null,
    engineId: null,
    agentAddress: null,
    trapOid,
    upTime: 4_200,
    varbinds,
    ...extra,
  };
}

const int = (value: number): SnmpValue => ({ type: 'integer', value });
const text = (value: string): SnmpValue => ({ type: 'octets', value });
const oid = (value: string): SnmpValue => ({ type: 'oid', value });

function linkTrap(trapOid: string, ifIndex: number, admin = 1, oper = 2): ReceivedTrap {
  return trap(trapOid, [
    { oid: `${IF_TRAP_OBJECT.ifIndex}.${ifIndex}`, value: int(ifIndex) },
    { oid: `${IF_TRAP_OBJECT.ifAdminStatus}.${ifIndex}`, value: int(admin) },
    { oid: `${IF_TRAP_OBJECT.ifOperStatus}.${ifIndex}`, value: int(oper) },
    { oid: `${IF_TRAP_OBJECT.ifName}.${ifIndex}`, value: text(`Gi1/0/${ifIndex}`) },
  ]);
}

function upsAlarm(trapOid: string, alarmId: number, descr: string): ReceivedTrap {
  return trap(trapOid, [{ oid: `${UPS_TRAP_OBJECT.upsAlarmDescr}.${alarmId}`, value: oid(descr) }]);
}

function valid(event: TrapEvent): TrapEvent {
  // Every event must survive the contract / store schema unchanged.
  expect(trapEventSchema.parse(JSON.parse(JSON.stringify(event)))).toEqual(event);
  return event;
}

describe('mapTrap', () => {
  it('maps IF-MIB linkDown with ifIndex and ifName from the varbinds', () => {
    const event = valid(mapTrap(linkTrap(GENERIC_TRAP.linkDown, 3), SWITCH));
    expect(event).toMatchObject({
      id: 'e1',
      at: SWITCH.at,
      deviceId: 'a-core-sw',
      kind: 'linkDown',
      name: 'IF-MIB::linkDown',
      severity: 'major',
      instance: '3',
      key: 'device%3Aa-core-sw/linkDown/3',
      clears: [],
      attributes: { ifIndex: 3, ifAdminStatus: 'up', ifOperStatus: 'down', ifName: 'Gi1/0/3' },
      upTime: 4_200,
      source: { address: '10.1.0.5', port: 50_000 },
      version: '2c',
      pdu: 'trap',
    });
    expect(event.varbinds).toContainEqual({
      oid: `${IF_TRAP_OBJECT.ifName}.3`,
      type: 'octets',
      value: 'Gi1/0/3',
    });
  });

  it('treats a linkDown of an administratively shut port as information, not a fault', () => {
    expect(mapTrap(linkTrap(GENERIC_TRAP.linkDown, 3, 2, 2), SWITCH).severity).toBe('info');
  });

  it('maps linkUp as clearing the linkDown of the same ifIndex only', () => {
    const down3 = mapTrap(linkTrap(GENERIC_TRAP.linkDown, 3), SWITCH);
    const up3 = valid(mapTrap(linkTrap(GENERIC_TRAP.linkUp, 3, 1, 1), SWITCH));
    const down4 = mapTrap(linkTrap(GENERIC_TRAP.linkDown, 4), SWITCH);
    expect(up3).toMatchObject({ kind: 'linkUp', severity: 'cleared', instance: '3' });
    expect(up3.clears).toEqual([down3.key]);
    expect(up3.clears).not.toContain(down4.key);
  });

  it('finds the interface from the OID index when ifIndex itself is not sent', () => {
    const event = mapTrap(
      trap(GENERIC_TRAP.linkDown, [
        { oid: `${IF_TRAP_OBJECT.ifAdminStatus}.17`, value: int(1) },
        { oid: `${IF_TRAP_OBJECT.ifOperStatus}.17`, value: int(2) },
      ]),
      SWITCH,
    );
    expect(event.instance).toBe('17');
  });

  it('gives the same key to the same condition and different keys to different ones', () => {
    const a = mapTrap(linkTrap(GENERIC_TRAP.linkDown, 3), { ...SWITCH, id: 'x', at: 1 });
    const b = mapTrap(linkTrap(GENERIC_TRAP.linkDown, 3), { ...SWITCH, id: 'y', at: 2 });
    const otherDevice = mapTrap(linkTrap(GENERIC_TRAP.linkDown, 3), { ...SWITCH, deviceId: 'b-core-sw' });
    const otherKind = mapTrap(linkTrap(GENERIC_TRAP.linkUp, 3), SWITCH);
    expect(a.key).toBe(b.key);
    expect(new Set([a.key, otherDevice.key, otherKind.key]).size).toBe(3);
  });

  it('keys an unknown source by its address, and escapes separators in keys', () => {
    const unknown = mapTrap(linkTrap(GENERIC_TRAP.linkDown, 3), { ...SWITCH, deviceId: null });
    expect(unknown.deviceId).toBeNull();
    expect(unknown.key).toBe('source%3A10.1.0.5/linkDown/3');
    const slashy = mapTrap(linkTrap(GENERIC_TRAP.linkDown, 3), { ...SWITCH, deviceId: 'a/b' });
    expect(slashy.key.split('/')).toHaveLength(3);
  });

  it('maps SNMPv2-MIB coldStart, warmStart and authenticationFailure as device-wide events', () => {
    expect(mapTrap(trap(GENERIC_TRAP.coldStart), SWITCH)).toMatchObject({
      kind: 'coldStart',
      severity: 'warning',
      instance: '',
      key: 'device%3Aa-core-sw/coldStart/',
    });
    expect(mapTrap(trap(GENERIC_TRAP.warmStart), SWITCH)).toMatchObject({
      kind: 'warmStart',
      severity: 'info',
    });
    expect(mapTrap(trap(GENERIC_TRAP.authenticationFailure), SWITCH)).toMatchObject({
      kind: 'authenticationFailure',
      severity: 'warning',
    });
  });

  it('maps UPS-MIB upsTrapOnBattery with the battery figures', () => {
    const event = valid(
      mapTrap(
        trap(UPS_TRAP.onBattery, [
          { oid: `${UPS_TRAP_OBJECT.upsEstimatedMinutesRemaining}.0`, value: int(42) },
          { oid: `${UPS_TRAP_OBJECT.upsSecondsOnBattery}.0`, value: int(15) },
          { oid: `${UPS_TRAP_OBJECT.upsConfigLowBattTime}.0`, value: int(5) },
        ]),
        { ...SWITCH, deviceId: 'a-ups-1' },
      ),
    );
    expect(event).toMatchObject({
      kind: 'upsOnBattery',
      name: 'UPS-MIB::upsTrapOnBattery',
      severity: 'major',
      instance: '',
      key: 'device%3Aa-ups-1/upsOnBattery/',
      attributes: { upsEstimatedMinutesRemaining: 42, upsSecondsOnBattery: 15, upsConfigLowBattTime: 5 },
    });
  });

  it('maps UPS-MIB upsTrapTestCompleted with a severity from the result', () => {
    const completed = (summary: number): TrapEvent =>
      mapTrap(
        trap(UPS_TRAP.testCompleted, [
          { oid: `${UPS_TRAP_OBJECT.upsTestId}.0`, value: oid('1.3.6.1.2.1.33.1.7.7.4') },
          { oid: `${UPS_TRAP_OBJECT.upsTestResultsSummary}.0`, value: int(summary) },
          { oid: `${UPS_TRAP_OBJECT.upsTestResultsDetail}.0`, value: text('battery 98%') },
        ]),
        SWITCH,
      );
    expect(valid(completed(1))).toMatchObject({
      kind: 'upsTestCompleted',
      severity: 'info',
      attributes: {
        upsTestId: 'upsTestQuickBatteryTest',
        upsTestResultsSummary: 'donePass',
        upsTestResultsDetail: 'battery 98%',
      },
    });
    expect(completed(3).severity).toBe('major');
    expect(completed(99).severity).toBe('indeterminate');
  });

  it('maps UPS-MIB alarm added with the alarm descriptor as instance and severity source', () => {
    const added = valid(
      mapTrap(upsAlarm(UPS_TRAP.alarmEntryAdded, 7, UPS_WELL_KNOWN_ALARM.upsAlarmLowBattery), SWITCH),
    );
    expect(added).toMatchObject({
      kind: 'upsAlarmAdded',
      name: 'UPS-MIB::upsTrapAlarmEntryAdded',
      severity: 'critical',
      instance: UPS_WELL_KNOWN_ALARM.upsAlarmLowBattery,
      attributes: { upsAlarm: 'upsAlarmLowBattery' },
    });
    const vendor = mapTrap(upsAlarm(UPS_TRAP.alarmEntryAdded, 8, '1.3.6.1.4.1.534.1.7.12'), SWITCH);
    expect(vendor).toMatchObject({ severity: 'major', attributes: { upsAlarm: '1.3.6.1.4.1.534.1.7.12' } });
  });

  it('maps UPS-MIB alarm removed as clearing the same alarm, whatever its table row', () => {
    const added = mapTrap(
      upsAlarm(UPS_TRAP.alarmEntryAdded, 7, UPS_WELL_KNOWN_ALARM.upsAlarmTempBad),
      SWITCH,
    );
    const removed = valid(
      mapTrap(upsAlarm(UPS_TRAP.alarmEntryRemoved, 9, UPS_WELL_KNOWN_ALARM.upsAlarmTempBad), SWITCH),
    );
    expect(removed).toMatchObject({ kind: 'upsAlarmRemoved', severity: 'cleared' });
    expect(removed.clears).toEqual([added.key]);
  });

  it('ends upsTrapOnBattery when the on-battery alarm is removed', () => {
    const onBattery = mapTrap(trap(UPS_TRAP.onBattery), SWITCH);
    const removed = mapTrap(
      upsAlarm(UPS_TRAP.alarmEntryRemoved, 2, UPS_WELL_KNOWN_ALARM.upsAlarmOnBattery),
      SWITCH,
    );
    expect(removed.clears).toContain(onBattery.key);
    const other = mapTrap(
      upsAlarm(UPS_TRAP.alarmEntryRemoved, 2, UPS_WELL_KNOWN_ALARM.upsAlarmFanFailure),
      SWITCH,
    );
    expect(other.clears).not.toContain(onBattery.key);
  });

  it('maps sensor threshold notifications with the severity the device gives, and their recovery', () => {
    const varbinds = (severity: number): SnmpVarbind[] => [
      { oid: `${SENSOR_TRAP_OBJECT.entSensorThresholdValue}.1004.2`, value: int(45) },
      { oid: `${SENSOR_TRAP_OBJECT.entSensorValue}.1004`, value: int(47) },
      { oid: `${SENSOR_TRAP_OBJECT.entSensorThresholdSeverity}.1004.2`, value: int(severity) },
    ];
    const crossed = valid(mapTrap(trap(SENSOR_TRAP.thresholdNotification, varbinds(30)), SWITCH));
    expect(crossed).toMatchObject({
      kind: 'sensorThreshold',
      severity: 'critical',
      instance: '1004.2',
      attributes: { thresholdValue: 45, sensorValue: 47, thresholdSeverity: 'critical' },
    });
    expect(mapTrap(trap(SENSOR_TRAP.thresholdNotification, varbinds(10)), SWITCH).severity).toBe('minor');
    const recovered = valid(mapTrap(trap(SENSOR_TRAP.thresholdRecoveryNotification, varbinds(30)), SWITCH));
    expect(recovered).toMatchObject({ kind: 'sensorRecovered', severity: 'cleared', clears: [crossed.key] });
  });

  it('maps RMON rising and falling alarms, the falling one clearing the rising one', () => {
    const varbinds: SnmpVarbind[] = [
      { oid: `${RMON_TRAP_OBJECT.alarmIndex}.5`, value: int(5) },
      { oid: `${RMON_TRAP_OBJECT.alarmVariable}.5`, value: oid('1.3.6.1.2.1.99.1.1.1.4.12') },
      { oid: `${RMON_TRAP_OBJECT.alarmSampleType}.5`, value: int(1) },
      { oid: `${RMON_TRAP_OBJECT.alarmValue}.5`, value: int(31) },
    ];
    const rising = valid(mapTrap(trap(RMON_TRAP.risingAlarm, varbinds), SWITCH));
    expect(rising).toMatchObject({
      kind: 'rmonRisingAlarm',
      severity: 'major',
      instance: '5',
      attributes: {
        alarmIndex: 5,
        alarmSampleType: 'absoluteValue',
        alarmVariable: '1.3.6.1.2.1.99.1.1.1.4.12',
      },
    });
    const falling = mapTrap(trap(RMON_TRAP.fallingAlarm, varbinds), SWITCH);
    expect(falling).toMatchObject({ kind: 'rmonFallingAlarm', severity: 'cleared', clears: [rising.key] });
  });

  it('keeps an unknown trap OID as an unknown event with its OID and varbinds', () => {
    // APC smartBoostOn: a vendor trap with no catalog entry.
    const vendorOid = '1.3.6.1.4.1.318.0.6';
    const event = valid(
      mapTrap(
        trap(vendorOid, [
          { oid: '1.3.6.1.4.1.318.1.1.1.2.2.1.0', value: int(90) },
          { oid: '1.3.6.1.4.1.318.2.3.4.0', value: { type: 'counter64', value: 2n ** 64n - 1n } },
          { oid: '1.3.6.1.4.1.318.2.3.5.0', value: { type: 'noSuchObject' } },
        ]),
        SWITCH,
      ),
    );
    expect(event).toMatchObject({
      kind: 'unknown',
      name: '',
      severity: 'indeterminate',
      trapOid: vendorOid,
      instance: vendorOid,
      key: `device%3Aa-core-sw/unknown/${vendorOid}`,
      clears: [],
      attributes: {},
    });
    expect(event.varbinds).toEqual([
      { oid: '1.3.6.1.4.1.318.1.1.1.2.2.1.0', type: 'integer', value: 90 },
      { oid: '1.3.6.1.4.1.318.2.3.4.0', type: 'counter64', value: '18446744073709551615' },
      { oid: '1.3.6.1.4.1.318.2.3.5.0', type: 'noSuchObject', value: null },
    ]);
  });

  it('carries the v3 user and engine ID, never the community', () => {
    const event = valid(
      mapTrap(
        trap(GENERIC_TRAP.coldStart, [], {
          version: '3',
          community: null,
          user: 'ops',
          engineId: '8000000001',
        }),
        SWITCH,
      ),
    );
    expect(event).toMatchObject({ version: '3', user: 'ops', engineId: '8000000001' });
    expect(JSON.stringify(mapTrap(trap(GENERIC_TRAP.coldStart), SWITCH))).not.toContain('public');
  });

  it('keeps at most 256 varbinds and says how many were left out', () => {
    const many = Array.from({ length: 300 }, (_, i) => ({ oid: `1.3.6.1.4.1.9999.${i}`, value: int(i) }));
    const event = valid(mapTrap(trap('1.3.6.1.4.1.9999.0.1', many), SWITCH));
    expect(event.varbinds).toHaveLength(256);
    expect(event.attributes).toEqual({ varbindsDropped: 44 });
  });

  it('has one catalog entry per OID, and every clear names a kind the catalog makes', () => {
    const oids = TRAP_CATALOG.map((d) => d.oid);
    expect(new Set(oids).size).toBe(oids.length);
    const kinds = new Set(TRAP_CATALOG.map((d) => d.kind));
    expect(kinds.size).toBe(TRAP_CATALOG.length);
    for (const definition of TRAP_CATALOG) {
      for (const rule of definition.clears) expect(kinds).toContain(rule.kind);
      const names = new Set(definition.attributes.map((a) => a.name));
      for (const source of definition.instance)
        if (source.from !== 'fixed') expect(names).toContain(source.attribute);
      if (typeof definition.severity !== 'string') expect(names).toContain(definition.severity.attribute);
    }
  });
});

describe('mapTrap on APC PowerNet-MIB UPS notifications', () => {
  const UPS: TrapContext = { id: 'e2', at: 1_700_000_000_000, deviceId: 'dc1-ups-2' };
  const A = UPS_WELL_KNOWN_ALARM;
  const apc = (trapOid: string, message = 'UPS: event.'): ReceivedTrap =>
    trap(trapOid, [{ oid: `${APC_MTRAPARGS_STRING}.0`, value: text(message) }]);
  /** What the RFC 1628 trap of the same condition maps to, to compare with. */
  const rfc = (trapOid: string, descr?: string): TrapEvent =>
    mapTrap(descr === undefined ? trap(trapOid) : upsAlarm(trapOid, 3, descr), UPS);

  it('maps upsOnBattery (apc.0.5) to the key UPS-MIB on-battery has, major, with the message', () => {
    const event = valid(
      mapTrap(
        apc(APC_TRAP.upsOnBattery, 'UPS: On battery power in response to an input power problem.'),
        UPS,
      ),
    );
    expect(APC_TRAP.upsOnBattery).toBe('1.3.6.1.4.1.318.0.5');
    expect(event).toMatchObject({
      kind: 'upsOnBattery',
      name: 'PowerNet-MIB::upsOnBattery',
      severity: 'major',
      key: rfc(UPS_TRAP.onBattery).key,
      attributes: { message: 'UPS: On battery power in response to an input power problem.' },
    });
  });

  it('ends on-battery with powerRestored (apc.0.9) as UPS-MIB ends it with the on-battery alarm removed', () => {
    const restored = valid(mapTrap(apc(APC_TRAP.powerRestored), UPS));
    const removed = rfc(UPS_TRAP.alarmEntryRemoved, A.upsAlarmOnBattery);
    expect(restored).toMatchObject({
      kind: 'upsAlarmRemoved',
      severity: 'cleared',
      instance: A.upsAlarmOnBattery,
    });
    expect(restored.key).toBe(removed.key);
    expect(new Set(restored.clears)).toEqual(new Set(removed.clears));
    expect(restored.clears).toContain(mapTrap(apc(APC_TRAP.upsOnBattery), UPS).key);
  });

  it.each([
    ['lowBattery', APC_TRAP.lowBattery, APC_TRAP.returnFromLowBattery, A.upsAlarmLowBattery, 'critical'],
    [
      'communicationLost',
      APC_TRAP.communicationLost,
      APC_TRAP.communicationEstablished,
      A.upsAlarmCommunicationsLost,
      'major',
    ],
    ['upsOverload', APC_TRAP.upsOverload, APC_TRAP.upsOverloadCleared, A.upsAlarmOutputOverload, 'critical'],
    [
      'upsDischarged',
      APC_TRAP.upsDischarged,
      APC_TRAP.dischargeCleared,
      A.upsAlarmDepletedBattery,
      'critical',
    ],
    [
      'upsBatteryNeedsReplacement',
      APC_TRAP.upsBatteryNeedsReplacement,
      APC_TRAP.upsBatteryReplaced,
      A.upsAlarmBatteryBad,
      'major',
    ],
    [
      'upsDiagnosticsFailed',
      APC_TRAP.upsDiagnosticsFailed,
      APC_TRAP.upsDiagnosticsPassed,
      A.upsAlarmDiagnosticTestFailed,
      'minor',
    ],
    [
      'hardwareFailureBypass',
      APC_TRAP.hardwareFailureBypass,
      APC_TRAP.returnFromBypass,
      A.upsAlarmOnBypass,
      'major',
    ],
  ])(
    '%s raises the UPS-MIB alarm it amounts to, and its clearing trap clears it',
    (_name, raise, clear, alarm, severity) => {
      const raised = valid(mapTrap(apc(raise), UPS));
      const sameInRfc = rfc(UPS_TRAP.alarmEntryAdded, alarm);
      expect(raised).toMatchObject({ kind: 'upsAlarmAdded', severity, instance: alarm, clears: [] });
      expect(raised.key).toBe(sameInRfc.key);
      expect(raised.attributes.upsAlarm).toBe(sameInRfc.attributes.upsAlarm);
      const cleared = valid(mapTrap(apc(clear), UPS));
      expect(cleared).toMatchObject({ kind: 'upsAlarmRemoved', severity: 'cleared', instance: alarm });
      expect(cleared.clears).toEqual([raised.key]);
      // And the UPS-MIB removal of the same alarm clears the APC raise too.
      expect(rfc(UPS_TRAP.alarmEntryRemoved, alarm).clears).toContain(raised.key);
    },
  );

  it('an APC trap sent as SNMPv1 (enterprise apc, specific 7) has the same OID once translated', () => {
    // RFC 3584 section 3.1: enterprise.0.specific; the receiver does the translation.
    expect(APC_TRAP.lowBattery).toBe('1.3.6.1.4.1.318.0.7');
  });

  it('keeps an APC trap it has no entry for as unknown, with its OID', () => {
    const event = valid(mapTrap(apc('1.3.6.1.4.1.318.0.6'), UPS));
    expect(event).toMatchObject({ kind: 'unknown', instance: '1.3.6.1.4.1.318.0.6' });
  });

  it('has one definition per OID across every catalog, and every clear names a kind some definition makes', () => {
    const oids = ALL_TRAP_DEFINITIONS.map((d) => d.oid);
    expect(new Set(oids).size).toBe(oids.length);
    const kinds = new Set(ALL_TRAP_DEFINITIONS.map((d) => d.kind));
    for (const definition of APC_TRAP_CATALOG) {
      expect(definition.oid.startsWith('1.3.6.1.4.1.318.0.')).toBe(true);
      for (const rule of definition.clears) expect(kinds).toContain(rule.kind);
    }
  });
});
