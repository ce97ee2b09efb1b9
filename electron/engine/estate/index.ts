/**
 * The training estate: a simulated datacenter on loopback that speaks the real protocols (SNMP
 * v2c through in-process net-snmp agents, HTTP health endpoints through node:http), so that the
 * engine polls it exactly as it polls real equipment (DESIGN.md section 5).
 *
 * Nothing here imports 'electron'; everything runs under plain Node and on an injected Clock.
 */
import { missingCase } from '../../../shared/domain/missing-case';
import type { Inventory } from '../config/schema';
import type { Clock } from '../ports/clock';
import { buildDeviceMib } from './device-mibs';
import { EstateError } from './estate-error';
import { listDevices, TRAINING_ESTATE, type EstateDevice, type EstatePlan } from './estate-definition';
import { startHealthServer } from './health-server';
import { estateLayout } from './layout';
import { EstateTrapSenders, type TrapTarget } from './trap-senders';
import { SCENARIOS } from './scenarios';
import { EstateSimulation } from './simulation';
import { startSnmpAgent } from './snmp-agent';

export { EstateError, type EstateErrorCode } from './estate-error';

/** Options of {@link startEstate}. */
export interface EstateOptions {
  /** Drives every simulated value and every simulated delay; a fake clock makes the estate deterministic. */
  readonly clock: Clock;
  /** Address the agents and servers bind to; default 127.0.0.1. Keep it on loopback. */
  readonly host?: string;
  /** SNMP v2c community the agents accept; default `training`. */
  readonly community?: string;
  /** Seed of the simulated noise; the same seed and clock give the same readings. */
  readonly seed?: number;
  /**
   * Problems met while serving (an SNMP packet with another community, a malformed request, a
   * failure while closing after a failed start). Default: ignored, as a real agent stays silent.
   */
  readonly onError?: (error: Error) => void;
}

/** A drill that can be run on the estate. */
export interface ScenarioInfo {
  readonly id: string;
  /** i18n key of the scenario's description, e.g. `scenario.zone-a-power-failure.description`. */
  readonly descriptionKey: string;
}

/** The last scenario run and when (clock time, epoch ms). */
export interface ActiveScenario {
  readonly id: string;
  readonly since: number;
}

/** A running training estate. */
export interface Estate {
  /** Zones, devices (with their loopback SNMP ports) and services (with their health URLs). */
  readonly inventory: Inventory;
  /** The scenario table, in display order. */
  listScenarios(): ScenarioInfo[];
  /**
   * The last scenario run and since when; null until one is run. `restore` is itself a scenario:
   * after it the estate is recovering (batteries recharging, rooms cooling) and then normal.
   */
  readonly activeScenario: ActiveScenario | null;
  /**
   * From now on, devices send SNMPv2c notifications to `target` (a UPS going on battery and back,
   * ...), each from its own loopback port. Resolves with the `address:port` each device sends
   * from, by device id, for the receiver to attach notifications to devices.
   */
  sendTrapsTo(target: TrapTarget): Promise<ReadonlyMap<string, string>>;
  /**
   * Runs a scenario now (clock time). Running the active scenario again changes nothing.
   * @throws EstateError `UNKNOWN_SCENARIO` (message lists the valid ids), `STOPPED` after stop().
   */
  runScenario(id: string): void;
  /** Closes every SNMP agent socket and HTTP server; safe to call more than once. */
  stop(): Promise<void>;
}

/** Default seed: estates are reproducible unless asked otherwise. */
const DEFAULT_SEED = 20_240_601;
const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_COMMUNITY = 'training';

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function checkScenarioTable(plan: EstatePlan): void {
  const zoneIds = new Set(plan.zones.map((z) => z.id));
  for (const scenario of SCENARIOS) {
    if (scenario.effect.kind !== 'power') continue;
    for (const zoneId of Object.keys(scenario.effect.zones))
      if (!zoneIds.has(zoneId))
        throw new EstateError('START_FAILED', `scenario ${scenario.id} names unknown zone "${zoneId}"`);
  }
}

async function closeAll(closers: readonly (() => Promise<void>)[]): Promise<unknown[]> {
  const results = await Promise.allSettled(closers.map((close) => close()));
  return results.flatMap((r): unknown[] => (r.status === 'rejected' ? [r.reason as unknown] : []));
}

function deviceEntry(
  device: EstateDevice,
  host: string,
  port: number,
  community: string,
): Inventory['devices'][number] {
  const base = {
    id: device.plan.id,
    zone: device.zone.id,
    name: device.plan.name,
    address: host,
    snmp: { port, version: '2c' as const, community },
  };
  switch (device.kind) {
    case 'sensor':
      return {
        ...base,
        kind: 'sensor',
        sensors: { temperatureIndex: device.plan.temperatureIndex, humidityIndex: device.plan.humidityIndex },
      };
    case 'switch':
      return { ...base, kind: 'switch', uplinkIfIndex: device.plan.uplinkIfIndex };
    case 'ups':
    case 'pdu':
      return { ...base, kind: device.kind };
    default:
      throw missingCase(device);
  }
}

/**
 * Starts the training estate: one SNMP agent per device and one health server per zone, each on
 * its own free port of `host`. Rejects with an EstateError (and leaves nothing open) when a port
 * cannot be bound.
 */
export async function startEstate(options: EstateOptions): Promise<Estate> {
  const { clock } = options;
  const host = options.host ?? DEFAULT_HOST;
  const community = options.community ?? DEFAULT_COMMUNITY;
  const onError = options.onError ?? ((): void => undefined);
  if (host.trim() === '') throw new EstateError('INVALID_OPTIONS', 'host must not be empty');
  if (community.length === 0 || community.length > 64)
    throw new EstateError('INVALID_OPTIONS', 'community must have 1 to 64 characters');

  const plan = TRAINING_ESTATE;
  checkScenarioTable(plan);
  const simulation = new EstateSimulation(plan, clock.now(), options.seed ?? DEFAULT_SEED);
  const closers: (() => Promise<void>)[] = [];
  const devices = listDevices(plan);
  const layout = estateLayout(plan, devices);
  const inventory: Inventory = {
    zones: plan.zones.map((z) => ({ id: z.id, name: z.name, kind: z.kind })),
    rooms: layout.rooms,
    racks: layout.racks,
    devices: [],
    services: [],
  };

  try {
    for (const device of devices) {
      const agent = await startSnmpAgent({
        host,
        community,
        clock,
        onError,
        mib: buildDeviceMib(device, simulation, clock.now()),
      });
      closers.push(() => agent.close());
      inventory.devices.push({
        ...deviceEntry(device, host, agent.port, community),
        ...layout.places.get(device.plan.id),
      });
    }
    for (const zone of plan.zones) {
      if (zone.services.length === 0) continue;
      const server = await startHealthServer({
        host,
        clock,
        onError,
        zoneId: zone.id,
        serviceIds: zone.services.map((s) => s.id),
        respond: (serviceId, now) => simulation.serviceRequest(serviceId, now),
      });
      closers.push(() => server.close());
      for (const service of zone.services)
        inventory.services.push({
          id: service.id,
          zone: zone.id,
          name: service.name,
          url: `http://${urlHost(host)}:${server.port}/${service.id}/health`,
          degradedLatencyMs: service.degradedLatencyMs,
        });
    }
  } catch (err: unknown) {
    for (const failure of await closeAll(closers))
      onError(new Error('training estate: cleanup after a failed start', { cause: failure }));
    if (err instanceof EstateError) throw err;
    throw new EstateError('START_FAILED', 'the training estate could not start', { cause: err });
  }

  let active: ActiveScenario | null = null;
  let stopping: Promise<void> | undefined;
  let traps: EstateTrapSenders | null = null;
  const startedAt = clock.now();
  const upsByZone = new Map(plan.zones.map((z) => [z.id, z.ups.map((u) => u.id)]));

  return {
    inventory,
    listScenarios: () => SCENARIOS.map((s) => ({ id: s.id, descriptionKey: s.descriptionKey })),
    get activeScenario() {
      return active;
    },
    runScenario(id: string): void {
      if (stopping) throw new EstateError('STOPPED', 'the training estate is stopped');
      const scenario = SCENARIOS.find((s) => s.id === id);
      if (!scenario)
        throw new EstateError(
          'UNKNOWN_SCENARIO',
          `unknown scenario "${id}"; valid ids: ${SCENARIOS.map((s) => s.id).join(', ')}`,
        );
      const now = clock.now();
      const effect = scenario.effect;
      const ticks = Math.floor((now - startedAt) / 10);
      switch (effect.kind) {
        case 'power':
          for (const [zoneId, source] of Object.entries(effect.zones)) {
            const changed = simulation.setZonePower(zoneId, source, now);
            if (changed && source === 'battery')
              for (const id of upsByZone.get(zoneId) ?? [])
                traps?.upsOnBattery(id, simulation.ups(id, now).estimatedMinutesRemaining, ticks);
          }
          break;
        case 'restore':
          for (const zoneId of simulation.zoneIds()) {
            simulation.setZonePower(zoneId, 'mains', now);
            for (const id of upsByZone.get(zoneId) ?? []) traps?.upsOnMains(id, ticks);
          }
          break;
        default:
          throw missingCase(effect);
      }
      if (active?.id !== id) active = { id, since: now };
    },
    async sendTrapsTo(target: TrapTarget): Promise<ReadonlyMap<string, string>> {
      if (stopping) throw new EstateError('STOPPED', 'the training estate is stopped');
      await traps?.close();
      traps = await EstateTrapSenders.open(
        inventory.devices.map((d) => d.id),
        host,
        target,
        (err) => onError(new Error('training estate: a notification could not be sent', { cause: err })),
      );
      const sources = traps.sources();
      closers.push(() => traps?.close() ?? Promise.resolve());
      return sources;
    },
    stop(): Promise<void> {
      stopping ??= closeAll(closers).then((failures) => {
        if (failures.length > 0)
          throw new EstateError('STOP_FAILED', `${failures.length} estate socket(s) did not close cleanly`, {
            cause: new AggregateError(failures),
          });
      });
      return stopping;
    },
  };
}
