/**
 * A small equipment estate for the equipment view and device page tests, shaped like the training
 * estate's answers: zone A with a data hall (two 42U racks: the core switch at U41, a PDU at U1–U2,
 * and a server claiming U41 already taken) and a power room (two UPS outside racks); zone B with a
 * switch that stopped answering at 14:02 and a sensor that never answered.
 */
import type {
  EquipmentDevice,
  EquipmentDeviceDetail,
  EquipmentInventory,
  ProfileReadingView,
  ProfileResultView,
} from '../../../../shared/api';
import { FIXTURE_NOW, STALE_SAMPLE_AT } from './fixtures';
import { failure, ok, type FakeHandlers } from './fake-transport';
import { quietDiagnosticsHandlers } from './diagnostics-fixtures';

export function device(
  partial: Partial<EquipmentDevice> & Pick<EquipmentDevice, 'id' | 'name'>,
): EquipmentDevice {
  return {
    zone: 'zone-a',
    room: 'zone-a-hall',
    rack: null,
    kind: 'switch',
    role: null,
    address: '127.0.0.1',
    snmp: { version: '2c', port: 16100, user: null, level: null },
    ssh: { configured: false, templates: [] },
    profiles: ['snmpv2-system', 'if-mib'],
    status: 'up',
    health: {
      lastAttemptAt: FIXTURE_NOW - 4_000,
      lastSuccessAt: FIXTURE_NOW - 4_000,
      latencyMs: 42,
      consecutiveFailures: 0,
      lastError: null,
      requests: { sent: 13, failed: 0 },
    },
    ...partial,
  };
}

export const fixtureDevices: readonly EquipmentDevice[] = [
  device({
    id: 'a-core-sw',
    name: 'Core switch A',
    role: 'core switch',
    rack: { id: 'zone-a-r01', positionU: 41, heightU: 1 },
  }),
  device({
    id: 'a-pdu-1',
    name: 'Rack PDU A1',
    kind: 'pdu',
    role: 'rack PDU',
    profiles: ['snmpv2-system'],
    rack: { id: 'zone-a-r02', positionU: 1, heightU: 2 },
  }),
  device({
    id: 'a-server-9',
    name: 'Server A9',
    kind: 'pdu',
    profiles: ['snmpv2-system'],
    rack: { id: 'zone-a-r01', positionU: 41, heightU: 2 },
  }),
  device({
    id: 'a-ups-1',
    name: 'UPS A1',
    kind: 'ups',
    role: 'UPS',
    room: 'zone-a-power',
    profiles: ['snmpv2-system', 'ups-mib'],
    status: 'degraded',
    snmp: { version: '3', port: 16101, user: 'vigie-ro', level: 'authPriv' },
    ssh: { configured: true, templates: ['show-status'] },
  }),
  device({
    id: 'a-ups-2',
    name: 'UPS A2',
    kind: 'ups',
    role: 'UPS',
    room: 'zone-a-power',
    profiles: ['snmpv2-system', 'ups-mib'],
  }),
  device({
    id: 'b-core-sw',
    name: 'Core switch B',
    zone: 'zone-b',
    room: 'zone-b-hall',
    rack: { id: 'zone-b-r01', positionU: 41, heightU: 1 },
    // Stopped answering: its last status was up, it must not show so.
    status: 'up',
    health: {
      lastAttemptAt: FIXTURE_NOW - 5_000,
      lastSuccessAt: STALE_SAMPLE_AT,
      latencyMs: 5_000,
      consecutiveFailures: 48,
      lastError: {
        code: 'TIMEOUT',
        message: 'SNMP request timed out after 1500 ms',
        at: FIXTURE_NOW - 5_000,
      },
      requests: { sent: 1, failed: 1 },
    },
  }),
  device({
    id: 'b-env-1',
    name: 'Room sensor B1',
    zone: 'zone-b',
    room: 'zone-b-hall',
    kind: 'sensor',
    profiles: ['snmpv2-system', 'entity-sensor'],
    status: 'unknown',
    health: {
      lastAttemptAt: FIXTURE_NOW - 5_000,
      lastSuccessAt: null,
      latencyMs: 1_500,
      consecutiveFailures: 3,
      lastError: { code: 'REFUSED', message: 'connection refused', at: FIXTURE_NOW - 5_000 },
      requests: { sent: 1, failed: 1 },
    },
  }),
];

export function fixtureInventory(devices: readonly EquipmentDevice[] = fixtureDevices): EquipmentInventory {
  return {
    zones: [
      { id: 'zone-a', name: 'Zone A', kind: 'primary' },
      { id: 'zone-b', name: 'Zone B', kind: 'primary' },
    ],
    rooms: [
      { id: 'zone-a-hall', zone: 'zone-a', name: 'Zone A data hall' },
      { id: 'zone-a-power', zone: 'zone-a', name: 'Zone A power room' },
      { id: 'zone-b-hall', zone: 'zone-b', name: 'Zone B data hall' },
    ],
    racks: [
      { id: 'zone-a-r01', room: 'zone-a-hall', name: 'R01 network', heightU: 42 },
      { id: 'zone-a-r02', room: 'zone-a-hall', name: 'R02 compute', heightU: 42 },
      { id: 'zone-b-r01', room: 'zone-b-hall', name: 'R01 network', heightU: 42 },
    ],
    devices: [...devices],
  };
}

export function reading(
  partial: Partial<ProfileReadingView> & Pick<ProfileReadingView, 'metric'>,
): ProfileReadingView {
  return {
    table: null,
    instance: null,
    labels: {},
    value: null,
    label: null,
    unit: null,
    status: 'up',
    threshold: null,
    reason: null,
    ...partial,
  };
}

function profile(
  partial: Partial<ProfileResultView> & Pick<ProfileResultView, 'profile' | 'name'>,
): ProfileResultView {
  return { at: FIXTURE_NOW - 4_000, status: 'up', conditions: [], readings: [], tables: [], ...partial };
}

function systemProfile(name: string, descr: string): ProfileResultView {
  return profile({
    profile: 'snmpv2-system',
    name: 'System (SNMPv2-MIB)',
    readings: [
      reading({ metric: 'sysDescr', value: descr }),
      reading({ metric: 'sysObjectID', value: '1.3.6.1.4.1.32473.1.4' }),
      reading({ metric: 'sysUpTime', value: 93_784, unit: 'seconds' }),
      reading({ metric: 'sysContact', value: 'Datacenter operations, supervision desk' }),
      reading({ metric: 'sysName', value: name }),
      reading({ metric: 'sysLocation', value: 'Zone A datacenter, room 1, row C' }),
    ],
  });
}

const IF_ROWS = [
  {
    instance: '1',
    ifName: 'Eth1/1',
    ifAlias: 'rack-01 servers',
    oper: 'up',
    inBits: 481_994_724,
    outBits: 701_424_043,
  },
  { instance: '5', ifName: 'Eth1/5', ifAlias: 'rack-05 recabling', oper: 'down', inBits: 0, outBits: 0 },
  {
    instance: '49',
    ifName: 'Eth1/49',
    ifAlias: 'uplink inter-site interconnect',
    oper: 'up',
    inBits: 4_113_883_619,
    outBits: 3_315_428_388,
  },
] as const;

export function switchDetail(dev: EquipmentDevice = fixtureDevices[0]!): EquipmentDeviceDetail {
  const readings = IF_ROWS.flatMap((row) => {
    const labels = { ifName: row.ifName, ifDescr: `Ethernet${row.ifName.slice(3)}`, ifAlias: row.ifAlias };
    const base = { table: 'interfaces', instance: row.instance, labels };
    const missing = (oid: string) => ({
      code: 'missing',
      detail: `the agent returned no ${oid} for row ${row.instance}`,
    });
    return [
      reading({ ...base, metric: 'inBitsPerSecond', value: row.inBits, unit: 'bitsPerSecond' }),
      reading({ ...base, metric: 'outBitsPerSecond', value: row.outBits, unit: 'bitsPerSecond' }),
      reading({
        ...base,
        metric: 'inErrorsPerSecond',
        unit: 'errorsPerSecond',
        status: 'unknown',
        reason: missing('1.3.6.1.2.1.2.2.1.14'),
      }),
      reading({
        ...base,
        metric: 'outErrorsPerSecond',
        unit: 'errorsPerSecond',
        status: 'unknown',
        reason: missing('1.3.6.1.2.1.2.2.1.20'),
      }),
      reading({
        ...base,
        metric: 'operStatus',
        value: row.oper === 'up' ? 1 : 2,
        label: row.oper,
        status: row.oper === 'up' ? 'up' : 'down',
      }),
      reading({ ...base, metric: 'adminStatus', value: 1, label: 'up' }),
      reading({
        ...base,
        metric: 'speed',
        value: row.instance === '49' ? 100e9 : 25e9,
        unit: 'bitsPerSecond',
      }),
      reading({ ...base, metric: 'counterDiscontinuityTime', value: 0, unit: 'seconds' }),
    ];
  });
  return {
    device: dev,
    profiles: [
      systemProfile(dev.id, 'Datacenter core switch 48x25G + 8x100G, network OS 10.5.4'),
      profile({
        profile: 'if-mib',
        name: 'Interfaces (IF-MIB)',
        conditions: [
          {
            name: 'linkDown',
            instance: '5',
            labels: { ifName: 'Eth1/5', ifDescr: 'Ethernet1/5', ifAlias: 'rack-05 recabling' },
            status: 'down',
            detail: 'The interface is enabled (ifAdminStatus up) but its link is not up.',
          },
        ],
        readings: [
          ...readings,
          reading({ metric: 'interfaceCount', table: 'interfaces', value: 3, unit: 'count' }),
        ],
        tables: [{ name: 'interfaces', rows: 3 }],
      }),
      profile({
        profile: 'my-vendor',
        name: 'Vendor extras',
        readings: [
          reading({ metric: 'fanSpeed', value: 4200, unit: 'rpm' }),
          reading({ metric: 'psuDraw', value: 12.5, unit: 'dBm' }),
        ],
      }),
    ],
    events: [
      { kind: 'reboot', device: dev.id, at: FIXTURE_NOW - 600_000, detail: 'rebooted (up 12 s)' },
      {
        kind: 'counterDiscontinuity',
        device: dev.id,
        at: FIXTURE_NOW - 590_000,
        detail: 'counter discontinuity on inBitsPerSecond [Eth1/49]',
      },
    ],
  };
}

export function upsDetail(options: { onBattery: boolean } = { onBattery: false }): EquipmentDeviceDetail {
  const dev = fixtureDevices.find((d) => d.id === 'a-ups-1')!;
  const { onBattery } = options;
  return {
    device: dev,
    profiles: [
      systemProfile('a-ups-1', 'Online double-conversion UPS 10 kVA/9 kW'),
      profile({
        profile: 'ups-mib',
        name: 'UPS (UPS-MIB, RFC 1628)',
        status: onBattery ? 'degraded' : 'up',
        conditions: onBattery
          ? [
              {
                name: 'outputSource',
                instance: null,
                labels: {},
                status: 'degraded',
                detail: 'outputSource is battery',
              },
            ]
          : [],
        readings: [
          reading({ metric: 'manufacturer', value: 'Vigie training estate' }),
          reading({ metric: 'model', value: 'Online UPS 10 kVA' }),
          reading({ metric: 'batteryStatus', value: 2, label: 'batteryNormal' }),
          reading({ metric: 'secondsOnBattery', value: onBattery ? 130 : 0, unit: 'seconds' }),
          reading({
            metric: 'estimatedMinutesRemaining',
            value: onBattery ? 12 : 42,
            unit: 'minutes',
            status: onBattery ? 'degraded' : 'up',
            threshold: onBattery ? 'warningLow' : null,
          }),
          reading({ metric: 'estimatedChargeRemaining', value: onBattery ? 81 : 100, unit: 'percent' }),
          reading({ metric: 'batteryVoltage', value: 242.9, unit: 'volt' }),
          reading({
            metric: 'batteryCurrent',
            unit: 'ampere',
            status: 'unknown',
            reason: { code: 'noSuchObject', detail: 'noSuchObject at 1.3.6.1.2.1.33.1.2.6.0' },
          }),
          reading({ metric: 'batteryTemperature', value: 25, unit: 'celsius' }),
          reading({
            metric: 'outputSource',
            value: onBattery ? 5 : 3,
            label: onBattery ? 'battery' : 'normal',
            status: onBattery ? 'degraded' : 'up',
          }),
          reading({ metric: 'outputFrequency', value: 50, unit: 'hertz' }),
          reading({ metric: 'alarmsPresent', value: onBattery ? 1 : 0, unit: 'count' }),
          reading({
            metric: 'inputVoltage',
            table: 'input',
            instance: '1',
            value: onBattery ? 0 : 232,
            unit: 'volt',
          }),
          reading({ metric: 'inputFrequency', table: 'input', instance: '1', value: 50.1, unit: 'hertz' }),
          reading({ metric: 'outputVoltage', table: 'output', instance: '1', value: 230, unit: 'volt' }),
          reading({ metric: 'outputPower', table: 'output', instance: '1', value: 3523, unit: 'watt' }),
          reading({
            metric: 'outputPercentLoad',
            table: 'output',
            instance: '1',
            value: 39,
            unit: 'percent',
          }),
          ...(onBattery
            ? [
                reading({
                  metric: 'alarm',
                  table: 'alarms',
                  instance: '1',
                  value: '1.3.6.1.2.1.33.1.6.3.2',
                  label: 'onBattery',
                  status: 'degraded',
                }),
                reading({
                  metric: 'alarmTime',
                  table: 'alarms',
                  instance: '1',
                  value: 93_654,
                  unit: 'seconds',
                }),
              ]
            : []),
          reading({ metric: 'alarmCount', table: 'alarms', value: onBattery ? 1 : 0, unit: 'count' }),
        ],
        tables: [
          { name: 'input', rows: 1 },
          { name: 'output', rows: 1 },
          { name: 'alarms', rows: onBattery ? 1 : 0 },
        ],
      }),
    ],
    events: [],
  };
}

export function sensorDetail(): EquipmentDeviceDetail {
  const dev = fixtureDevices.find((d) => d.id === 'b-env-1')!;
  const labels = (name: string, descr: string, type: string) => ({
    entPhysicalName: name,
    entPhysicalDescr: descr,
    unitsDisplay: type === 'celsius' ? 'degrees C' : '%RH',
    sensorType: type,
  });
  const t = labels('temperature', 'Temperature probe, cold aisle', 'celsius');
  const h = labels('humidity', 'Humidity probe, cold aisle', 'percentRH');
  return {
    device: dev,
    profiles: [
      profile({
        profile: 'entity-sensor',
        name: 'Sensors (ENTITY-SENSOR-MIB)',
        readings: [
          reading({
            metric: 'operStatus',
            table: 'sensors',
            instance: '2',
            labels: t,
            value: 1,
            label: 'ok',
          }),
          reading({
            metric: 'temperature',
            table: 'sensors',
            instance: '2',
            labels: t,
            value: 27.4,
            unit: 'celsius',
            status: 'degraded',
            threshold: 'warningHigh',
          }),
          reading({
            metric: 'operStatus',
            table: 'sensors',
            instance: '3',
            labels: h,
            value: 1,
            label: 'ok',
          }),
          reading({
            metric: 'humidity',
            table: 'sensors',
            instance: '3',
            labels: h,
            value: 43.9,
            unit: 'percent',
          }),
        ],
        tables: [{ name: 'sensors', rows: 2 }],
      }),
    ],
    events: [
      {
        kind: 'unreachable',
        device: dev.id,
        at: STALE_SAMPLE_AT,
        detail: 'REFUSED: connection refused',
      },
    ],
  };
}

/** Handlers for the equipment channels; `details` by device id (NOT_FOUND for others). */
export function equipmentHandlers(
  inventory: EquipmentInventory = fixtureInventory(),
  details: Readonly<Record<string, EquipmentDeviceDetail>> = {
    'a-core-sw': switchDetail(),
    'a-ups-1': upsDetail(),
    'b-env-1': sensorDetail(),
  },
): FakeHandlers {
  return {
    ...quietDiagnosticsHandlers(),
    'equipment.inventory': () => ok(inventory),
    'equipment.device': (request) => {
      const detail = details[request.id];
      return detail ? ok(detail) : failure('NOT_FOUND', `no device "${request.id}"`);
    },
  };
}
