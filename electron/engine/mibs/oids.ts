/**
 * Numeric OIDs of the standard MIB objects Vigie reads in this version. Both the poller profiles
 * and the training estate's agents use these constants, so the simulated devices answer exactly
 * what a real device of the same MIB would.
 */

/** SNMPv2-MIB system group (RFC 3418). */
export const SYSTEM = {
  sysDescr: '1.3.6.1.2.1.1.1.0',
  sysObjectID: '1.3.6.1.2.1.1.2.0',
  sysUpTime: '1.3.6.1.2.1.1.3.0',
  sysName: '1.3.6.1.2.1.1.5.0',
} as const;

/** UPS-MIB (RFC 1628), single-line UPS (line index 1). */
export const UPS = {
  /** upsBatteryStatus: 1 unknown, 2 batteryNormal, 3 batteryLow, 4 batteryDepleted. */
  batteryStatus: '1.3.6.1.2.1.33.1.2.1.0',
  /** upsSecondsOnBattery: 0 when on mains. */
  secondsOnBattery: '1.3.6.1.2.1.33.1.2.2.0',
  /** upsEstimatedMinutesRemaining. */
  estimatedMinutesRemaining: '1.3.6.1.2.1.33.1.2.3.0',
  /** upsEstimatedChargeRemaining, percent. */
  estimatedChargeRemaining: '1.3.6.1.2.1.33.1.2.4.0',
  /** upsBatteryTemperature, degrees Celsius. */
  batteryTemperature: '1.3.6.1.2.1.33.1.2.7.0',
  /** upsInputVoltage of input line 1, RMS volts. */
  inputVoltage: '1.3.6.1.2.1.33.1.3.3.1.3.1',
  /** upsOutputSource: 1 other, 2 none, 3 normal, 4 bypass, 5 battery, 6 booster, 7 reducer. */
  outputSource: '1.3.6.1.2.1.33.1.4.1.0',
  /** upsOutputPercentLoad of output line 1. */
  outputPercentLoad: '1.3.6.1.2.1.33.1.4.4.1.5.1',
  /** upsAlarmsPresent: number of active alarms. */
  alarmsPresent: '1.3.6.1.2.1.33.1.6.1.0',
} as const;

/**
 * ENTITY-SENSOR-MIB (RFC 3433) entPhySensorTable columns; append the entPhysicalIndex.
 * Value = entPhySensorValue × 10^(scale exponent) / 10^precision.
 */
export const ENTITY_SENSOR = {
  /** entPhySensorType: 8 celsius, 9 percentRH, ... */
  type: '1.3.6.1.2.1.99.1.1.1.1',
  /** entPhySensorScale: 9 units (10^0), 8 milli, 10 kilo, ... */
  scale: '1.3.6.1.2.1.99.1.1.1.2',
  /** entPhySensorPrecision: number of decimal places in the value. */
  precision: '1.3.6.1.2.1.99.1.1.1.3',
  value: '1.3.6.1.2.1.99.1.1.1.4',
  /** entPhySensorOperStatus: 1 ok, 2 unavailable, 3 nonoperational. */
  operStatus: '1.3.6.1.2.1.99.1.1.1.5',
} as const;

export const ENTITY_SENSOR_TYPE = { celsius: 8, percentRH: 9 } as const;
/** entPhySensorScale value for plain units (exponent 0). */
export const ENTITY_SENSOR_SCALE_UNITS = 9;

/**
 * PDU load: the phase table of APC PowerNet-MIB (rPDULoadStatusTable), the de-facto profile for
 * rack PDUs. Append the phase index (1).
 */
export const PDU = {
  /** rPDULoadStatusLoad: tenths of amps. */
  loadTenthsOfAmps: '1.3.6.1.4.1.318.1.1.12.2.3.1.1.2',
  /** rPDULoadStatusLoadState: 1 phaseLoadNormal, 2 phaseLoadLow, 3 phaseLoadNearOverload, 4 phaseLoadOverload. */
  loadState: '1.3.6.1.4.1.318.1.1.12.2.3.1.1.3',
  /** rPDULoadPhaseConfigOverloadThreshold: amps. */
  overloadThresholdAmps: '1.3.6.1.4.1.318.1.1.12.2.2.1.1.4',
} as const;

/** IF-MIB (RFC 2863): columns; append ifIndex. */
export const IF = {
  ifDescr: '1.3.6.1.2.1.2.2.1.2',
  /** ifOperStatus: 1 up, 2 down, 3 testing, 4 unknown, 5 dormant, 6 notPresent, 7 lowerLayerDown. */
  ifOperStatus: '1.3.6.1.2.1.2.2.1.8',
  ifName: '1.3.6.1.2.1.31.1.1.1.1',
  ifHCInOctets: '1.3.6.1.2.1.31.1.1.1.6',
  ifHCOutOctets: '1.3.6.1.2.1.31.1.1.1.10',
  /** ifHighSpeed: megabits per second. */
  ifHighSpeed: '1.3.6.1.2.1.31.1.1.1.15',
  ifCounterDiscontinuityTime: '1.3.6.1.2.1.31.1.1.1.19',
} as const;
