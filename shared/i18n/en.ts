/**
 * English catalog: the reference set of keys. fr.ts and nl.ts must define every key (the
 * `Catalog` type makes a missing key a compile error). Placeholders are `{name}`.
 */
export const en = {
  'status.up': 'Up',
  'status.degraded': 'Degraded',
  'status.down': 'Down',
  'status.unknown': 'No data',
  'status.maintenance': 'Maintenance',

  'condition.ok': 'Normal',
  'condition.onBattery': 'On battery',
  'condition.batteryLow': 'Battery low',
  'condition.batteryDepleted': 'Battery depleted',
  'condition.onBypass': 'On bypass',
  'condition.upsAlarm': 'UPS alarm',
  'condition.temperatureHigh': 'Temperature high',
  'condition.temperatureCritical': 'Temperature critical',
  'condition.humidityOutOfRange': 'Humidity out of range',
  'condition.sensorFault': 'Sensor fault',
  'condition.phaseNearOverload': 'Phase near overload',
  'condition.phaseOverload': 'Phase overload',
  'condition.uplinkDown': 'Uplink down',
  'condition.slow': 'Slow',
  'condition.failing': 'Failing',
  'condition.unreachable': 'Unreachable',
  'condition.noData': 'No data',
  'condition.awaitingFirstPoll': 'Waiting for first poll',

  'reading.batteryCharge': 'Battery',
  'reading.minutesRemaining': 'Runtime left',
  'reading.secondsOnBattery': 'Time on battery',
  'reading.outputLoad': 'Load',
  'reading.inputVoltage': 'Input',
  'reading.batteryTemperature': 'Battery temperature',
  'reading.temperature': 'Temperature',
  'reading.humidity': 'Humidity',
  'reading.phaseLoad': 'Phase load',
  'reading.inBitsPerSecond': 'Uplink in',
  'reading.outBitsPerSecond': 'Uplink out',
  'reading.latency': 'Latency',
  'reading.uptime': 'Uptime',

  'tileKind.ups': 'UPS',
  'tileKind.pdu': 'PDU',
  'tileKind.sensor': 'Environment sensor',
  'tileKind.switch': 'Core switch',
  'tileKind.service': 'Service',

  'zoneKind.primary': 'Primary datacenter',
  'zoneKind.witness': 'Witness site',
} as const;

export type MessageKey = keyof typeof en;
export type Catalog = Record<MessageKey, string>;
