import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlarmsChanged, Handover, VigieError } from '../../../../shared/api';
import type { Alarm, AlarmSeverity, AlarmSignal, AlarmSubject } from '../../../../shared/domain/alarm';
import {
  maintenanceWindowSchema,
  type MaintenanceSubject,
  type MaintenanceWindow,
} from '../../../../shared/domain/maintenance-window';
import { DuckDbAlarmStore } from '../../adapters/duckdb/duckdb-alarm-store';
import { alarmsConfigSchema } from '../../config/alarms-schema';
import type { OutboxEntry } from '../../ports/alarm-store';
import type { AuditEntry, AuditLog } from '../../ports/audit-log';
import { silentLogger } from '../../ports/logger';
import { FakeClock } from '../metrics/test-support/fake-clock';
import { AlarmService, type AlarmActor } from './alarm-service';
import { Escalation } from './escalation';
import { notificationText } from './notification-text';

const T0 = Date.UTC(2026, 2, 4, 10, 0);
const MINUTE = 60_000;
const seat: AlarmActor = { seat: 'seat-1', role: 'operator' };
const never = (): AbortSignal => new AbortController().signal;

/** An audit log that keeps its entries in memory; `failing` makes every append reject. */
class RecordingAudit implements AuditLog {
  readonly entries: AuditEntry[] = [];
  failing: Error | null = null;
  /** Called as an entry is appended, before it is recorded (to look at what the engine did meanwhile). */
  onAppend: ((entry: AuditEntry) => void) | null = null;

  append(entry: AuditEntry): Promise<void> {
    this.onAppend?.(entry);
    if (this.failing) return Promise.reject(this.failing);
    this.entries.push(entry);
    return Promise.resolve();
  }

  list(limit: number): Promise<AuditEntry[]> {
    return Promise.resolve(this.entries.slice(-limit));
  }
}

function scopeOf(subject: AlarmSubject): MaintenanceSubject {
  if (subject.kind === 'device') return { deviceId: subject.id, zoneId: subject.zoneId };
  if (subject.kind === 'service') return { serviceId: subject.id, zoneId: subject.zoneId };
  return { zoneId: subject.zoneId };
}

function signal(
  id: string,
  code = 'unreachable',
  severity: AlarmSeverity = 'major',
  at = T0,
  zoneId: string | null = 'zone-a',
): AlarmSignal {
  return {
    key: `tile:${id}`,
    origin: 'condition',
    subject: { kind: 'device', id, zoneId, name: id },
    cause: { code, params: {} },
    severity,
    at,
  };
}

interface Harness {
  readonly service: AlarmService;
  readonly store: DuckDbAlarmStore;
  readonly audit: RecordingAudit;
  readonly clock: FakeClock;
  /** Commits and events in the order they happened. */
  readonly log: string[];
  readonly changes: AlarmsChanged[];
}

const services: AlarmService[] = [];
const stores: DuckDbAlarmStore[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.stop();
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function start(
  options: {
    path?: string;
    autoCloseResolvedMs?: number;
    escalation?: Escalation;
    clock?: FakeClock;
    audit?: RecordingAudit;
  } = {},
): Promise<Harness> {
  const clock = options.clock ?? new FakeClock(T0);
  const store = await DuckDbAlarmStore.open(options.path ?? ':memory:');
  stores.push(store);
  const log: string[] = [];
  const commit = store.commit.bind(store);
  store.commit = async (c, signal) => {
    await commit(c, signal);
    log.push(`commit ${c.revision}`);
  };
  const audit = options.audit ?? new RecordingAudit();
  let next = 0;
  const service = await AlarmService.open({
    store,
    audit,
    clock,
    logger: silentLogger,
    flap: { windowMs: 10 * MINUTE, threshold: 6 },
    correlation: { windowMs: 5 * MINUTE, burstCount: 5 },
    autoCloseResolvedMs: options.autoCloseResolvedMs ?? 0,
    scopeOf,
    zoneName: (id) => `Zone ${id}`,
    newId: () => `al-${String((next += 1))}`,
    ...(options.escalation ? { escalation: options.escalation } : {}),
  });
  services.push(service);
  const changes: AlarmsChanged[] = [];
  service.onChange((c) => {
    changes.push(c);
    log.push(`event ${c.revision}`);
  });
  return { service, store, audit, clock, log, changes };
}

/** Matches the VigieError an action is refused with. */
const refused = (code: string): VigieError =>
  expect.objectContaining({ name: 'VigieError', code }) as VigieError;

function byKey(service: AlarmService, key: string): Alarm {
  const found = service.snapshot().find((a) => a.key === key);
  if (!found) throw new Error(`no open alarm ${key}`);
  return found;
}

describe('AlarmService sources', () => {
  it('opens one alarm per key and updates it when the source says more', async () => {
    const { service, store } = await start();
    service.raise(signal('a-sw-1'));
    service.raise(signal('a-sw-1'));
    await service.settled();
    expect(service.snapshot()).toHaveLength(1);
    service.raise(signal('a-sw-1', 'unreachable', 'critical', T0 + MINUTE));
    await service.settled();
    expect(service.snapshot()).toEqual([
      expect.objectContaining({ id: 'al-1', key: 'tile:a-sw-1', severity: 'critical', occurrences: 1 }),
    ]);
    expect((await store.history('al-1', 10, never())).map((h) => h.action)).toEqual(['raised', 'worsened']);
  });

  it('resolves on a clear, unless the clear was observed before the latest raise', async () => {
    const { service, clock } = await start();
    service.raise(signal('a-sw-1', 'unreachable', 'major', T0 + MINUTE));
    service.clear('tile:a-sw-1', T0 + 2 * MINUTE, T0 + MINUTE);
    await service.settled();
    expect(byKey(service, 'tile:a-sw-1').state).toBe('outstanding');
    clock.set(T0 + 3 * MINUTE);
    service.clear('tile:a-sw-1', T0 + 3 * MINUTE, T0 + 3 * MINUTE);
    service.clear('tile:unknown', T0 + 3 * MINUTE);
    await service.settled();
    expect(byKey(service, 'tile:a-sw-1')).toMatchObject({ state: 'resolved', resolvedAt: T0 + 3 * MINUTE });
  });

  it('raises again under the same alarm when a resolved condition comes back', async () => {
    const { service } = await start();
    service.raise(signal('a-sw-1'));
    service.clear('tile:a-sw-1', T0 + MINUTE);
    service.raise(signal('a-sw-1', 'unreachable', 'major', T0 + 2 * MINUTE));
    await service.settled();
    expect(service.snapshot()).toEqual([
      expect.objectContaining({ id: 'al-1', state: 'outstanding', occurrences: 2 }),
    ]);
  });

  it('opens a new alarm when the condition of a closed one comes back', async () => {
    const { service } = await start();
    service.raise(signal('a-sw-1'));
    service.clear('tile:a-sw-1', T0);
    await service.settled();
    await service.close('al-1', seat, 'done');
    service.raise(signal('a-sw-1', 'unreachable', 'major', T0 + MINUTE));
    await service.settled();
    expect(service.snapshot()).toEqual([
      expect.objectContaining({ id: 'al-2', key: 'tile:a-sw-1', occurrences: 1 }),
    ]);
  });

  it('commits nothing and arms no batch when a source repeats what it said', async () => {
    const { service, clock, log } = await start();
    service.raise(signal('a-ups-1', 'onBattery'));
    service.raise(signal('a-rack-1'));
    await service.settled();
    // The parent raised by that commit's correlation is looked at once more, a batch later.
    clock.advance(20);
    await service.settled();
    expect(log).toEqual(['commit 1', 'event 1']);
    service.raise(signal('a-ups-1', 'onBattery'));
    service.reconcile('tile:', [signal('a-ups-1', 'onBattery'), signal('a-rack-1')], T0);
    // Only the housekeeping tick is left: the zone problem is not correlated again and again.
    expect(clock.pendingTimers()).toBe(1);
    clock.advance(MINUTE);
    await service.settled();
    expect(log).toEqual(['commit 1', 'event 1']);
  });

  it('reconciles a whole source: what it no longer reports clears, held keys and other sources stay', async () => {
    const { service } = await start();
    for (const id of ['a-1', 'a-2', 'a-3']) service.raise(signal(id));
    service.raise({ ...signal('a-1'), key: 'threshold:hot/a-1', origin: 'threshold' });
    await service.settled();
    service.reconcile('tile:', [signal('a-1'), signal('a-4')], T0 + MINUTE, new Set(['tile:a-3']));
    await service.settled();
    const states = Object.fromEntries(service.snapshot().map((a) => [a.key, a.state]));
    expect(states).toEqual({
      'tile:a-1': 'outstanding',
      'tile:a-2': 'resolved',
      'tile:a-3': 'outstanding',
      'tile:a-4': 'outstanding',
      'threshold:hot/a-1': 'outstanding',
    });
  });
});

describe('AlarmService operator actions', () => {
  it('writes an acknowledgement to the audit log before it takes effect', async () => {
    const { service, store, audit } = await start();
    service.raise(signal('a-sw-1'));
    await service.settled();
    const seen: string[] = [];
    audit.onAppend = () => {
      seen.push(byKey(service, 'tile:a-sw-1').state);
    };
    const after = await service.acknowledge('al-1', seat, 'checking the uplink', 'sticky');
    expect(seen).toEqual(['outstanding']);
    expect(audit.entries).toEqual([
      {
        at: T0,
        actor: 'seat-1',
        role: 'operator',
        action: 'alarms.acknowledge',
        target: 'al-1',
        details: { comment: 'checking the uplink', mode: 'sticky' },
      },
    ]);
    expect(after).toMatchObject({ state: 'acknowledged', ack: { by: 'seat-1', mode: 'sticky' } });
    // Answered once committed.
    expect((await store.alarms(['al-1'], never()))[0]).toMatchObject({ state: 'acknowledged' });
    expect((await store.history('al-1', 10, never())).at(-1)).toMatchObject({
      action: 'acknowledged',
      actor: 'seat-1',
      comment: 'checking the uplink',
    });
  });

  it('audits each kind of action with its details', async () => {
    const { service, audit } = await start();
    service.raise(signal('a-sw-1'));
    await service.settled();
    await service.snooze('al-1', seat, 'after the change window', 30);
    await service.unacknowledge('al-1', seat, 'back on it');
    await service.assign('al-1', seat, { kind: 'team', id: 'noc' }, 'yours');
    await service.setSeverity('al-1', seat, 'minor', 'lab switch');
    await service.resolve('al-1', seat, 'fixed the cable');
    const closed = await service.close('al-1', seat, '');
    expect(closed).toMatchObject({ state: 'closed', closedAt: T0 });
    expect(audit.entries.map((e) => [e.action, e.details])).toEqual([
      ['alarms.snooze', { comment: 'after the change window', minutes: 30 }],
      ['alarms.unacknowledge', { comment: 'back on it' }],
      ['alarms.assign', { comment: 'yours', assignee: 'team:noc' }],
      ['alarms.setSeverity', { comment: 'lab switch', severity: 'minor' }],
      ['alarms.resolve', { comment: 'fixed the cable' }],
      ['alarms.close', { comment: '' }],
    ]);
    expect(service.snapshot()).toEqual([]);
  });

  it('leaves the alarm unchanged when the audit log cannot record the action', async () => {
    const { service, store, audit } = await start();
    service.raise(signal('a-sw-1'));
    await service.settled();
    audit.failing = new Error('audit disk full');
    await expect(service.acknowledge('al-1', seat, 'mine', 'normal')).rejects.toThrow('audit disk full');
    await service.settled();
    expect(byKey(service, 'tile:a-sw-1')).toMatchObject({ state: 'outstanding', ack: null });
    expect((await store.alarms(['al-1'], never()))[0]).toMatchObject({ state: 'outstanding' });
    expect((await store.history('al-1', 10, never())).map((h) => h.action)).toEqual(['raised']);
  });

  it('refuses an action on an alarm closed while its audit entry was written, leaving it closed', async () => {
    const { service, store, audit, clock } = await start({ autoCloseResolvedMs: 10 * MINUTE });
    service.raise(signal('a-sw-1'));
    service.clear('tile:a-sw-1', T0);
    await service.settled();
    audit.onAppend = () => clock.advance(10 * MINUTE);
    await expect(service.assign('al-1', seat, { kind: 'team', id: 'noc' }, '')).rejects.toMatchObject(
      refused('CONFLICT'),
    );
    await service.settled();
    expect(service.snapshot()).toEqual([]);
    expect((await store.alarms(['al-1'], never()))[0]).toMatchObject({ state: 'closed', assignee: null });
  });

  it('refuses a transition the state does not allow, without auditing it', async () => {
    const { service, audit } = await start();
    service.raise(signal('a-sw-1'));
    service.clear('tile:a-sw-1', T0);
    await service.settled();
    await expect(service.acknowledge('al-1', seat, 'late', 'normal')).rejects.toMatchObject(
      refused('CONFLICT'),
    );
    await expect(service.unacknowledge('al-1', seat, 'x')).rejects.toMatchObject(refused('CONFLICT'));
    await expect(service.resolve('al-1', seat, ' ')).rejects.toMatchObject(refused('VALIDATION'));
    expect(audit.entries).toEqual([]);
  });

  it('answers NOT_FOUND for an unknown alarm and CONFLICT for a closed one', async () => {
    const { service, audit } = await start();
    await expect(service.acknowledge('nope', seat, 'x', 'normal')).rejects.toMatchObject(
      refused('NOT_FOUND'),
    );
    await expect(service.get('nope')).rejects.toMatchObject(refused('NOT_FOUND'));
    service.raise(signal('a-sw-1'));
    service.clear('tile:a-sw-1', T0);
    await service.settled();
    await service.close('al-1', seat, 'done');
    await expect(service.assign('al-1', seat, null, '')).rejects.toMatchObject(refused('CONFLICT'));
    expect(audit.entries.map((e) => e.action)).toEqual(['alarms.close']);
    // A closed alarm is still readable, with its history.
    const detail = await service.get('al-1');
    expect(detail.alarm.state).toBe('closed');
    expect(detail.history.map((h) => h.action)).toEqual(['raised', 'cleared', 'closed']);
  });

  it('refuses to escalate when no policy is configured', async () => {
    const { service } = await start();
    service.raise(signal('a-sw-1'));
    await service.settled();
    await expect(service.escalate('al-1', seat, 'now')).rejects.toMatchObject(refused('CONFLICT'));
  });
});

describe('AlarmService correlation', () => {
  async function powerFailure(): Promise<Harness & { parent: Alarm }> {
    const h = await start();
    h.service.raise(signal('a-ups-1', 'onBattery', 'major'));
    h.service.raise(signal('a-rack-1', 'unreachable', 'critical'));
    h.service.raise(signal('b-sw-1', 'unreachable', 'major', T0, 'zone-b'));
    await h.service.settled();
    return { ...h, parent: byKey(h.service, 'zone:zone-a/power') };
  }

  it('groups the alarms of a zone on battery under one parent', async () => {
    const { service, parent } = await powerFailure();
    expect(parent).toMatchObject({
      origin: 'correlation',
      severity: 'critical',
      subject: { kind: 'zone', id: 'zone-a', zoneId: 'zone-a', name: 'Zone zone-a' },
      cause: { code: 'zonePowerFailure', params: { zone: 'Zone zone-a' } },
    });
    const parents = Object.fromEntries(service.snapshot().map((a) => [a.key, a.parentId]));
    expect(parents).toEqual({
      'zone:zone-a/power': null,
      'tile:a-ups-1': parent.id,
      'tile:a-rack-1': parent.id,
      'tile:b-sw-1': null,
    });
    const detail = await service.get(parent.id);
    expect(detail.children.map((c) => c.key).sort()).toEqual(['tile:a-rack-1', 'tile:a-ups-1']);
  });

  it('acknowledges the outstanding children with their parent, and a child grouped later inherits it', async () => {
    const { service, store, clock, parent } = await powerFailure();
    const rack = byKey(service, 'tile:a-rack-1');
    await service.snooze(rack.id, seat, 'rack on its own', 60);
    await service.acknowledge(parent.id, seat, 'mains lost, generator starting', 'sticky');
    const states = Object.fromEntries(service.snapshot().map((a) => [a.key, [a.state, a.ack?.mode ?? null]]));
    expect(states).toEqual({
      'zone:zone-a/power': ['acknowledged', 'sticky'],
      'tile:a-ups-1': ['acknowledged', 'sticky'],
      'tile:a-rack-1': ['acknowledged', 'sticky'],
      'tile:b-sw-1': ['outstanding', null],
    });
    const ups = byKey(service, 'tile:a-ups-1');
    expect((await store.history(ups.id, 10, never())).at(-1)).toMatchObject({
      action: 'acknowledged',
      actor: 'seat-1',
      details: { mode: 'sticky', via: parent.id },
    });
    clock.set(T0 + 2 * MINUTE);
    service.raise(signal('a-pdu-1', 'phaseOverload', 'major', T0 + 2 * MINUTE));
    await service.settled();
    const late = byKey(service, 'tile:a-pdu-1');
    expect(late).toMatchObject({
      parentId: parent.id,
      state: 'acknowledged',
      ack: { by: 'seat-1', mode: 'sticky', comment: 'mains lost, generator starting' },
    });
    expect((await store.history(late.id, 10, never())).map((h) => [h.action, h.actor, h.details])).toEqual([
      ['raised', 'engine', { severity: 'major' }],
      ['grouped', 'engine', { parent: parent.id }],
      ['acknowledged', 'engine', { mode: 'sticky', via: parent.id, by: 'seat-1' }],
    ]);
  });

  it('acknowledges the children as they are once the audit entry is written', async () => {
    const { service, audit, parent } = await powerFailure();
    // The rack's source clears it while the acknowledgement is being recorded.
    audit.onAppend = () => service.clear('tile:a-rack-1', T0);
    await service.acknowledge(parent.id, seat, 'mains lost', 'normal');
    await service.settled();
    expect(byKey(service, 'tile:a-rack-1')).toMatchObject({ state: 'resolved', active: false });
    expect(byKey(service, 'tile:a-ups-1')).toMatchObject({ state: 'acknowledged' });
  });

  it('resolves the parent when the trigger clears', async () => {
    const { service, clock, parent } = await powerFailure();
    clock.set(T0 + 5 * MINUTE);
    service.clear('tile:a-ups-1', T0 + 5 * MINUTE);
    await service.settled();
    expect(byKey(service, 'zone:zone-a/power')).toMatchObject({
      id: parent.id,
      state: 'resolved',
      active: false,
    });
    expect(byKey(service, 'tile:a-rack-1').parentId).toBe(parent.id);
  });

  it('closes resolved alarms after autoCloseResolvedMs, a parent only once its children are closed', async () => {
    const h = await start({ autoCloseResolvedMs: 10 * MINUTE });
    const { service, clock } = h;
    service.raise(signal('a-ups-1', 'onBattery', 'major'));
    service.raise(signal('a-rack-1', 'unreachable', 'critical'));
    await service.settled();
    const parent = byKey(service, 'zone:zone-a/power');
    service.clear('tile:a-ups-1', T0);
    await service.settled();
    expect(byKey(service, 'zone:zone-a/power').state).toBe('resolved');
    clock.advance(10 * MINUTE);
    await service.settled();
    expect(service.snapshot().map((a) => [a.key, a.state])).toEqual([
      ['tile:a-rack-1', 'outstanding'],
      ['zone:zone-a/power', 'resolved'],
    ]);
    service.clear('tile:a-rack-1', clock.now());
    await service.settled();
    clock.advance(10 * MINUTE);
    await service.settled();
    expect(service.snapshot()).toEqual([]);
    const detail = await service.get(parent.id);
    expect(detail.alarm.state).toBe('closed');
    expect(detail.history.at(-1)).toMatchObject({ action: 'closed', actor: 'engine' });
  });
});

describe('AlarmService events', () => {
  it('tells listeners after each commit, with growing revisions carried by every changed alarm', async () => {
    const { service, log, changes } = await start();
    service.raise(signal('a-1'));
    await service.settled();
    service.raise(signal('a-2'));
    service.raise(signal('a-3'));
    await service.settled();
    await service.acknowledge('al-1', seat, 'mine', 'normal');
    expect(log).toEqual(['commit 1', 'event 1', 'commit 2', 'event 2', 'commit 3', 'event 3']);
    expect(changes.map((c) => [c.revision, c.alarms.map((a) => [a.id, a.revision])])).toEqual([
      [1, [['al-1', 1]]],
      [
        2,
        [
          ['al-2', 2],
          ['al-3', 2],
        ],
      ],
      [3, [['al-1', 3]]],
    ]);
    expect(changes[2]!.counts.outstanding.major).toBe(2);
    const list = service.list(undefined, 100);
    expect(list.revision).toBe(3);
    expect(list.alarms.find((a) => a.id === 'al-1')?.revision).toBe(3);
  });

  it('batches source changes into one commit after a few milliseconds', async () => {
    const { service, clock, log } = await start();
    service.raise(signal('a-1'));
    service.raise(signal('a-2'));
    expect(log).toEqual([]);
    clock.advance(20);
    await service.settled();
    expect(log).toEqual(['commit 1', 'event 1']);
  });

  it('brings a snoozed alarm back when the snooze ends', async () => {
    const { service, store, clock } = await start();
    service.raise(signal('a-1'));
    await service.settled();
    await service.snooze('al-1', seat, 'after lunch', 5);
    clock.advance(5 * MINUTE - 1000);
    await service.settled();
    expect(byKey(service, 'tile:a-1').state).toBe('snoozed');
    clock.advance(1000);
    await service.settled();
    expect(byKey(service, 'tile:a-1')).toMatchObject({ state: 'outstanding', ack: null });
    expect((await store.history('al-1', 10, never())).at(-1)).toMatchObject({
      action: 'snoozeExpired',
      at: T0 + 5 * MINUTE,
    });
  });
});

describe('AlarmService maintenance', () => {
  function window(id: string, devices: string[]): MaintenanceWindow {
    return maintenanceWindowSchema.parse({
      id,
      title: 'UPS battery swap',
      reason: 'planned',
      scope: { devices },
      schedule: { kind: 'once', from: T0 - MINUTE, to: T0 + 60 * MINUTE },
      createdBy: 'seat-1',
      createdAt: T0,
    });
  }

  it('marks the alarms a window covers, audited, and unmarks them when it is deleted', async () => {
    const { service, store, audit } = await start();
    service.raise(signal('a-ups-1', 'onBattery'));
    service.raise(signal('a-sw-1'));
    await service.settled();
    await service.saveMaintenance(window('ups-swap', ['a-ups-1']), seat);
    expect(byKey(service, 'tile:a-ups-1').maintenance).toEqual(['ups-swap']);
    expect(byKey(service, 'tile:a-sw-1').maintenance).toEqual([]);
    expect(await store.listMaintenance(never())).toEqual([window('ups-swap', ['a-ups-1'])]);
    // A new alarm of a covered subject opens in maintenance.
    service.raise(signal('a-sw-1', 'uplinkDown'));
    await service.saveMaintenance(window('ups-swap', ['a-ups-1', 'a-pdu-1']), seat);
    service.raise(signal('a-pdu-1', 'phaseOverload'));
    await service.settled();
    expect(byKey(service, 'tile:a-pdu-1').maintenance).toEqual(['ups-swap']);
    await service.deleteMaintenance('ups-swap', seat, 'done early');
    expect(byKey(service, 'tile:a-ups-1').maintenance).toEqual([]);
    expect(byKey(service, 'tile:a-pdu-1').maintenance).toEqual([]);
    expect(service.maintenanceWindows()).toEqual([]);
    expect(await store.listMaintenance(never())).toEqual([]);
    expect(audit.entries.map((e) => [e.action, e.target])).toEqual([
      ['maintenance.create', 'ups-swap'],
      ['maintenance.update', 'ups-swap'],
      ['maintenance.delete', 'ups-swap'],
    ]);
    expect(audit.entries[2]!.details).toEqual({ reason: 'done early' });
    await expect(service.deleteMaintenance('ups-swap', seat, 'again')).rejects.toMatchObject(
      refused('NOT_FOUND'),
    );
  });

  it('saves no window the audit log cannot record', async () => {
    const { service, store, audit } = await start();
    audit.failing = new Error('audit down');
    await expect(service.saveMaintenance(window('w', ['a-ups-1']), seat)).rejects.toThrow('audit down');
    expect(service.maintenanceWindows()).toEqual([]);
    expect(await store.listMaintenance(never())).toEqual([]);
  });
});

describe('AlarmService durability', () => {
  it('finds its alarms, keys and revision again after a restart on the same store', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigie-alarm-service-'));
    dirs.push(dir);
    const path = join(dir, 'alarms.duckdb');
    const first = await start({ path });
    first.service.raise(signal('a-sw-1'));
    await first.service.settled();
    await first.service.acknowledge('al-1', seat, 'mine', 'sticky');
    first.service.raise(signal('a-pdu-1', 'phaseOverload', 'major'));
    await first.service.stop();
    await first.store.close();
    const revision = first.changes.at(-1)!.revision;

    const second = await start({ path });
    expect(second.service.snapshot().map((a) => [a.id, a.key, a.state])).toEqual([
      ['al-2', 'tile:a-pdu-1', 'outstanding'],
      ['al-1', 'tile:a-sw-1', 'acknowledged'],
    ]);
    expect(second.service.list(undefined, 10).revision).toBe(revision);
    second.service.raise(signal('a-sw-1', 'unreachable', 'critical', T0 + MINUTE));
    await second.service.settled();
    expect(second.service.snapshot().filter((a) => a.key === 'tile:a-sw-1')).toEqual([
      expect.objectContaining({
        id: 'al-1',
        state: 'acknowledged',
        severity: 'critical',
        revision: revision + 1,
      }),
    ]);
  });

  it('records the outcome of a delivery in the alarm’s history', async () => {
    const { service, store } = await start();
    service.raise(signal('a-sw-1'));
    await service.settled();
    const entry: OutboxEntry = {
      key: 'al-1/0/0/email',
      alarmId: 'al-1',
      channel: 'email',
      payload: {},
      createdAt: T0,
      status: 'sent',
      attempts: 1,
      nextAttemptAt: T0,
      lastError: null,
    };
    service.recordDelivery(entry, {
      alarmId: 'al-1',
      at: T0,
      actor: 'engine',
      action: 'notified',
      comment: null,
      from: null,
      to: 'outstanding',
      details: { channel: 'email', to: 'noc@example.org' },
    });
    await service.settled();
    expect((await store.history('al-1', 10, never())).at(-1)).toEqual({
      alarmId: 'al-1',
      at: T0,
      actor: 'engine',
      action: 'notified',
      comment: null,
      from: 'outstanding',
      to: 'outstanding',
      details: { channel: 'email', to: 'noc@example.org' },
    });
    expect((await store.load(never())).outbox).toEqual([]);
  });

  it('saves handovers, audited, and lists them newest first', async () => {
    const { service, audit, clock } = await start();
    service.raise(signal('a-sw-1'));
    await service.settled();
    const handover = (id: string, at: number): Handover => ({
      id,
      createdAt: at,
      createdBy: 'seat-1',
      notes: `shift ${id}`,
      digest: service.digest(at - 12 * 60 * MINUTE),
      acknowledgedAt: null,
      acknowledgedBy: null,
    });
    await service.saveHandover(handover('h-1', T0), seat, 'handover.submit');
    clock.set(T0 + 8 * 60 * MINUTE);
    await service.saveHandover(handover('h-2', clock.now()), seat, 'handover.submit');
    const listed = await service.listHandovers(10);
    expect(listed.map((h) => h.id)).toEqual(['h-2', 'h-1']);
    expect(listed[1]!.digest.outstanding.map((a) => a.id)).toEqual(['al-1']);
    expect(audit.entries.map((e) => [e.action, e.target, e.details.outstanding])).toEqual([
      ['handover.submit', 'h-1', 1],
      ['handover.submit', 'h-2', 1],
    ]);
  });
});

describe('AlarmService escalation', () => {
  function escalation(): Escalation {
    const config = alarmsConfigSchema.parse({
      people: [{ id: 'alice', name: 'Alice Martin' }],
      channels: { webhooks: [{ id: 'itsm', url: 'https://itsm.example.org/hook' }] },
      policies: [
        {
          id: 'default',
          name: 'Default',
          steps: [
            { afterMinutes: 0, targets: [{ person: 'alice' }], channels: ['desktop', 'webhook:itsm'] },
            { afterMinutes: 15, targets: [{ person: 'alice' }], channels: ['webhook:itsm'] },
          ],
        },
      ],
    });
    return new Escalation(
      config,
      () => ({ kind: null, client: null }),
      notificationText('en', 'Europe/Brussels'),
    );
  }

  async function withOutbox(): Promise<Harness & { sent: string[] }> {
    const h = await start({ escalation: escalation() });
    const sent: string[] = [];
    h.service.attachOutbox({
      enqueue: (entries) => {
        if (entries.length === 0) return;
        h.log.push(`enqueue ${entries.map((e) => e.key).join(' ')}`);
        sent.push(...entries.map((e) => e.key));
      },
    });
    return { ...h, sent };
  }

  it('commits the deliveries of a step before handing them to the outbox', async () => {
    const { service, store, log, sent } = await withOutbox();
    const notified: string[] = [];
    service.onNotified((n) => notified.push(`${n.reason} ${n.targets.join(', ')}`));
    service.raise(signal('a-sw-1'));
    await service.settled();
    expect(log).toEqual(['commit 1', 'event 1', 'enqueue al-1/0/0/webhook:itsm']);
    expect(notified).toEqual(['escalated Alice Martin']);
    expect((await store.load(never())).outbox.map((o) => o.key)).toEqual(['al-1/0/0/webhook:itsm']);
    expect(sent).toEqual(['al-1/0/0/webhook:itsm']);
    expect(service.list(undefined, 10).escalations['al-1']).toMatchObject({
      step: 1,
      nextAt: T0 + 15 * MINUTE,
    });
  });

  it('hands the deliveries left pending by the previous run to the outbox at once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigie-alarm-outbox-'));
    dirs.push(dir);
    const path = join(dir, 'alarms.duckdb');
    const first = await start({ path, escalation: escalation() });
    first.service.raise(signal('a-sw-1'));
    await first.service.stop();
    await first.store.close();
    const second = await start({ path, escalation: escalation() });
    const sent: string[] = [];
    second.service.attachOutbox({ enqueue: (entries) => sent.push(...entries.map((e) => e.key)) });
    expect(sent).toEqual(['al-1/0/0/webhook:itsm']);
    // Nothing is fired twice: the restored record says step 1 ran.
    second.clock.advance(MINUTE);
    await second.service.settled();
    expect(sent).toEqual(['al-1/0/0/webhook:itsm']);
  });

  it('fires the next step at once when an operator forces it, audited', async () => {
    const { service, audit, clock, sent } = await withOutbox();
    service.raise(signal('a-sw-1'));
    await service.settled();
    clock.set(T0 + 2 * MINUTE);
    await service.escalate('al-1', seat, 'nobody answers');
    await service.settled();
    expect(sent).toEqual(['al-1/0/0/webhook:itsm', `al-1/0/1/manual-${T0 + 2 * MINUTE}/webhook:itsm`]);
    expect(audit.entries.map((e) => e.action)).toEqual(['alarms.escalate']);
  });

  it('does not escalate when the audit log cannot record the forced step', async () => {
    const { service, audit, clock, sent, store } = await withOutbox();
    service.raise(signal('a-sw-1'));
    await service.settled();
    clock.set(T0 + 2 * MINUTE);
    audit.failing = new Error('audit down');
    await expect(service.escalate('al-1', seat, 'nobody answers')).rejects.toThrow('audit down');
    await service.settled();
    expect(sent).toEqual(['al-1/0/0/webhook:itsm']);
    expect((await store.history('al-1', 10, never())).filter((h) => h.actor === 'seat-1')).toEqual([]);
  });
});
