/**
 * Wires the alarm engine (issue 5): its DuckDB store, escalation with the outbox sender (SMTP,
 * webhooks), the sources (tiles, threshold rules, traps, equipment events, host keys, metric
 * sources) and the `alarms.*`, `maintenance.*` and `handover.*` handlers.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VigieError, type MaintenanceEntry, type MetricSource, type Tile } from '../../shared/api';
import type { Handover } from '../../shared/api/alarms';
import type { AlarmSubject } from '../../shared/domain/alarm';
import {
  activeOccurrence,
  occurrences,
  type MaintenanceSubject,
  type MaintenanceWindow,
} from '../../shared/domain/maintenance-window';
import { onCallAt } from '../../shared/domain/on-call';
import { trapEventKey, trapKeyOwner, type TrapEvent } from '../../shared/domain/trap-event';
import { DuckDbAlarmStore } from './adapters/duckdb/duckdb-alarm-store';
import { SmtpEmailSender } from './adapters/smtp/smtp-email-sender';
import { FetchWebhookSender } from './adapters/webhook/fetch-webhook-sender';
import type { CallContext, Handlers } from './api/dispatch';
import { alarmsConfigIssues, type AlarmsConfig } from './config/alarms-schema';
import type { EmailChannelConfig } from './config/notifications-schema';
import type { Inventory } from './inventory/schema';
import type { AuditLog } from './ports/audit-log';
import type { Clock } from './ports/clock';
import type { Logger } from './ports/logger';
import type { EmailMessage, EmailSender, WebhookSender } from './ports/notification-channels';
import type { SecretResolver } from './ports/secret-resolver';
import { AlarmService, type AlarmActor } from './services/alarms/alarm-service';
import {
  ThresholdEvaluator,
  tileSignals,
  trapSignals,
  TILE_PREFIX,
  THRESHOLD_PREFIX,
  TRAP_PREFIX,
} from './services/alarms/alarm-sources';
import { Escalation } from './services/alarms/escalation';
import { notificationText } from './services/alarms/notification-text';
import { OutboxSender } from './services/alarms/outbox-sender';
import type { EquipmentEvent } from './services/equipment/equipment-service';
import type { ProfileResult } from './services/equipment/profiles/evaluate-profile';

export type AlarmsChannel = Extract<
  keyof Handlers,
  `alarms.${string}` | `handover.${string}` | `maintenance.${string}`
>;

export interface AlarmsSetup {
  readonly service: AlarmService;
  readonly handlers: Pick<Handlers, AlarmsChannel>;
  /** The tiles as they stand now (condition and threshold sources). */
  tiles(tiles: readonly Tile[], at: number): void;
  trap(event: TrapEvent): void;
  equipment(event: EquipmentEvent): void;
  /** A device's profile results after a poll: conditions of user-defined profiles raise alarms. */
  profileResults(deviceId: string, results: readonly ProfileResult[], at: number): void;
  hostKeyChanged(deviceId: string, fingerprint: string, at: number): void;
  hostKeyConfirmed(deviceId: string, at: number): void;
  metricSources(sources: readonly MetricSource[], at: number): void;
  onMaintenanceChanged(listener: (list: { windows: MaintenanceEntry[] }) => void): () => void;
  onHandoverChanged(listener: (handover: Handover) => void): () => void;
  close(): Promise<void>;
}

const actorOf = (ctx: CallContext): AlarmActor => ({ seat: ctx.actor, role: ctx.role });
const DAY = 86_400_000;

/** An SMTP sender whose password is read from its secret at each send (a fixed secret needs no restart). */
class SecretEmailSender implements EmailSender {
  private current: SmtpEmailSender | null = null;
  constructor(
    private readonly config: EmailChannelConfig,
    private readonly secrets: SecretResolver,
  ) {}
  async send(message: EmailMessage, signal: AbortSignal): Promise<void> {
    const password = this.config.passwordSecret
      ? await this.secrets.resolve(this.config.passwordSecret)
      : undefined;
    const ca = this.config.caFile ? await readFile(this.config.caFile, 'utf8') : undefined;
    await this.current?.close();
    this.current = new SmtpEmailSender({
      host: this.config.host,
      port: this.config.port,
      security: this.config.security,
      ...(this.config.user === undefined || password === undefined
        ? {}
        : { user: this.config.user, password }),
      timeoutMs: this.config.timeoutMs,
      ...(ca === undefined ? {} : { tls: { ca } }),
    });
    await this.current.send(message, signal);
  }
  async close(): Promise<void> {
    await this.current?.close();
  }
}

export function maintenanceEntry(window: MaintenanceWindow, now: number): MaintenanceEntry {
  const upcoming = occurrences(window, now, now + 366 * DAY).find((o) => o.from > now) ?? null;
  const active = activeOccurrence(window, now);
  return {
    window,
    activeNow: active === null ? null : { from: active.from, to: active.to },
    next: upcoming === null ? null : { from: upcoming.from, to: upcoming.to },
  };
}

export async function setUpAlarms(options: {
  readonly config: AlarmsConfig;
  readonly inventory: Inventory;
  readonly dataRoot: string;
  readonly audit: AuditLog;
  readonly secrets: SecretResolver;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly locale: 'fr' | 'nl' | 'en';
  readonly timeZone: string;
  /**
   * Ids of the MIB profiles defined in the configuration: their thresholds and rules raise alarms.
   * The built-in profiles' conditions are already the tiles' (on battery, hot room ...).
   */
  readonly userProfiles: ReadonlySet<string>;
}): Promise<AlarmsSetup> {
  const { config, inventory, clock, secrets } = options;
  const logger = options.logger.child({ module: 'alarms' });
  const issues = alarmsConfigIssues(config, {
    devices: new Set(inventory.devices.map((d) => d.id)),
    services: new Set(inventory.services.map((s) => s.id)),
    zones: new Set(inventory.zones.map((z) => z.id)),
  });
  if (issues.length > 0)
    throw new VigieError(
      'VALIDATION',
      `alarms: ${issues
        .slice(0, 10)
        .map((i) => `alarms.${i.path.join('.')}: ${i.message}`)
        .join('; ')}`,
    );
  const devices = new Map(inventory.devices.map((d) => [d.id, d]));
  const services = new Map(inventory.services.map((s) => [s.id, s]));
  const zones = new Map(inventory.zones.map((z) => [z.id, z]));
  const scopeOf = (subject: AlarmSubject): MaintenanceSubject => {
    if (subject.kind === 'device') {
      const d = devices.get(subject.id);
      return { deviceId: subject.id, zoneId: subject.zoneId, tags: d?.tags ?? [] };
    }
    if (subject.kind === 'service') {
      const s = services.get(subject.id);
      return { serviceId: subject.id, zoneId: subject.zoneId, tags: s?.tags ?? [] };
    }
    return { zoneId: subject.zoneId };
  };
  const subjectOfDevice = (id: string): AlarmSubject | null => {
    const d = devices.get(id);
    return d ? { kind: 'device', id, zoneId: d.zone, name: d.name } : null;
  };
  const escalation =
    config.policies.length === 0
      ? undefined
      : new Escalation(
          config,
          (alarm) => ({
            kind:
              alarm.subject.kind === 'device'
                ? (devices.get(alarm.subject.id)?.kind ?? null)
                : alarm.subject.kind === 'service'
                  ? 'service'
                  : null,
            client:
              alarm.subject.kind === 'service' ? (services.get(alarm.subject.id)?.client ?? null) : null,
          }),
          notificationText(config.notificationLocale ?? options.locale, options.timeZone),
        );
  const store = await DuckDbAlarmStore.open(join(options.dataRoot, 'alarms.duckdb'));
  let service: AlarmService;
  try {
    service = await AlarmService.open({
      store,
      audit: options.audit,
      clock,
      logger,
      flap: { windowMs: config.flap.windowMinutes * 60_000, threshold: config.flap.threshold },
      correlation: {
        windowMs: config.correlation.windowMinutes * 60_000,
        burstCount: config.correlation.burstCount,
      },
      autoCloseResolvedMs: config.autoCloseResolvedMinutes * 60_000,
      scopeOf,
      zoneName: (id) => zones.get(id)?.name ?? id,
      ...(escalation ? { escalation } : {}),
    });
  } catch (err: unknown) {
    await store.close();
    throw err;
  }
  const webhooks = new Map(config.channels.webhooks.map((w) => [w.id, w]));
  const webhookSenders = new Map<string, WebhookSender>();
  const email = config.channels.email;
  const sender = new OutboxSender({
    clock,
    logger,
    email: email ? { sender: new SecretEmailSender(email, secrets), from: email.from } : null,
    webhookTarget: async (id) => {
      const hook = webhooks.get(id);
      if (!hook) throw new Error(`webhook "${id}" is no longer configured`);
      let hookSender = webhookSenders.get(id);
      if (!hookSender) {
        hookSender = new FetchWebhookSender({ timeoutMs: hook.timeoutMs });
        webhookSenders.set(id, hookSender);
      }
      const headers: Record<string, string> = { ...hook.headers };
      for (const [name, ref] of Object.entries(hook.headerSecrets))
        headers[name] = await secrets.resolve(ref);
      return { sender: hookSender, url: hook.url, headers };
    },
    report: (entry, line) => service.recordDelivery(entry, line),
  });
  service.attachOutbox(sender);

  const thresholds = new ThresholdEvaluator(config.thresholds, (id) => services.get(id)?.client ?? null);
  const maintenanceListeners = new Set<(list: { windows: MaintenanceEntry[] }) => void>();
  const handoverListeners = new Set<(h: Handover) => void>();
  const maintenanceList = (): { windows: MaintenanceEntry[] } => {
    const now = clock.now();
    return {
      windows: service
        .maintenanceWindows()
        .sort((a, b) => a.id.localeCompare(b.id))
        .map((w) => maintenanceEntry(w, now)),
    };
  };
  const announceMaintenance = (): void => {
    const list = maintenanceList();
    for (const l of maintenanceListeners) l(list);
  };
  const announceHandover = (h: Handover): void => {
    for (const l of handoverListeners) l(h);
  };
  const knownSubjects = (scope: MaintenanceWindow['scope']): void => {
    const unknown = [
      ...scope.devices.filter((id) => !devices.has(id)).map((id) => `device "${id}"`),
      ...scope.services.filter((id) => !services.has(id)).map((id) => `service "${id}"`),
      ...scope.zones.filter((id) => !zones.has(id)).map((id) => `zone "${id}"`),
    ];
    if (unknown.length > 0) throw new VigieError('VALIDATION', `unknown ${unknown.join(', ')}`);
  };

  const handlers: Pick<Handlers, AlarmsChannel> = {
    'alarms.list': (req) => Promise.resolve(service.list(req.states, req.limit)),
    'alarms.get': (req) => service.get(req.id),
    'alarms.acknowledge': (req, ctx) => service.acknowledge(req.id, actorOf(ctx), req.comment, req.mode),
    'alarms.snooze': (req, ctx) => service.snooze(req.id, actorOf(ctx), req.comment, req.minutes),
    'alarms.unacknowledge': (req, ctx) => service.unacknowledge(req.id, actorOf(ctx), req.comment),
    'alarms.resolve': (req, ctx) => service.resolve(req.id, actorOf(ctx), req.comment),
    'alarms.close': (req, ctx) => service.close(req.id, actorOf(ctx), req.comment),
    'alarms.assign': (req, ctx) => {
      if (req.assignee) {
        const known =
          req.assignee.kind === 'person'
            ? config.people.some((p) => p.id === req.assignee!.id)
            : config.teams.some((t) => t.id === req.assignee!.id);
        if (!known) throw new VigieError('VALIDATION', `unknown ${req.assignee.kind} "${req.assignee.id}"`);
      }
      return service.assign(req.id, actorOf(ctx), req.assignee, req.comment);
    },
    'alarms.setSeverity': (req, ctx) => service.setSeverity(req.id, actorOf(ctx), req.severity, req.comment),
    'alarms.escalate': (req, ctx) => service.escalate(req.id, actorOf(ctx), req.comment),
    'alarms.history': (req) => {
      if (req.to < req.from) throw new VigieError('VALIDATION', '"to" is before "from"');
      return service.changedBetween(req.from, req.to, req.limit);
    },
    'alarms.directory': () => {
      const now = clock.now();
      return Promise.resolve({
        people: config.people.map((p) => ({ id: p.id, name: p.name })),
        teams: config.teams.map((t) => ({ id: t.id, name: t.name, members: [...t.members] })),
        schedules: config.schedules.map((s) => {
          const on = onCallAt(s, now);
          return { id: s.id, name: s.name, onCall: on?.person ?? null, until: on?.until ?? null };
        }),
      });
    },
    'maintenance.list': () => Promise.resolve(maintenanceList()),
    'maintenance.save': async (req, ctx) => {
      knownSubjects(req.scope);
      const existing =
        req.id === undefined ? undefined : service.maintenanceWindows().find((w) => w.id === req.id);
      if (req.id !== undefined && !existing)
        throw new VigieError('NOT_FOUND', `no maintenance window "${req.id}"`);
      const window: MaintenanceWindow = {
        id: req.id ?? `mw-${randomUUID().slice(0, 8)}`,
        title: req.title,
        reason: req.reason,
        scope: req.scope,
        schedule: req.schedule,
        createdBy: existing?.createdBy ?? ctx.actor,
        createdAt: existing?.createdAt ?? clock.now(),
      };
      await service.saveMaintenance(window, actorOf(ctx));
      announceMaintenance();
      return maintenanceEntry(window, clock.now());
    },
    'maintenance.delete': async (req, ctx) => {
      await service.deleteMaintenance(req.id, actorOf(ctx), req.reason);
      announceMaintenance();
      return { id: req.id };
    },
    'handover.draft': async () => {
      const last = (await service.listHandovers(1))[0];
      return service.digest(last?.createdAt ?? clock.now() - 12 * 3_600_000);
    },
    'handover.submit': async (req, ctx) => {
      const last = (await service.listHandovers(1))[0];
      const handover: Handover = {
        id: `ho-${randomUUID()}`,
        createdAt: clock.now(),
        createdBy: ctx.actor,
        notes: req.notes,
        digest: service.digest(last?.createdAt ?? clock.now() - 12 * 3_600_000),
        acknowledgedAt: null,
        acknowledgedBy: null,
      };
      await service.saveHandover(handover, actorOf(ctx), 'handover.submit');
      announceHandover(handover);
      return handover;
    },
    'handover.acknowledge': async (req, ctx) => {
      const found = (await service.listHandovers(500)).find((h) => h.id === req.id);
      if (!found) throw new VigieError('NOT_FOUND', `no handover "${req.id}"`);
      if (found.acknowledgedAt !== null)
        throw new VigieError('CONFLICT', `this shift was already taken by ${found.acknowledgedBy ?? '?'}`);
      const taken: Handover = { ...found, acknowledgedAt: clock.now(), acknowledgedBy: ctx.actor };
      await service.saveHandover(taken, actorOf(ctx), 'handover.acknowledge');
      announceHandover(taken);
      return taken;
    },
    'handover.list': async (req) => ({ handovers: await service.listHandovers(req.limit) }),
  };

  return {
    service,
    handlers,
    tiles(tiles, at) {
      // UPS-MIB has no "back on mains" notification: a fresh poll of the UPS on mains ends the
      // on-battery trap's alarm (the alarm-entry-removed trap may never come, e.g. after a restart).
      for (const t of tiles)
        if (t.kind === 'ups' && t.condition === 'ok' && !t.stale && t.lastSampleAt !== null)
          service.clear(
            `${TRAP_PREFIX}${trapEventKey(trapKeyOwner(t.id, ''), 'upsOnBattery', '')}`,
            at,
            t.lastSampleAt,
          );
      const conditions = tileSignals(tiles, at);
      service.reconcile(TILE_PREFIX, conditions.signals, at, conditions.holding);
      if (config.thresholds.length > 0) {
        const rules = thresholds.evaluate(tiles, at);
        service.reconcile(THRESHOLD_PREFIX, rules.signals, at, rules.holding);
      }
    },
    trap(event) {
      const { raise, clears } = trapSignals(event, subjectOfDevice);
      for (const key of clears) service.clear(key, event.at);
      if (raise) service.raise(raise);
    },
    equipment(event) {
      if (event.kind !== 'reboot') return; // unreachable / reachable: the tile's condition says it
      const subject = subjectOfDevice(event.device);
      if (!subject) return;
      service.raise({
        key: `device:${event.device}/reboot`,
        origin: 'equipment',
        subject,
        cause: { code: 'reboot', params: { uptimeSeconds: event.uptimeSeconds } },
        severity: 'warning',
        at: event.at,
      });
    },
    profileResults(deviceId, results, at) {
      const subject = subjectOfDevice(deviceId);
      if (!subject) return;
      const signals = [];
      for (const result of results) {
        if (!options.userProfiles.has(result.profile)) continue;
        for (const c of result.conditions) {
          if (c.source === 'noData' || (c.status !== 'down' && c.status !== 'degraded')) continue;
          const instance = c.instance ?? '';
          signals.push({
            key: `profile:${encodeURIComponent(deviceId)}/${encodeURIComponent(result.profile)}/${encodeURIComponent(c.name)}/${encodeURIComponent(instance)}`,
            origin: 'equipment' as const,
            subject,
            cause: {
              code: 'profileCondition',
              params: {
                profile: result.profile,
                name: c.name,
                instance,
                label: Object.values(c.labels)[0] ?? '',
                detail: c.detail.slice(0, 500),
              },
            },
            severity: c.status === 'down' ? ('major' as const) : ('minor' as const),
            at,
          });
        }
      }
      service.reconcile(`profile:${encodeURIComponent(deviceId)}/`, signals, at);
    },
    hostKeyChanged(deviceId, fingerprint, at) {
      const subject = subjectOfDevice(deviceId);
      if (!subject) return;
      service.raise({
        key: `device:${deviceId}/hostKey`,
        origin: 'hostKey',
        subject,
        cause: { code: 'hostKeyChanged', params: { fingerprint } },
        severity: 'major',
        at,
      });
    },
    hostKeyConfirmed(deviceId, at) {
      service.clear(`device:${deviceId}/hostKey`, at);
    },
    metricSources(sources, at) {
      for (const s of sources) {
        const key = `monitor:metrics/${s.id}`;
        if (s.state === 'unreachable')
          service.raise({
            key,
            origin: 'monitor',
            subject: { kind: 'monitor', id: `metrics/${s.id}`, zoneId: null, name: s.name },
            cause: {
              code: 'metricSourceUnreachable',
              params: { source: s.name, error: s.lastError?.message ?? '' },
            },
            severity: 'major',
            at,
          });
        else if (s.state === 'connected') service.clear(key, at);
      }
    },
    onMaintenanceChanged(listener) {
      maintenanceListeners.add(listener);
      return () => maintenanceListeners.delete(listener);
    },
    onHandoverChanged(listener) {
      handoverListeners.add(listener);
      return () => handoverListeners.delete(listener);
    },
    async close() {
      await sender.stop();
      await service.stop();
      await store.close();
    },
  };
}
