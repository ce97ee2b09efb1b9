/**
 * The composition root: wires adapters into services and exposes the handler map that both
 * transports (Electron IPC via the utility process, WebSocket via `vigie serve`) dispatch to.
 * With `estate: true` the inventory comes from the training estate started in-process; nothing
 * else in the engine knows the difference.
 */
import { join } from 'node:path';
import { VigieError, type EventName, type EventPayload, type Overview } from '../../shared/api';
import type { AlarmSignal } from '../../shared/domain/alarm';
import { decimateMinMax } from '../../shared/domain/decimate';
import { DuckDbMetricStore } from './adapters/duckdb/duckdb-metric-store';
import { DuckDbStateStore } from './adapters/duckdb/duckdb-state-store';
import { FetchHttpProbe } from './adapters/http/fetch-http-probe';
import { NetSnmpClient } from './adapters/snmp/net-snmp-client';
import { EnvFileSecretResolver } from './adapters/secrets/env-file-secret-resolver';
import type { Handlers } from './api/dispatch';
import { setUpAlarms, type AlarmsSetup } from './alarms-setup';
import { setUpDiagnostics, type DiagnosticsSetup } from './diagnostics-setup';
import type { Inventory, VigieConfig } from './config/schema';
import { startEstate, type Estate } from './estate';
import { trainingAlarms } from './estate/training-alarms';
import { systemClock, type Clock } from './ports/clock';
import type { Logger } from './ports/logger';
import type { SecretStore } from './ports/secret-store';
import type { MetricStore } from './ports/metric-store';
import { auditHandlers } from './services/audit/audit-handlers';
import { DashboardsService } from './services/dashboards/dashboards-service';
import { DurableWriteQueue } from './services/metrics/durable-write-queue';
import { MetricsService } from './services/metrics/metrics-service';
import { Collector } from './services/collector/collector';
import { EquipmentService, unknownProfiles } from './services/equipment/equipment-service';
import { equipmentDeviceView, equipmentInventoryView } from './services/equipment/equipment-views';
import { loadKnownProfiles } from './services/equipment/known-profiles';
import { setUpTraps } from './trap-setup';
import { setupSessions, type Sessions } from './session-setup';
import { setUpIdentity, type IdentitySetup } from './identity-setup';
import { adminHandlers } from './admin-setup';
import { findVaultReferences } from './services/secrets/secrets-service';
import { createScope, type Scope } from './api/scope';
import { scopedAlarmHandlers } from './api/scoped-alarm-handlers';
import { buildOverview, overviewSignature } from './services/overview/build-overview';
import { metricUnits, openInfluxStore, telegrafSources, warnUnmapped } from './telegraf-sources';

export interface EngineOptions {
  readonly config: VigieConfig;
  /** Base data folder; the training estate keeps its own store under `training/`. */
  readonly dataDir: string;
  readonly version: string;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Where secrets named in the configuration (passwordEnv, tokenEnv) are read; default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** The encrypted vault behind `vault:` references (openVault); none: they are refused. */
  readonly vault?: SecretStore;
}

export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/**
 * Where the sources of later issues (status-page incidents, SLA burn rate) raise and clear
 * alarms: origin `external`, keys of their own (`statuspage:...`, `sla:...`).
 */
export interface ExternalAlarmSources {
  raise(signal: Omit<AlarmSignal, 'origin'>): void;
  clear(key: string, at: number): void;
}

export interface Engine {
  readonly handlers: Handlers;
  /** Who is behind each request, for the transports (dispatch), and the command line's key. */
  readonly sessions: Pick<Sessions, 'authenticate' | 'allowMachineKey'>;
  /** What each principal may receive of the engine's events (transports filter per seat). */
  readonly scope: Scope;
  readonly alarmSources: ExternalAlarmSources;
  readonly training: boolean;
  readonly version: string;
  overview(): Overview;
  onEvent(listener: EventListener): () => void;
  stop(): Promise<void>;
}

/** How often staleness is re-judged when nothing is polled (a silent source must still go grey). */
const STALENESS_TICK_MS = 1000;

/** The training estate keeps its own data apart from production data. */
export function dataRoot(config: VigieConfig, dataDir: string): string {
  return config.estate ? join(dataDir, 'training') : dataDir;
}

export function storePath(config: VigieConfig, dataDir: string): string {
  return join(dataRoot(config, dataDir), 'state.duckdb');
}

/** The configured metric store: InfluxDB when configured, else the embedded DuckDB file. */
async function openMetricStore(
  config: VigieConfig,
  dataDir: string,
  env: NodeJS.ProcessEnv,
): Promise<{ store: MetricStore; kind: 'embedded' | 'influxdb'; name: string }> {
  const influx = config.metrics.influxdb;
  if (config.metrics.store === 'influxdb' && influx) {
    const store = await openInfluxStore(influx, env, 'metrics.influxdb');
    return { store, kind: 'influxdb', name: `InfluxDB ${influx.database}` };
  }
  const store = await DuckDbMetricStore.open(join(dataRoot(config, dataDir), 'metrics.duckdb'));
  return { store, kind: 'embedded', name: 'Embedded store' };
}

export async function startEngine(options: EngineOptions): Promise<Engine> {
  const { config, logger, version } = options;
  const clock = options.clock ?? systemClock;
  const training = config.estate;
  let estate: Estate | null = null;
  let inventory: Inventory = config.inventory;
  if (training) {
    // The estate keeps its SSH keys in the training data folder: host keys outlive a restart, as
    // the pins of the engine do.
    estate = await startEstate({ clock, dataDir: dataRoot(config, options.dataDir) });
    inventory = estate.inventory;
    logger.info(
      {
        zones: inventory.zones.length,
        devices: inventory.devices.length,
        services: inventory.services.length,
      },
      'training estate started',
    );
  }
  const store = await DuckDbStateStore.open(storePath(config, options.dataDir), { logger }).catch(
    async (err: unknown) => {
      await estate?.stop();
      throw err;
    },
  );
  let metrics: MetricsService;
  try {
    const opened = await openMetricStore(config, options.dataDir, options.env ?? process.env);
    const queue = await DurableWriteQueue.open({
      dir: join(dataRoot(config, options.dataDir), 'metrics-queue'),
      store: opened.store,
      clock,
      logger: logger.child({ module: 'metrics-queue' }),
      maxPoints: config.metrics.queueMaxPoints,
      source: 'main',
    });
    // Telegraf's own InfluxDB, when it has one, is a second source (read-only).
    const telegraf = await telegrafSources(config.metrics.telegraf, options.env ?? process.env);
    metrics = new MetricsService({
      sources: [
        { id: 'main', name: opened.name, kind: opened.kind, store: opened.store, queue },
        ...telegraf,
      ],
      clock,
      logger: logger.child({ module: 'metrics' }),
      unitOf: metricUnits(config.metrics.telegraf),
    });
  } catch (err: unknown) {
    await store.close();
    await estate?.stop();
    throw err;
  }
  const snmp = new NetSnmpClient({ maxSockets: config.equipment.maxSockets });
  const secrets = new EnvFileSecretResolver(process.env, Date.now, options.vault ?? null);
  let equipment: EquipmentService;
  try {
    const profiles = await loadKnownProfiles(config.equipment.profiles);
    const unknown = inventory.devices.flatMap((d) =>
      unknownProfiles(d, profiles).map((id) => `${d.id}: "${id}"`),
    );
    if (unknown.length > 0)
      throw new VigieError(
        'VALIDATION',
        `unknown MIB profiles (${unknown.join(', ')}); known: ${[...profiles.keys()].join(', ')}`,
      );
    equipment = new EquipmentService({
      snmp,
      secrets,
      clock,
      profiles,
      timeoutMs: config.polling.timeoutMs,
      metrics: { enqueue: (points) => metrics.write(points) },
    });
  } catch (err: unknown) {
    await metrics.stop();
    await store.close();
    await estate?.stop();
    throw err;
  }
  let diagnostics: DiagnosticsSetup;
  try {
    diagnostics = setUpDiagnostics({
      inventory,
      store,
      secrets,
      clock,
      logger,
      metrics: { enqueue: (points) => metrics.write(points) },
    });
  } catch (err: unknown) {
    await metrics.stop();
    await snmp.close();
    await store.close();
    await estate?.stop();
    throw err;
  }
  let alarms: AlarmsSetup;
  try {
    // The estate comes with its own on-call organisation unless the configuration gives one.
    const alarmsConfig =
      training && config.alarms.people.length === 0 && config.alarms.policies.length === 0
        ? trainingAlarms(config.alarms)
        : config.alarms;
    alarms = await setUpAlarms({
      config: alarmsConfig,
      inventory,
      dataRoot: dataRoot(config, options.dataDir),
      audit: store,
      secrets,
      clock,
      logger,
      locale: config.ui.locale,
      timeZone: config.ui.timeZone,
      userProfiles: new Set(config.equipment.profiles.map((p) => p.id)),
    });
  } catch (err: unknown) {
    diagnostics.close();
    await metrics.stop();
    await snmp.close();
    await store.close();
    await estate?.stop();
    throw err;
  }
  let identity: IdentitySetup;
  try {
    identity = await setUpIdentity({
      access: config.access,
      oidc: config.access.oidc,
      dataRoot: dataRoot(config, options.dataDir),
      audit: store,
      clock,
      logger: logger.child({ module: 'identity' }),
      training,
      resolveSecret: (ref) => secrets.resolve(ref),
    });
  } catch (err: unknown) {
    diagnostics.close();
    await alarms.close();
    await metrics.stop();
    await snmp.close();
    await store.close();
    await estate?.stop();
    throw err;
  }
  const collector = new Collector({
    inventory,
    polling: config.polling,
    snmp,
    secrets,
    equipment,
    http: new FetchHttpProbe(),
    store,
    clock,
    logger: logger.child({ module: 'collector' }),
    metrics: { enqueue: (points) => metrics.write(points) },
  });

  const listeners = new Set<EventListener>();
  const emit: EventListener = (event, payload) => {
    for (const l of listeners) {
      try {
        l(event, payload);
      } catch (err: unknown) {
        logger.error({ err, event }, 'event listener failed');
      }
    }
  };

  let revision = 0;
  let current = buildOverview({
    inventory,
    states: collector.snapshot(),
    now: clock.now(),
    polling: config.polling,
    training,
    revision,
  });
  let signature = overviewSignature(current);
  const refresh = (): void => {
    const next = buildOverview({
      inventory,
      states: collector.snapshot(),
      now: clock.now(),
      polling: config.polling,
      training,
      revision: revision + 1,
    });
    const nextSignature = overviewSignature(next);
    if (nextSignature === signature) return;
    revision += 1;
    current = next;
    signature = nextSignature;
    emit('overview.changed', current);
    alarms.tiles(current.tiles, current.generatedAt);
  };
  warnUnmapped(config.metrics.telegraf, inventory, logger);
  const dashboards = new DashboardsService(inventory, store, store, clock, config.metrics.telegraf);
  dashboards.onChange((list) => emit('dashboards.changed', { dashboards: list }));
  collector.onChange(refresh);
  metrics.onChange((payload) => {
    emit('metrics.sourcesChanged', payload);
    alarms.metricSources(payload.sources, clock.now());
  });
  equipment.onEvent((event) => alarms.equipment(event));
  equipment.onResults((device, results, at) => alarms.profileResults(device, results, at));
  alarms.service.onChange((change) => emit('alarms.changed', change));
  alarms.service.onNotified((n) => emit('alarms.notified', n));
  alarms.onMaintenanceChanged((list) => emit('maintenance.changed', list));
  alarms.onHandoverChanged((handover) => emit('handover.changed', handover));
  let stopTick: (() => void) | null = null;
  const tick = (): void => {
    refresh();
    stopTick = clock.setTimeout(tick, STALENESS_TICK_MS);
  };

  const scenarioState = () => ({
    available: estate !== null,
    active: estate?.activeScenario ?? null,
    scenarios: estate?.listScenarios() ?? [],
  });

  const clientOfService = new Map(inventory.services.map((svc) => [svc.id, svc.client ?? null]));
  const scope = createScope(
    (id) => clientOfService.get(id) ?? null,
    () => alarms.service.snapshot(),
  );
  const sessions = setupSessions({
    identity: identity.port,
    oidc: identity.oidc,
    access: config.access,
    audit: store,
    clock,
  });
  const handlers: Handlers = {
    'app.info': () =>
      Promise.resolve({
        name: 'Vigie' as const,
        version,
        training,
        locale: config.ui.locale,
        timeZone: config.ui.timeZone,
      }),
    'overview.get': (_req, ctx) => Promise.resolve(scope.overview(current, ctx.principal)),
    'tiles.history': async (req, ctx) => {
      const tile = scope.overview(current, ctx.principal).tiles.find((t) => t.id === req.tileId);
      if (!tile) throw new VigieError('NOT_FOUND', `no tile "${req.tileId}"`);
      if (req.to < req.from) throw new VigieError('VALIDATION', '"to" is before "from"');
      const unit = tile.readings.find((r) => r.key === req.reading)?.unit;
      if (!unit) throw new VigieError('NOT_FOUND', `tile "${req.tileId}" has no reading "${req.reading}"`);
      const raw = await store.history(req.tileId, req.reading, req.from, req.to);
      const reduced = decimateMinMax(raw, req.from, req.to, Math.max(1, Math.floor(req.maxPoints / 4)));
      return { name: `${req.tileId}.${req.reading}`, unit, times: reduced.times, values: reduced.values };
    },
    'estate.scenarios': () => Promise.resolve(scenarioState()),
    'estate.runScenario': async (req, ctx) => {
      if (!estate) throw new VigieError('CONFLICT', 'drills run only on the training estate');
      const known = estate.listScenarios().map((s) => s.id);
      if (!known.includes(req.id))
        throw new VigieError('NOT_FOUND', `no scenario "${req.id}"; scenarios: ${known.join(', ')}`);
      // Recorded before it takes effect.
      await store.append({
        at: clock.now(),
        actor: ctx.actor,
        role: ctx.role,
        action: 'estate.runScenario',
        target: req.id,
        details: {},
      });
      estate.runScenario(req.id);
      logger.info({ scenario: req.id, actor: ctx.actor }, 'scenario started');
      const state = scenarioState();
      emit('estate.scenarioChanged', state);
      return state;
    },
    'metrics.sources': () => Promise.resolve(metrics.sources()),
    'metrics.catalog': (req) => metrics.catalog(req.source, req.measurement),
    'metrics.tagValues': (req) => metrics.tagValues(req.source, req.measurement, req.key),
    'metrics.query': (req) => metrics.query(req),
    'dashboards.list': async () => ({ dashboards: await dashboards.list() }),
    'dashboards.get': (req) => dashboards.get(req.id),
    'dashboards.save': (req, ctx) =>
      dashboards.save(req.dashboard, req.baseRevision, { seat: ctx.actor, role: ctx.role }),
    'dashboards.delete': async (req, ctx) => {
      await dashboards.delete(req.id, { seat: ctx.actor, role: ctx.role });
      return { id: req.id };
    },
    'dashboards.import': (req) => Promise.resolve(dashboards.importJson(req.json)),
    'dashboards.export': (req) => dashboards.exportJson(req.id),
    ...sessions.handlers,
    'traps.list': async (req) => {
      if (!traps)
        return {
          events: [],
          listening: null,
          notListening: 'the trap receiver is disabled (traps.enabled: false)',
        };
      const now = clock.now();
      const from = req.from ?? now - 30 * 86_400_000;
      const to = req.to ?? now;
      // The caller's mistake (a `to` before the default `from` included), not the engine's.
      if (from > to)
        throw new VigieError('VALIDATION', '"from" must not be after "to"', {
          issues: [{ path: req.to === undefined ? 'from' : 'to', message: '"from" must not be after "to"' }],
        });
      const events = await traps.service.query(
        {
          ...(req.deviceId === undefined ? {} : { deviceId: req.deviceId }),
          from,
          to,
          limit: req.limit,
        },
        new AbortController().signal,
      );
      return { events, listening: traps.service.stats().listening, notListening: traps.notListening };
    },
    'equipment.inventory': () => Promise.resolve(equipmentInventoryView(inventory, equipment)),
    'equipment.device': (req) =>
      Promise.resolve().then(() => equipmentDeviceView(inventory, equipment, req.id)),
    ...diagnostics.handlers,
    'diagnostics.confirmHostKey': async (req, ctx) => {
      const state = await diagnostics.handlers['diagnostics.confirmHostKey'](req, ctx);
      if (state.state === 'pinned') alarms.hostKeyConfirmed(req.deviceId, clock.now());
      return state;
    },
    ...scopedAlarmHandlers(alarms.handlers, alarms.service, scope),
    ...auditHandlers({ trail: store, clock }),
    ...adminHandlers({
      identity: identity.service,
      vault: options.vault ?? null,
      audit: store,
      clock,
      references: () => findVaultReferences({ ...config, inventory }),
    }),
  };
  diagnostics.onHostKeyChanged((event) => {
    emit('diagnostics.hostKeyChanged', event);
    alarms.hostKeyChanged(event.deviceId, event.presented.fingerprint, event.at);
  });

  metrics.start();
  await collector.start();
  tick();
  // Notifications: the receiver's failure to bind is shown (traps.list), not fatal.
  const traps = await setUpTraps({
    config,
    inventory,
    estate,
    dataRoot: dataRoot(config, options.dataDir),
    clock,
    logger,
    secrets,
  }).catch(async (err: unknown) => {
    stopTick?.();
    diagnostics.close();
    await alarms.close();
    await identity.close();
    await collector.stop();
    await metrics.stop();
    await snmp.close();
    await store.close();
    await estate?.stop();
    throw err;
  });
  traps?.service.subscribe((event) => {
    emit('traps.received', event);
    alarms.trap(event);
  });
  alarms.tiles(current.tiles, current.generatedAt);

  return {
    handlers,
    sessions,
    scope,
    alarmSources: {
      raise: (signal) => alarms.service.raise({ ...signal, origin: 'external' }),
      clear: (key, at) => alarms.service.clear(key, at),
    },
    training,
    version,
    overview: () => current,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      stopTick?.();
      diagnostics.close();
      await traps?.close();
      await collector.stop();
      await alarms.close();
      await identity.close();
      await metrics.stop();
      await snmp.close();
      await store.close();
      await estate?.stop();
      listeners.clear();
    },
  };
}
