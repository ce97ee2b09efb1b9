/**
 * The training estate: a simulated datacenter on loopback that speaks the real protocols (SNMP
 * v2c through in-process net-snmp agents, HTTP health endpoints through node:http, SSH exec on
 * the core switches through ssh2), so that the engine polls it exactly as it polls real equipment
 * (DESIGN.md section 5).
 *
 * Nothing here imports 'electron'; everything runs under plain Node and on an injected Clock.
 */
import { join } from 'node:path';
import { missingCase } from '../../../shared/domain/missing-case';
import type { Inventory } from '../config/schema';
import type { DeviceDef } from '../inventory/schema';
import type { Clock } from '../ports/clock';
import { buildDeviceMib } from './device-mibs';
import { EstateError } from './estate-error';
import { listDevices, TRAINING_ESTATE, type EstateDevice, type EstatePlan } from './estate-definition';
import { startHealthServer } from './health-server';
import { estateLayout } from './layout';
import { EstateTrapSenders, type TrapTarget } from './trap-senders';
import { SCENARIOS, type ScenarioDefinition } from './scenarios';
import { EstateSimulation } from './simulation';
import { startSnmpAgent } from './snmp-agent';
import {
  startSshServers,
  type EstateSshCommand,
  type EstateSshHostKey,
  type RunningSshServers,
} from './ssh-server';

export { EstateError, type EstateErrorCode } from './estate-error';
export type { EstateSshCommand, EstateSshHostKey } from './ssh-server';

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
   * Where the estate keeps what must outlive a restart: the SSH host keys of its devices and the
   * client key pair it hands the engine (in `estate-ssh/`, folder 0700, files 0600). Host keys
   * are kept because the engine keeps its pins: a new key at every start would be a changed-key
   * alarm at every start. Without it the estate speaks no SSH (no `ssh` in the inventory).
   */
  readonly dataDir?: string;
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

/** A device of the estate that answers SSH, where, and with which host key. */
export interface EstateSshDeviceInfo {
  readonly deviceId: string;
  readonly port: number;
  readonly hostKey: EstateSshHostKey;
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
  /** The devices that answer SSH (none when the estate was started without `dataDir`). */
  sshDevices(): EstateSshDeviceInfo[];
  /**
   * Gives a device a new SSH host key, effective for the next connection and kept across
   * restarts: the engine then refuses the device (HOST_KEY_CHANGED) until an operator confirms.
   * @throws EstateError `UNKNOWN_DEVICE` when the device does not answer SSH, `STOPPED`.
   */
  rotateSshHostKey(deviceId: string): Promise<EstateSshHostKey>;
  /** The latest exec requests the devices received (what reached them, refusals included). */
  sshCommands(): readonly EstateSshCommand[];
  /** Closes every SNMP agent socket, HTTP and SSH server; safe to call more than once. */
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
  const sshIds = new Set(plan.zones.flatMap((z) => z.switches.filter((s) => s.ssh).map((s) => s.id)));
  for (const scenario of SCENARIOS) {
    if (scenario.effect.kind === 'power') {
      for (const zoneId of Object.keys(scenario.effect.zones))
        if (!zoneIds.has(zoneId))
          throw new EstateError('START_FAILED', `scenario ${scenario.id} names unknown zone "${zoneId}"`);
    } else if (scenario.effect.kind === 'sshHostKey') {
      for (const deviceId of scenario.effect.devices)
        if (!sshIds.has(deviceId))
          throw new EstateError(
            'START_FAILED',
            `scenario ${scenario.id} names "${deviceId}", which does not speak SSH`,
          );
    }
  }
}

async function closeAll(closers: readonly (() => Promise<void>)[]): Promise<unknown[]> {
  const results = await Promise.allSettled(closers.map((close) => close()));
  return results.flatMap((r): unknown[] => (r.status === 'rejected' ? [r.reason as unknown] : []));
}

/** SSH settings of a device's inventory entry, when it answers SSH. */
function sshEntry(device: EstateDevice, ssh: RunningSshServers | null): Pick<DeviceDef, 'ssh'> {
  if (ssh === null || device.kind !== 'switch' || device.plan.ssh === undefined) return {};
  return {
    ssh: {
      port: ssh.port(device.plan.id),
      user: ssh.user,
      keySecret: `file:${ssh.clientKeyFile}`,
      templates: [...device.plan.ssh.templates],
    },
  };
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

  let ssh: RunningSshServers | null = null;
  try {
    if (options.dataDir !== undefined) {
      const running = await startSshServers({
        host,
        clock,
        onError,
        keyDir: join(options.dataDir, 'estate-ssh'),
        devices: devices.flatMap((d) =>
          d.kind === 'switch' && d.plan.ssh
            ? [
                {
                  id: d.plan.id,
                  plan: d.plan,
                  hostname: d.plan.id,
                  zoneId: d.zone.id,
                  bootedAt: clock.now(),
                  zoneCondition: (now: number) => simulation.zoneCondition(d.zone.id, now),
                  octets: (ifIndex: number, direction: 'in' | 'out', now: number) =>
                    simulation.octets(d.plan.id, ifIndex, direction, now),
                },
              ]
            : [],
        ),
      });
      closers.push(() => running.close());
      ssh = running;
    }
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
        ...sshEntry(device, ssh),
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
          ...(service.client === null ? {} : { client: service.client }),
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
  // Drills on SSH host keys need the estate's SSH.
  const scenarios = SCENARIOS.filter(
    (s: ScenarioDefinition) => s.effect.kind !== 'sshHostKey' || ssh !== null,
  );
  const rotate = (deviceId: string): Promise<EstateSshHostKey> => {
    if (stopping) return Promise.reject(new EstateError('STOPPED', 'the training estate is stopped'));
    if (ssh === null)
      return Promise.reject(
        new EstateError(
          'UNKNOWN_DEVICE',
          'the training estate speaks no SSH (started without a data folder)',
        ),
      );
    return ssh.rotateHostKey(deviceId);
  };

  return {
    inventory,
    listScenarios: () => scenarios.map((s) => ({ id: s.id, descriptionKey: s.descriptionKey })),
    get activeScenario() {
      return active;
    },
    runScenario(id: string): void {
      if (stopping) throw new EstateError('STOPPED', 'the training estate is stopped');
      const scenario = scenarios.find((s) => s.id === id);
      if (!scenario)
        throw new EstateError(
          'UNKNOWN_SCENARIO',
          `unknown scenario "${id}"; valid ids: ${scenarios.map((s) => s.id).join(', ')}`,
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
        case 'sshHostKey':
          // Running it again while it is the active drill changes nothing, as for the others.
          if (active?.id === id) break;
          for (const deviceId of effect.devices)
            // Kept and presented before rotate() returns; a failure (disk full) is reported.
            rotate(deviceId).catch((err: unknown) =>
              onError(
                new Error(`training estate: the host key of ${deviceId} could not be changed`, {
                  cause: err,
                }),
              ),
            );
          break;
        default:
          throw missingCase(effect);
      }
      if (active?.id !== id) active = { id, since: now };
    },
    sshDevices: () =>
      ssh === null
        ? []
        : inventory.devices.flatMap((d) =>
            d.ssh && ssh ? [{ deviceId: d.id, port: d.ssh.port, hostKey: ssh.hostKey(d.id) }] : [],
          ),
    rotateSshHostKey: rotate,
    sshCommands: () => ssh?.commands() ?? [],
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
