/**
 * The training estate as data: which zones, devices and services exist, and the physical figures
 * (loads, temperatures, traffic, latencies) that the simulation starts from. Sized after
 * /work/shared/DOMAIN.md: two active-active primary datacenters and a small witness site.
 *
 * Ids follow the configuration schema (lower-case, digits, dashes) because they appear verbatim
 * in the inventory; names are shown to operators as they are, so they are proper English names.
 */

/** One UPS (RFC 1628 device). */
export interface UpsPlan {
  readonly id: string;
  readonly name: string;
  /** upsOutputPercentLoad on mains. */
  readonly nominalLoadPercent: number;
  /**
   * Battery drain on battery power, percent of charge per second. 0.14 %/s takes a full battery
   * to about 15 % in ten minutes: slow enough to follow in a drill, fast enough to be seen.
   */
  readonly drainPercentPerSecond: number;
  /** Recharge once mains is back, percent per second (about half an hour from empty). */
  readonly rechargePercentPerSecond: number;
  /** upsBatteryTemperature at rest, degrees Celsius. */
  readonly batteryCelsius: number;
}

/** One metered rack PDU, phase 1 reported (APC PowerNet-MIB rPDULoad tables). */
export interface PduPlan {
  readonly id: string;
  readonly name: string;
  /** Phase 1 current on mains, amps. */
  readonly nominalLoadAmps: number;
  /** Thresholds of rPDULoadPhaseConfigTable, amps. */
  readonly lowLoadAmps: number;
  readonly nearOverloadAmps: number;
  readonly overloadAmps: number;
}

/** One room sensor with a temperature and a humidity probe (ENTITY-SENSOR-MIB, RFC 3433). */
export interface SensorPlan {
  readonly id: string;
  readonly name: string;
  /** entPhysicalIndex of each probe. */
  readonly temperatureIndex: number;
  readonly humidityIndex: number;
  /** Cold-aisle temperature with cooling running, degrees Celsius. */
  readonly baselineCelsius: number;
  /** Where the temperature levels off with cooling lost (the room's heat balance). */
  readonly ceilingCelsius: number;
  /** Relative humidity with cooling running, percent. */
  readonly baselineHumidity: number;
}

/** One switch port (IF-MIB, RFC 2863). */
export interface InterfacePlan {
  readonly ifIndex: number;
  /** ifName: the short name the switch CLI uses. */
  readonly name: string;
  /** ifDescr: the full name. */
  readonly descr: string;
  /** ifAlias: what the network team typed on the port. */
  readonly alias: string;
  readonly speedMbps: number;
  readonly mtu: number;
  readonly operStatus: 'up' | 'down';
  /** Mean received and sent traffic at the daily mid level, bits per second, before zone scaling. */
  readonly inBitsPerSecond: number;
  readonly outBitsPerSecond: number;
}

/** One core switch. */
export interface SwitchPlan {
  readonly id: string;
  readonly name: string;
  /**
   * SSH diagnostics: the switch answers over SSH (exec only) and the inventory allows these
   * diagnostic templates on it (ids of the engine's template catalogue).
   */
  readonly ssh?: { readonly templates: readonly string[] };
  /** Multiplies every port's traffic: the witness site carries a fraction of a primary's. */
  readonly trafficScale: number;
  readonly uplinkIfIndex: number;
  readonly interfaces: readonly InterfacePlan[];
}

/** One service with a health endpoint. */
export interface ServicePlan {
  readonly id: string;
  readonly name: string;
  /** Typical answer time of the health endpoint, milliseconds. */
  readonly baseLatencyMs: number;
  /** Relative spread around the typical time (0.3 = ±30 %). */
  readonly jitter: number;
  /** Share of requests that fail (503) on a normal day. */
  readonly errorRate: number;
  /** Threshold written to the inventory: latency above it makes the engine call the service degraded. */
  readonly degradedLatencyMs: number;
  /** The client institution it is run for (scopes who sees it); null: the provider's own platform. */
  readonly client: string | null;
}

/** One zone (datacenter or witness site) with everything it hosts. */
export interface ZonePlan {
  readonly id: string;
  readonly name: string;
  readonly kind: 'primary' | 'witness';
  /** Written into sysLocation. */
  readonly location: string;
  readonly ups: readonly UpsPlan[];
  readonly pdus: readonly PduPlan[];
  readonly sensors: readonly SensorPlan[];
  readonly switches: readonly SwitchPlan[];
  readonly services: readonly ServicePlan[];
}

/** A whole estate: the zones in display order. */
export interface EstatePlan {
  readonly zones: readonly ZonePlan[];
}

/**
 * The platform services every primary zone runs (active-active, DOMAIN.md "The estate").
 * Latencies are those of health endpoints: a few tens of milliseconds, more for the batch
 * scheduler that checks its queue database. Degraded thresholds are about four times the typical
 * time, so a slow zone shows as degraded while normal jitter never does.
 */
const PLATFORM_SERVICES = [
  {
    suffix: 'ehealth',
    client: 'ehealth',
    name: 'eHealth platform',
    baseLatencyMs: 65,
    jitter: 0.3,
    errorRate: 0.002,
    degradedLatencyMs: 260,
  },
  {
    suffix: 'crossroads',
    client: 'crossroads',
    name: 'Crossroads messaging',
    baseLatencyMs: 35,
    jitter: 0.3,
    errorRate: 0.002,
    degradedLatencyMs: 140,
  },
  {
    suffix: 'employer',
    client: 'employers',
    name: 'Employer declarations',
    baseLatencyMs: 90,
    jitter: 0.3,
    errorRate: 0.003,
    degradedLatencyMs: 360,
  },
  {
    suffix: 'api-gw',
    client: null,
    name: 'API gateway',
    baseLatencyMs: 22,
    jitter: 0.3,
    errorRate: 0.001,
    degradedLatencyMs: 100,
  },
  {
    suffix: 'batch',
    client: null,
    name: 'Batch scheduler',
    baseLatencyMs: 140,
    jitter: 0.25,
    errorRate: 0.002,
    degradedLatencyMs: 560,
  },
  {
    suffix: 'identity',
    client: null,
    name: 'Identity & access',
    baseLatencyMs: 48,
    jitter: 0.3,
    errorRate: 0.001,
    degradedLatencyMs: 200,
  },
] as const;

function platformServices(prefix: string): ServicePlan[] {
  return PLATFORM_SERVICES.map(({ suffix, ...rest }) => ({ id: `${prefix}-${suffix}`, ...rest }));
}

/**
 * The same port layout on every core switch: four server-facing 25G ports, one port whose link
 * is down (a rack being recabled), two 100G uplinks (inter-site interconnect and carrier) and the
 * management port. ifIndex values are not contiguous, as on real switches, so nothing may assume
 * that the uplink is ifIndex 1.
 */
const CORE_SWITCH_PORTS: readonly InterfacePlan[] = [
  {
    ifIndex: 1,
    name: 'Eth1/1',
    descr: 'Ethernet1/1',
    alias: 'rack-01 servers',
    speedMbps: 25_000,
    mtu: 9216,
    operStatus: 'up',
    inBitsPerSecond: 420e6,
    outBitsPerSecond: 610e6,
  },
  {
    ifIndex: 2,
    name: 'Eth1/2',
    descr: 'Ethernet1/2',
    alias: 'rack-02 servers',
    speedMbps: 25_000,
    mtu: 9216,
    operStatus: 'up',
    inBitsPerSecond: 380e6,
    outBitsPerSecond: 540e6,
  },
  {
    ifIndex: 3,
    name: 'Eth1/3',
    descr: 'Ethernet1/3',
    alias: 'rack-03 storage',
    speedMbps: 25_000,
    mtu: 9216,
    operStatus: 'up',
    inBitsPerSecond: 910e6,
    outBitsPerSecond: 760e6,
  },
  {
    ifIndex: 4,
    name: 'Eth1/4',
    descr: 'Ethernet1/4',
    alias: 'rack-04 containers',
    speedMbps: 25_000,
    mtu: 9216,
    operStatus: 'up',
    inBitsPerSecond: 650e6,
    outBitsPerSecond: 820e6,
  },
  {
    ifIndex: 5,
    name: 'Eth1/5',
    descr: 'Ethernet1/5',
    alias: 'rack-05 recabling',
    speedMbps: 25_000,
    mtu: 9216,
    operStatus: 'down',
    inBitsPerSecond: 0,
    outBitsPerSecond: 0,
  },
  {
    ifIndex: 49,
    name: 'Eth1/49',
    descr: 'Ethernet1/49',
    alias: 'uplink inter-site interconnect',
    speedMbps: 100_000,
    mtu: 9216,
    operStatus: 'up',
    inBitsPerSecond: 3.4e9,
    outBitsPerSecond: 2.9e9,
  },
  {
    ifIndex: 50,
    name: 'Eth1/50',
    descr: 'Ethernet1/50',
    alias: 'uplink carrier',
    speedMbps: 100_000,
    mtu: 9216,
    operStatus: 'up',
    inBitsPerSecond: 1.2e9,
    outBitsPerSecond: 0.9e9,
  },
  {
    ifIndex: 100,
    name: 'mgmt0',
    descr: 'mgmt0',
    alias: 'out-of-band management',
    speedMbps: 1_000,
    mtu: 1500,
    operStatus: 'up',
    inBitsPerSecond: 2.5e6,
    outBitsPerSecond: 1.8e6,
  },
];

const UPLINK_IF_INDEX = 49;

/**
 * Diagnostics allowed over SSH on the core switches: every built-in template on the primaries,
 * only uptime and disk usage on the witness (allow-lists differ per device, as they do in real
 * estates).
 */
const PRIMARY_SSH_TEMPLATES = [
  'uptime',
  'disk-usage',
  'interface-counters',
  'interface-stats',
  'service-status',
] as const;
const WITNESS_SSH_TEMPLATES = ['uptime', 'disk-usage'] as const;

function ups(id: string, name: string, nominalLoadPercent: number, drainPercentPerSecond: number): UpsPlan {
  return {
    id,
    name,
    nominalLoadPercent,
    drainPercentPerSecond,
    rechargePercentPerSecond: 0.05,
    batteryCelsius: 25,
  };
}

/** The default estate: zone A, zone B (primaries) and the witness site. */
export const TRAINING_ESTATE: EstatePlan = {
  zones: [
    {
      id: 'zone-a',
      name: 'Zone A',
      kind: 'primary',
      location: 'Zone A datacenter, room 1, row C',
      ups: [ups('a-ups-1', 'UPS A1', 38, 0.14), ups('a-ups-2', 'UPS A2', 42, 0.13)],
      pdus: [
        {
          id: 'a-pdu-1',
          name: 'Rack PDU A1',
          nominalLoadAmps: 14.2,
          lowLoadAmps: 1,
          nearOverloadAmps: 26,
          overloadAmps: 30,
        },
      ],
      sensors: [
        {
          id: 'a-env-1',
          name: 'Room sensor A1',
          temperatureIndex: 2,
          humidityIndex: 3,
          baselineCelsius: 22.4,
          ceilingCelsius: 38,
          baselineHumidity: 44,
        },
        {
          id: 'a-env-2',
          name: 'Room sensor A2',
          temperatureIndex: 2,
          humidityIndex: 3,
          baselineCelsius: 23.1,
          ceilingCelsius: 37.5,
          baselineHumidity: 46,
        },
      ],
      switches: [
        {
          id: 'a-core-sw',
          name: 'Core switch A',
          ssh: { templates: PRIMARY_SSH_TEMPLATES },
          trafficScale: 1,
          uplinkIfIndex: UPLINK_IF_INDEX,
          interfaces: CORE_SWITCH_PORTS,
        },
      ],
      services: platformServices('a'),
    },
    {
      id: 'zone-b',
      name: 'Zone B',
      kind: 'primary',
      location: 'Zone B datacenter, room 2, row F',
      ups: [ups('b-ups-1', 'UPS B1', 36, 0.14), ups('b-ups-2', 'UPS B2', 40, 0.13)],
      pdus: [
        {
          id: 'b-pdu-1',
          name: 'Rack PDU B1',
          nominalLoadAmps: 13.6,
          lowLoadAmps: 1,
          nearOverloadAmps: 26,
          overloadAmps: 30,
        },
      ],
      sensors: [
        {
          id: 'b-env-1',
          name: 'Room sensor B1',
          temperatureIndex: 2,
          humidityIndex: 3,
          baselineCelsius: 21.8,
          ceilingCelsius: 37.5,
          baselineHumidity: 43,
        },
        {
          id: 'b-env-2',
          name: 'Room sensor B2',
          temperatureIndex: 2,
          humidityIndex: 3,
          baselineCelsius: 22.7,
          ceilingCelsius: 38,
          baselineHumidity: 45,
        },
      ],
      switches: [
        {
          id: 'b-core-sw',
          name: 'Core switch B',
          ssh: { templates: PRIMARY_SSH_TEMPLATES },
          trafficScale: 0.92,
          uplinkIfIndex: UPLINK_IF_INDEX,
          interfaces: CORE_SWITCH_PORTS,
        },
      ],
      services: platformServices('b'),
    },
    {
      id: 'witness',
      name: 'Witness site',
      kind: 'witness',
      location: 'Witness site, continuity room, row A',
      ups: [ups('w-ups-1', 'UPS W1', 24, 0.09), ups('w-ups-2', 'UPS W2', 22, 0.09)],
      pdus: [
        {
          id: 'w-pdu-1',
          name: 'Rack PDU W1',
          nominalLoadAmps: 6.4,
          lowLoadAmps: 1,
          nearOverloadAmps: 13,
          overloadAmps: 16,
        },
      ],
      sensors: [
        {
          id: 'w-env-1',
          name: 'Room sensor W1',
          temperatureIndex: 2,
          humidityIndex: 3,
          baselineCelsius: 21.2,
          ceilingCelsius: 35,
          baselineHumidity: 41,
        },
        {
          id: 'w-env-2',
          name: 'Room sensor W2',
          temperatureIndex: 2,
          humidityIndex: 3,
          baselineCelsius: 21.6,
          ceilingCelsius: 35,
          baselineHumidity: 42,
        },
      ],
      switches: [
        {
          id: 'w-core-sw',
          name: 'Core switch W',
          ssh: { templates: WITNESS_SSH_TEMPLATES },
          trafficScale: 0.08,
          uplinkIfIndex: UPLINK_IF_INDEX,
          interfaces: CORE_SWITCH_PORTS,
        },
      ],
      services: [
        {
          id: 'w-quorum',
          name: 'Quorum witness',
          baseLatencyMs: 18,
          jitter: 0.3,
          errorRate: 0.001,
          degradedLatencyMs: 80,
          client: null,
        },
      ],
    },
  ],
};

/** One device of the estate with its kind and zone: what gets an SNMP agent and an inventory entry. */
export type EstateDevice =
  | { readonly kind: 'ups'; readonly zone: ZonePlan; readonly plan: UpsPlan }
  | { readonly kind: 'pdu'; readonly zone: ZonePlan; readonly plan: PduPlan }
  | { readonly kind: 'sensor'; readonly zone: ZonePlan; readonly plan: SensorPlan }
  | { readonly kind: 'switch'; readonly zone: ZonePlan; readonly plan: SwitchPlan };

/** Every device of the estate, zone by zone, in a stable order. */
export function listDevices(estate: EstatePlan): EstateDevice[] {
  return estate.zones.flatMap((zone): EstateDevice[] => [
    ...zone.ups.map((plan) => ({ kind: 'ups' as const, zone, plan })),
    ...zone.pdus.map((plan) => ({ kind: 'pdu' as const, zone, plan })),
    ...zone.sensors.map((plan) => ({ kind: 'sensor' as const, zone, plan })),
    ...zone.switches.map((plan) => ({ kind: 'switch' as const, zone, plan })),
  ]);
}
