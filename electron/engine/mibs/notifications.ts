/**
 * Numeric OIDs of the standard notifications (traps) Vigie understands, and of the objects they
 * carry. The trap receiver, the trap catalog and (later) the training estate's agents use these
 * constants, so a simulated device sends exactly what a real one of the same MIB would.
 */

/** SNMPv2-MIB (RFC 3418) objects every SNMPv2 notification starts with (RFC 3416 section 4.2.6). */
export const NOTIFICATION = {
  /** sysUpTime.0: first varbind of every v2 notification. */
  sysUpTime: '1.3.6.1.2.1.1.3.0',
  /** snmpTrapOID.0: second varbind, names the notification. */
  snmpTrapOID: '1.3.6.1.6.3.1.1.4.1.0',
  /** snmpTrapEnterprise.0 (RFC 3584 section 3.1: added when translating a v1 trap). */
  snmpTrapEnterprise: '1.3.6.1.6.3.1.1.4.3.0',
  /** snmpTrapAddress.0 (SNMP-COMMUNITY-MIB, RFC 3584): the original agent's address, added by proxies. */
  snmpTrapAddress: '1.3.6.1.6.3.18.1.3.0',
  /** snmpTraps: the v1 generic traps 0 to 5 are snmpTraps.1 to .6 (RFC 3584 section 3.1). */
  snmpTraps: '1.3.6.1.6.3.1.1.5',
} as const;

/** Generic notifications of SNMPv2-MIB (RFC 3418) and IF-MIB (RFC 2863). */
export const GENERIC_TRAP = {
  coldStart: '1.3.6.1.6.3.1.1.5.1',
  warmStart: '1.3.6.1.6.3.1.1.5.2',
  /** IF-MIB linkDown: OBJECTS { ifIndex, ifAdminStatus, ifOperStatus }. */
  linkDown: '1.3.6.1.6.3.1.1.5.3',
  linkUp: '1.3.6.1.6.3.1.1.5.4',
  authenticationFailure: '1.3.6.1.6.3.1.1.5.5',
} as const;

/** IF-MIB (RFC 2863) columns found in link traps; append ifIndex. */
export const IF_TRAP_OBJECT = {
  ifIndex: '1.3.6.1.2.1.2.2.1.1',
  ifDescr: '1.3.6.1.2.1.2.2.1.2',
  /** 1 up, 2 down, 3 testing. */
  ifAdminStatus: '1.3.6.1.2.1.2.2.1.7',
  /** 1 up, 2 down, 3 testing, 4 unknown, 5 dormant, 6 notPresent, 7 lowerLayerDown. */
  ifOperStatus: '1.3.6.1.2.1.2.2.1.8',
  ifName: '1.3.6.1.2.1.31.1.1.1.1',
  ifAlias: '1.3.6.1.2.1.31.1.1.1.18',
} as const;

/** UPS-MIB (RFC 1628) notifications: upsTraps = upsMIB.2. */
export const UPS_TRAP = {
  /** OBJECTS { upsEstimatedMinutesRemaining, upsSecondsOnBattery, upsConfigLowBattTime }. */
  onBattery: '1.3.6.1.2.1.33.2.1',
  /** OBJECTS { upsTestId, upsTestSpinLock, upsTestResultsSummary, upsTestResultsDetail, upsTestStartTime, upsTestElapsedTime }. */
  testCompleted: '1.3.6.1.2.1.33.2.2',
  /** OBJECTS { upsAlarmId, upsAlarmDescr }. */
  alarmEntryAdded: '1.3.6.1.2.1.33.2.3',
  alarmEntryRemoved: '1.3.6.1.2.1.33.2.4',
} as const;

/** UPS-MIB objects carried by its notifications (scalars without `.0`, columns without index). */
export const UPS_TRAP_OBJECT = {
  upsSecondsOnBattery: '1.3.6.1.2.1.33.1.2.2',
  upsEstimatedMinutesRemaining: '1.3.6.1.2.1.33.1.2.3',
  /** upsAlarmTable column upsAlarmId (not-accessible: agents send it as the index of upsAlarmDescr). */
  upsAlarmId: '1.3.6.1.2.1.33.1.6.2.1.1',
  /** upsAlarmTable column upsAlarmDescr: an OID, one of UPS_WELL_KNOWN_ALARM or a vendor's. */
  upsAlarmDescr: '1.3.6.1.2.1.33.1.6.2.1.2',
  upsTestId: '1.3.6.1.2.1.33.1.7.1',
  /** 1 donePass, 2 doneWarning, 3 doneError, 4 aborted, 5 inProgress, 6 noTestsInitiated. */
  upsTestResultsSummary: '1.3.6.1.2.1.33.1.7.3',
  upsTestResultsDetail: '1.3.6.1.2.1.33.1.7.4',
  upsTestStartTime: '1.3.6.1.2.1.33.1.7.5',
  upsTestElapsedTime: '1.3.6.1.2.1.33.1.7.6',
  upsConfigLowBattTime: '1.3.6.1.2.1.33.1.9.7',
} as const;

/** UPS-MIB upsWellKnownAlarms (upsAlarm.3): the values of upsAlarmDescr. */
export const UPS_WELL_KNOWN_ALARM = {
  upsAlarmBatteryBad: '1.3.6.1.2.1.33.1.6.3.1',
  upsAlarmOnBattery: '1.3.6.1.2.1.33.1.6.3.2',
  upsAlarmLowBattery: '1.3.6.1.2.1.33.1.6.3.3',
  upsAlarmDepletedBattery: '1.3.6.1.2.1.33.1.6.3.4',
  upsAlarmTempBad: '1.3.6.1.2.1.33.1.6.3.5',
  upsAlarmInputBad: '1.3.6.1.2.1.33.1.6.3.6',
  upsAlarmOutputBad: '1.3.6.1.2.1.33.1.6.3.7',
  upsAlarmOutputOverload: '1.3.6.1.2.1.33.1.6.3.8',
  upsAlarmOnBypass: '1.3.6.1.2.1.33.1.6.3.9',
  upsAlarmBypassBad: '1.3.6.1.2.1.33.1.6.3.10',
  upsAlarmOutputOffAsRequested: '1.3.6.1.2.1.33.1.6.3.11',
  upsAlarmUpsOffAsRequested: '1.3.6.1.2.1.33.1.6.3.12',
  upsAlarmChargerFailed: '1.3.6.1.2.1.33.1.6.3.13',
  upsAlarmUpsOutputOff: '1.3.6.1.2.1.33.1.6.3.14',
  upsAlarmUpsSystemOff: '1.3.6.1.2.1.33.1.6.3.15',
  upsAlarmFanFailure: '1.3.6.1.2.1.33.1.6.3.16',
  upsAlarmFuseFailure: '1.3.6.1.2.1.33.1.6.3.17',
  upsAlarmGeneralFault: '1.3.6.1.2.1.33.1.6.3.18',
  upsAlarmDiagnosticTestFailed: '1.3.6.1.2.1.33.1.6.3.19',
  upsAlarmCommunicationsLost: '1.3.6.1.2.1.33.1.6.3.20',
  upsAlarmAwaitingPower: '1.3.6.1.2.1.33.1.6.3.21',
  upsAlarmShutdownPending: '1.3.6.1.2.1.33.1.6.3.22',
  upsAlarmShutdownImminent: '1.3.6.1.2.1.33.1.6.3.23',
  upsAlarmTestInProgress: '1.3.6.1.2.1.33.1.6.3.24',
} as const;

/** UPS-MIB upsWellKnownTests (upsTest.7): the values of upsTestId. */
export const UPS_WELL_KNOWN_TEST = {
  upsTestNoTestsInitiated: '1.3.6.1.2.1.33.1.7.7.1',
  upsTestAbortTestInProgress: '1.3.6.1.2.1.33.1.7.7.2',
  upsTestGeneralSystemsTest: '1.3.6.1.2.1.33.1.7.7.3',
  upsTestQuickBatteryTest: '1.3.6.1.2.1.33.1.7.7.4',
  upsTestDeepBatteryCalibration: '1.3.6.1.2.1.33.1.7.7.5',
} as const;

/**
 * Sensor threshold notifications. ENTITY-SENSOR-MIB (RFC 3433) defines none; the de-facto ones
 * are CISCO-ENTITY-SENSOR-MIB's, whose tables are indexed by entPhysicalIndex like RFC 3433's.
 */
export const SENSOR_TRAP = {
  /** OBJECTS { entSensorThresholdValue, entSensorValue, entSensorThresholdSeverity }. */
  thresholdNotification: '1.3.6.1.4.1.9.9.91.2.0.1',
  /** OBJECTS { entSensorValue, entSensorThresholdSeverity, entSensorThresholdValue }. */
  thresholdRecoveryNotification: '1.3.6.1.4.1.9.9.91.2.0.2',
} as const;

/** CISCO-ENTITY-SENSOR-MIB columns. */
export const SENSOR_TRAP_OBJECT = {
  /** entSensorValueTable: index entPhysicalIndex. */
  entSensorValue: '1.3.6.1.4.1.9.9.91.1.1.1.1.4',
  /** entSensorThresholdTable: index entPhysicalIndex.entSensorThresholdIndex. 1 other, 10 minor, 20 major, 30 critical. */
  entSensorThresholdSeverity: '1.3.6.1.4.1.9.9.91.1.2.1.1.2',
  /** 1 lessThan, 2 lessOrEqual, 3 greaterThan, 4 greaterOrEqual, 5 equalTo, 6 notEqualTo. */
  entSensorThresholdRelation: '1.3.6.1.4.1.9.9.91.1.2.1.1.3',
  entSensorThresholdValue: '1.3.6.1.4.1.9.9.91.1.2.1.1.4',
} as const;

/** RMON-MIB (RFC 2819) threshold alarms: rmonEventsV2 = rmon.0. */
export const RMON_TRAP = {
  /** OBJECTS { alarmIndex, alarmVariable, alarmSampleType, alarmValue, alarmRisingThreshold }. */
  risingAlarm: '1.3.6.1.2.1.16.0.1',
  /** OBJECTS { alarmIndex, alarmVariable, alarmSampleType, alarmValue, alarmFallingThreshold }. */
  fallingAlarm: '1.3.6.1.2.1.16.0.2',
} as const;

/** RMON-MIB alarmTable columns; append alarmIndex. */
export const RMON_TRAP_OBJECT = {
  alarmIndex: '1.3.6.1.2.1.16.3.1.1.1',
  alarmVariable: '1.3.6.1.2.1.16.3.1.1.3',
  /** 1 absoluteValue, 2 deltaValue. */
  alarmSampleType: '1.3.6.1.2.1.16.3.1.1.4',
  alarmValue: '1.3.6.1.2.1.16.3.1.1.5',
  alarmRisingThreshold: '1.3.6.1.2.1.16.3.1.1.7',
  alarmFallingThreshold: '1.3.6.1.2.1.16.3.1.1.8',
} as const;
