/**
 * The physics of the training estate: what every device and service would read at a given
 * instant. Readings are computed on demand from the time passed in (the estate passes
 * `clock.now()` at request time), so a fake clock drives the whole datacenter in tests.
 *
 * State only changes when a scenario changes a zone's conditions. Each changing quantity (battery
 * charge, room temperature, humidity) is a ramp: it starts from the value it had at that moment and
 * moves toward a target at a fixed rate, so nothing jumps when a drill starts or ends.
 */
import { missingCase } from '../../../shared/domain/missing-case';
import type {
  EstatePlan,
  InterfacePlan,
  PduPlan,
  SensorPlan,
  ServicePlan,
  SwitchPlan,
  UpsPlan,
  ZonePlan,
} from './estate-definition';
import { hashString, mix, smoothNoise, unit } from './noise';
import type { PowerSource } from './scenarios';

/** upsBatteryStatus (RFC 1628): 2 batteryNormal, 3 batteryLow, 4 batteryDepleted. */
export type UpsBatteryStatus = 2 | 3 | 4;
/** upsOutputSource (RFC 1628): 2 none, 3 normal, 5 battery. */
export type UpsOutputSource = 2 | 3 | 5;
/** rPDULoadStatusLoadState (PowerNet-MIB): 1 normal, 2 low, 3 near overload, 4 overload. */
export type PduLoadState = 1 | 2 | 3 | 4;

/** A UPS as the UPS-MIB (RFC 1628) describes it, in the MIB's own units. */
export interface UpsReading {
  readonly batteryStatus: UpsBatteryStatus;
  readonly secondsOnBattery: number;
  readonly estimatedMinutesRemaining: number;
  /** Percent, 0..100. */
  readonly estimatedChargeRemaining: number;
  /** Tenths of volts DC. */
  readonly batteryVoltageTenths: number;
  /** Degrees Celsius. */
  readonly batteryTemperature: number;
  /** upsInputLineBads: times the input went out of tolerance since the agent started. */
  readonly inputLineBads: number;
  /** Tenths of hertz. */
  readonly inputFrequencyTenths: number;
  /** RMS volts. */
  readonly inputVoltage: number;
  readonly outputSource: UpsOutputSource;
  readonly outputFrequencyTenths: number;
  readonly outputVoltage: number;
  /** Tenths of amps. */
  readonly outputCurrentTenths: number;
  readonly outputPowerWatts: number;
  readonly outputPercentLoad: number;
  readonly alarmsPresent: number;
}

/** Phase 1 of a rack PDU (APC PowerNet-MIB rPDULoad tables). */
export interface PduReading {
  readonly loadTenthsOfAmps: number;
  readonly loadState: PduLoadState;
  readonly lowLoadAmps: number;
  readonly nearOverloadAmps: number;
  readonly overloadAmps: number;
}

/** A room sensor's two probes, in tenths (entPhySensorPrecision 1, RFC 3433). */
export interface SensorReading {
  readonly temperatureTenths: number;
  readonly humidityTenths: number;
}

/** How one health request is answered. */
export interface ServiceOutcome {
  readonly latencyMs: number;
  /** True: answer 503. */
  readonly failing: boolean;
  readonly status: 'ok' | 'degraded';
}

/** A zone's conditions at one instant. */
export interface ZoneCondition {
  readonly power: PowerSource;
  /** When the zone switched to its current power source (the estate start if it never did). */
  readonly since: number;
  /** On battery with every UPS of the zone depleted: the zone has no power at all. */
  readonly dark: boolean;
}

/** A quantity moving from `from` (at time `at`) toward `target` at `perSecond`, then staying there. */
interface Ramp {
  readonly from: number;
  readonly at: number;
  readonly target: number;
  readonly perSecond: number;
}

function steady(value: number, at: number): Ramp {
  return { from: value, at, target: value, perSecond: 0 };
}

function rampValue(ramp: Ramp, now: number): number {
  const seconds = Math.max(0, now - ramp.at) / 1000;
  const distance = ramp.target - ramp.from;
  return ramp.from + Math.sign(distance) * Math.min(Math.abs(distance), ramp.perSecond * seconds);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** Loads kept on UPS when mains is lost: non-critical racks are shed (runbook step 1). */
/** Runtime a fully charged estate UPS reports on mains, at its nominal load. */
const RATED_RUNTIME_MINUTES = 32;
const SHED_FACTOR = 0.7;
/** UPS rating used to turn percent load into watts and amps (10 kVA / 9 kW double conversion). */
const UPS_RATED_WATTS = 9000;
const NOMINAL_VOLTS = 230;
/** Cooling lost: about +1 °C every 20 s until the room's heat balance is reached. */
const HEATING_CELSIUS_PER_SECOND = 0.05;
/** Cooling back (free cooling first): about -1 °C every 50 s. */
const COOLING_CELSIUS_PER_SECOND = 0.02;
/** Warmer air holds more water, so relative humidity falls while the room heats up. */
const HUMIDITY_DROP_PERCENT = 14;
const HUMIDITY_DRIFT_PER_SECOND = 0.02;
const HUMIDITY_RECOVERY_PER_SECOND = 0.01;
/** PDU phase current added by server fans per °C above the room's normal temperature. */
const FAN_AMPS_PER_CELSIUS = 0.12;
/** While a zone is on battery its services answer 5 to 10 times slower and fail this often. */
const DEGRADED_ERROR_RATE = 0.15;
/** Share of normal requests that hit a slow path (cache miss, GC pause): realistic tail latency. */
const TAIL_SHARE = 0.02;
const TAIL_FACTOR = 2.5;
const TWO_TO_THE_53 = 2n ** 53n;
const COUNTER64_MODULUS = 2n ** 64n;
const DAY_MS = 86_400_000;

interface ZoneRuntime {
  readonly plan: ZonePlan;
  power: PowerSource;
  since: number;
  inputLineBads: number;
  readonly charge: Map<string, Ramp>;
  readonly temperature: Map<string, Ramp>;
  readonly humidity: Map<string, Ramp>;
}

/**
 * A monotonic octet counter integrated over one-second cells since the estate started. Each cell's
 * byte count depends only on the cell's time, so the value at an instant does not depend on when
 * or how often it was read. The running total is cached: reads move forward in O(elapsed seconds).
 */
class OctetCounter {
  private cachedSeconds = 0;
  private cachedBytes = 0n;

  constructor(
    private readonly base: bigint,
    private readonly origin: number,
    private readonly bytesInSecond: (second: number) => number,
  ) {}

  valueAt(now: number): bigint {
    const elapsedMs = Math.max(0, now - this.origin);
    const whole = Math.floor(elapsedMs / 1000);
    if (whole < this.cachedSeconds) {
      // A clock that went back (tests may rewind): recompute from the start rather than go backwards.
      this.cachedSeconds = 0;
      this.cachedBytes = 0n;
    }
    let pending = 0;
    for (let s = this.cachedSeconds; s < whole; s++) {
      pending += this.bytesInSecond(s);
      // Flush before the float sum could lose integer precision (2^53).
      if (pending > 1e15) {
        this.cachedBytes += BigInt(pending);
        pending = 0;
      }
    }
    this.cachedBytes += BigInt(pending);
    this.cachedSeconds = whole;
    const partial = Math.floor((this.bytesInSecond(whole) * (elapsedMs - whole * 1000)) / 1000);
    return (this.base + this.cachedBytes + BigInt(partial)) % COUNTER64_MODULUS;
  }
}

/** The simulated estate's state and its readings. One instance per running estate. */
export class EstateSimulation {
  private readonly zones = new Map<string, ZoneRuntime>();
  private readonly zoneOfDevice = new Map<string, ZoneRuntime>();
  private readonly upsPlans = new Map<string, UpsPlan>();
  private readonly pduPlans = new Map<string, PduPlan>();
  private readonly sensorPlans = new Map<string, SensorPlan>();
  private readonly switchPlans = new Map<string, SwitchPlan>();
  private readonly servicePlans = new Map<
    string,
    { readonly plan: ServicePlan; readonly zone: ZoneRuntime }
  >();
  private readonly serviceRequests = new Map<string, number>();
  private readonly counters = new Map<string, OctetCounter>();
  private readonly seedKey: number;

  constructor(
    readonly plan: EstatePlan,
    /** Estate start, epoch ms: origin of the traffic counters. */
    readonly startedAt: number,
    seed: number,
  ) {
    this.seedKey = mix(0x5eed_0001, seed >>> 0);
    for (const zonePlan of plan.zones) {
      const zone: ZoneRuntime = {
        plan: zonePlan,
        power: 'mains',
        since: startedAt,
        inputLineBads: 0,
        charge: new Map(zonePlan.ups.map((u) => [u.id, steady(100, startedAt)])),
        temperature: new Map(zonePlan.sensors.map((s) => [s.id, steady(s.baselineCelsius, startedAt)])),
        humidity: new Map(zonePlan.sensors.map((s) => [s.id, steady(s.baselineHumidity, startedAt)])),
      };
      this.zones.set(zonePlan.id, zone);
      const register = <T extends { readonly id: string }>(
        items: readonly T[],
        into: Map<string, T>,
      ): void => {
        for (const item of items) {
          into.set(item.id, item);
          this.zoneOfDevice.set(item.id, zone);
        }
      };
      register(zonePlan.ups, this.upsPlans);
      register(zonePlan.pdus, this.pduPlans);
      register(zonePlan.sensors, this.sensorPlans);
      register(zonePlan.switches, this.switchPlans);
      for (const service of zonePlan.services) this.servicePlans.set(service.id, { plan: service, zone });
    }
  }

  /** Ids of the zones, in plan order. */
  zoneIds(): string[] {
    return [...this.zones.keys()];
  }

  /**
   * Switches a zone to `source` at time `at`. Every ramp restarts from the value it has at `at`.
   * Returns false (and changes nothing) when the zone already is on that source.
   */
  setZonePower(zoneId: string, source: PowerSource, at: number): boolean {
    const zone = this.zone(zoneId);
    if (zone.power === source) return false;
    for (const upsPlan of zone.plan.ups) {
      const current = rampValue(this.get(zone.charge, upsPlan.id), at);
      zone.charge.set(
        upsPlan.id,
        source === 'battery'
          ? { from: current, at, target: 0, perSecond: upsPlan.drainPercentPerSecond }
          : { from: current, at, target: 100, perSecond: upsPlan.rechargePercentPerSecond },
      );
    }
    for (const sensor of zone.plan.sensors) {
      const temperature = rampValue(this.get(zone.temperature, sensor.id), at);
      const humidity = rampValue(this.get(zone.humidity, sensor.id), at);
      if (source === 'battery') {
        zone.temperature.set(sensor.id, {
          from: temperature,
          at,
          target: sensor.ceilingCelsius,
          perSecond: HEATING_CELSIUS_PER_SECOND,
        });
        zone.humidity.set(sensor.id, {
          from: humidity,
          at,
          target: sensor.baselineHumidity - HUMIDITY_DROP_PERCENT,
          perSecond: HUMIDITY_DRIFT_PER_SECOND,
        });
      } else {
        zone.temperature.set(sensor.id, {
          from: temperature,
          at,
          target: sensor.baselineCelsius,
          perSecond: COOLING_CELSIUS_PER_SECOND,
        });
        zone.humidity.set(sensor.id, {
          from: humidity,
          at,
          target: sensor.baselineHumidity,
          perSecond: HUMIDITY_RECOVERY_PER_SECOND,
        });
      }
    }
    if (source === 'battery') zone.inputLineBads += 1;
    zone.power = source;
    zone.since = at;
    return true;
  }

  /** A zone's power source, since when, and whether it has gone dark. */
  zoneCondition(zoneId: string, now: number): ZoneCondition {
    const zone = this.zone(zoneId);
    return { power: zone.power, since: zone.since, dark: this.isDark(zone, now) };
  }

  ups(deviceId: string, now: number): UpsReading {
    const plan = this.get(this.upsPlans, deviceId);
    const zone = this.deviceZone(deviceId);
    const key = this.key(deviceId, 'ups');
    const charge = clamp(rampValue(this.get(zone.charge, deviceId), now), 0, 100);
    const onBattery = zone.power === 'battery';
    const depleted = charge <= 0;
    const outputOff = onBattery && depleted;
    const loadNoise = 1.5 * smoothNoise(key, now, 40_000);
    const loadPercent = outputOff
      ? 0
      : clamp(plan.nominalLoadPercent * (onBattery ? SHED_FACTOR : 1) + loadNoise, 0, 100);
    // RFC 1628 upsEstimatedMinutesRemaining. On mains: the unit's rated runtime at its load, as a
    // healthy double-conversion UPS reports it (well above the usual 15-minute warning). On
    // battery: what the drill's drain leaves, since drills compress time (the battery lasts
    // minutes), so the estimate drops when mains are lost, as a real unit's does once it measures
    // its discharge.
    const minutes = depleted
      ? 0
      : onBattery
        ? Math.floor(charge / plan.drainPercentPerSecond / 60)
        : Math.floor((charge / 100) * RATED_RUNTIME_MINUTES);
    const batteryStatus: UpsBatteryStatus = depleted ? 4 : charge < 25 ? 3 : 2;
    const outputSource: UpsOutputSource = outputOff ? 2 : onBattery ? 5 : 3;
    const outputWatts = Math.round((loadPercent / 100) * UPS_RATED_WATTS);
    const firstSensor = zone.plan.sensors[0];
    const roomExcess = firstSensor
      ? rampValue(this.get(zone.temperature, firstSensor.id), now) - firstSensor.baselineCelsius
      : 0;
    // upsAlarmsPresent counts the rows of upsAlarmTable: on battery, upsAlarmOnBattery and
    // upsAlarmInputBad; below a quarter of charge, upsAlarmLowBattery; empty, upsAlarmDepletedBattery
    // and, with the output lost, upsAlarmOutputOff (RFC 1628 well-known alarms).
    const alarms =
      (onBattery ? 2 : 0) + (batteryStatus !== 2 ? 1 : 0) + (depleted ? 1 : 0) + (outputOff ? 1 : 0);
    return {
      batteryStatus,
      // RFC 1628: zero when the unit is not on battery power.
      secondsOnBattery: onBattery ? Math.floor(Math.max(0, now - zone.since) / 1000) : 0,
      estimatedMinutesRemaining: minutes,
      estimatedChargeRemaining: Math.round(charge),
      batteryVoltageTenths: Math.round(
        onBattery ? 1900 + 3 * charge : 2430 + 2 * smoothNoise(key + 1, now, 60_000),
      ),
      batteryTemperature: Math.round(
        plan.batteryCelsius + 0.4 * roomExcess + 0.4 * smoothNoise(key + 2, now, 120_000),
      ),
      inputLineBads: zone.inputLineBads,
      inputFrequencyTenths: onBattery ? 0 : Math.round(500 + smoothNoise(key + 3, now, 15_000)),
      inputVoltage: onBattery ? 0 : Math.round(NOMINAL_VOLTS + 2.5 * smoothNoise(key + 4, now, 20_000)),
      outputSource,
      outputFrequencyTenths: outputOff ? 0 : 500,
      outputVoltage: outputOff ? 0 : NOMINAL_VOLTS,
      outputCurrentTenths: Math.round((outputWatts / NOMINAL_VOLTS) * 10),
      outputPowerWatts: outputWatts,
      outputPercentLoad: Math.round(loadPercent),
      alarmsPresent: alarms,
    };
  }

  pdu(deviceId: string, now: number): PduReading {
    const plan = this.get(this.pduPlans, deviceId);
    const zone = this.deviceZone(deviceId);
    const key = this.key(deviceId, 'pdu');
    let amps = 0;
    if (!this.isDark(zone, now)) {
      const shed = zone.power === 'battery' ? SHED_FACTOR : 1;
      // Fans spin up as the room warms: the remaining servers draw a little more.
      const excess = this.meanTemperatureExcess(zone, now);
      amps = Math.max(
        0,
        plan.nominalLoadAmps * shed * (1 + 0.04 * smoothNoise(key, now, 30_000)) +
          FAN_AMPS_PER_CELSIUS * excess,
      );
    }
    const loadState: PduLoadState =
      amps >= plan.overloadAmps ? 4 : amps >= plan.nearOverloadAmps ? 3 : amps < plan.lowLoadAmps ? 2 : 1;
    return {
      loadTenthsOfAmps: Math.round(amps * 10),
      loadState,
      lowLoadAmps: plan.lowLoadAmps,
      nearOverloadAmps: plan.nearOverloadAmps,
      overloadAmps: plan.overloadAmps,
    };
  }

  sensor(deviceId: string, now: number): SensorReading {
    this.get(this.sensorPlans, deviceId);
    const zone = this.deviceZone(deviceId);
    const key = this.key(deviceId, 'sensor');
    const temperature =
      rampValue(this.get(zone.temperature, deviceId), now) + 0.15 * smoothNoise(key, now, 45_000);
    const humidity = clamp(
      rampValue(this.get(zone.humidity, deviceId), now) + 0.4 * smoothNoise(key + 1, now, 60_000),
      0,
      100,
    );
    return { temperatureTenths: Math.round(temperature * 10), humidityTenths: Math.round(humidity * 10) };
  }

  /** ifHCInOctets / ifHCOutOctets of a switch port (RFC 2863), exact 64-bit. */
  octets(deviceId: string, ifIndex: number, direction: 'in' | 'out', now: number): bigint {
    const counterKey = `${deviceId}/${ifIndex}/${direction}`;
    let counter = this.counters.get(counterKey);
    if (!counter) {
      counter = this.createCounter(deviceId, ifIndex, direction);
      this.counters.set(counterKey, counter);
    }
    return counter.valueAt(now);
  }

  /**
   * The next health request of a service: how long it takes and whether it fails. Each call is
   * one request; draws come from (seed, service, request number), so a sequence of requests
   * replays identically.
   */
  serviceRequest(serviceId: string, now: number): ServiceOutcome {
    const { plan, zone } = this.get(this.servicePlans, serviceId);
    const sequence = this.serviceRequests.get(serviceId) ?? 0;
    this.serviceRequests.set(serviceId, sequence + 1);
    const key = this.key(serviceId, 'service');
    const draw = (slot: number): number => unit(key, sequence * 4 + slot);
    const typical = plan.baseLatencyMs * (1 + plan.jitter * (draw(0) * 2 - 1));
    const condition = this.zoneCondition(zone.plan.id, now);
    switch (condition.power) {
      case 'mains': {
        const latency = draw(2) < TAIL_SHARE ? typical * TAIL_FACTOR : typical;
        return {
          latencyMs: Math.max(1, Math.round(latency)),
          failing: draw(1) < plan.errorRate,
          status: 'ok',
        };
      }
      case 'battery':
        // No power left: the load balancer's probe gets a fast refusal from what still answers.
        if (condition.dark)
          return { latencyMs: Math.max(1, Math.round(typical)), failing: true, status: 'degraded' };
        return {
          latencyMs: Math.max(1, Math.round(typical * (5 + 5 * draw(3)))),
          failing: draw(1) < Math.max(plan.errorRate, DEGRADED_ERROR_RATE),
          status: 'degraded',
        };
      default:
        throw missingCase(condition.power);
    }
  }

  private createCounter(deviceId: string, ifIndex: number, direction: 'in' | 'out'): OctetCounter {
    const switchPlan = this.get(this.switchPlans, deviceId);
    const port: InterfacePlan | undefined = switchPlan.interfaces.find((i) => i.ifIndex === ifIndex);
    if (!port) throw new RangeError(`switch ${deviceId} has no ifIndex ${ifIndex}`);
    const key = this.key(deviceId, `if/${ifIndex}/${direction}`);
    // Counter64 has no defined initial value (RFC 2578 section 7.1.10): start every counter
    // between 2^53 and 1.5 x 2^53 so that any client decoding it through a float loses digits
    // visibly in tests instead of in production.
    const base = TWO_TO_THE_53 + BigInt(Math.floor(unit(key, 0) * 2 ** 40)) * 4096n;
    const meanBitsPerSecond =
      (direction === 'in' ? port.inBitsPerSecond : port.outBitsPerSecond) * switchPlan.trafficScale;
    const origin = this.startedAt;
    return new OctetCounter(base, origin, (second) => {
      if (meanBitsPerSecond === 0) return 0;
      const at = origin + second * 1000 + 500;
      // Daily cycle peaking mid-afternoon UTC, slow drift, and a little per-second burstiness.
      const dayPhase = (((at % DAY_MS) + DAY_MS) % DAY_MS) / DAY_MS;
      const daily = 1 + 0.25 * Math.sin(2 * Math.PI * (dayPhase - 8 / 24));
      const wobble = 1 + 0.06 * smoothNoise(key, at, 20_000) + 0.02 * (unit(key, second + 1) * 2 - 1);
      return Math.round((meanBitsPerSecond * daily * wobble) / 8);
    });
  }

  private meanTemperatureExcess(zone: ZoneRuntime, now: number): number {
    if (zone.plan.sensors.length === 0) return 0;
    let total = 0;
    for (const sensor of zone.plan.sensors)
      total += rampValue(this.get(zone.temperature, sensor.id), now) - sensor.baselineCelsius;
    return Math.max(0, total / zone.plan.sensors.length);
  }

  private isDark(zone: ZoneRuntime, now: number): boolean {
    if (zone.power !== 'battery' || zone.plan.ups.length === 0) return false;
    return zone.plan.ups.every((u) => rampValue(this.get(zone.charge, u.id), now) <= 0);
  }

  private zone(zoneId: string): ZoneRuntime {
    return this.get(this.zones, zoneId);
  }

  private deviceZone(deviceId: string): ZoneRuntime {
    return this.get(this.zoneOfDevice, deviceId);
  }

  private key(id: string, what: string): number {
    return mix(this.seedKey, hashString(`${id}/${what}`));
  }

  private get<V>(map: ReadonlyMap<string, V>, id: string): V {
    const value = map.get(id);
    // Only reachable through a bug in the estate itself (ids come from the plan).
    if (value === undefined) throw new RangeError(`training estate: unknown id "${id}"`);
    return value;
  }
}
