/**
 * The alarm engine: sources raise and clear conditions by key, operators move alarms through
 * their lifecycle, zone-wide events are grouped under one parent, escalation runs on its timers.
 * It runs in the engine, so alarms live with no window open, and every seat sees the same ones.
 *
 * Durability: every change is written to the alarm store in one transaction before anything is
 * reported (events to seats, answers to operators); operator actions are audited before they
 * take effect. Source changes are batched for a few milliseconds into one commit (group commit),
 * so a storm of changes costs one transaction per batch, not per alarm.
 */
import { randomUUID } from 'node:crypto';
import type {
  AlarmDetail,
  AlarmList,
  AlarmsChanged,
  EscalationStatus,
  Handover,
  HandoverDigest,
} from '../../../../shared/api/alarms';
import {
  acknowledge,
  assign,
  changeSeverity,
  clear,
  close,
  compareAlarms,
  countAlarms,
  expireSnooze,
  group,
  openAlarm,
  raise,
  resolveManually,
  settleFlapping,
  snooze,
  unacknowledge,
  AlarmTransitionError,
  type Alarm,
  type AlarmHistoryEntry,
  type AlarmSeverity,
  type AlarmSignal,
  type AlarmState,
  type Assignee,
  type FlapPolicy,
  type Transition,
} from '../../../../shared/domain/alarm';
import { correlate, type CorrelationOptions } from '../../../../shared/domain/alarm-correlation';
import {
  activeWindowsFor,
  type MaintenanceSubject,
  type MaintenanceWindow,
} from '../../../../shared/domain/maintenance-window';
import { VigieError } from '../../../../shared/api';
import type { AlarmStore, EscalationRecord, OutboxEntry } from '../../ports/alarm-store';
import type { AuditLog } from '../../ports/audit-log';
import type { Clock } from '../../ports/clock';
import type { Logger } from '../../ports/logger';

/** Who acts: the seat and its role (identities arrive with issue 6). */
export interface AlarmActor {
  readonly seat: string;
  readonly role: string;
}

/** What escalation contributes to a batch: its records, outbox entries and history lines. */
export interface EscalationOutcome {
  readonly records: readonly EscalationRecord[];
  readonly outbox: readonly OutboxEntry[];
  readonly history: readonly AlarmHistoryEntry[];
  /** Desktop notifications to push once committed. */
  readonly notified: readonly {
    alarm: Alarm;
    reason: 'raised' | 'escalated' | 'renotified';
    targets: string[];
  }[];
}

/** The escalation side of the engine, as the alarm service drives it. */
export interface AlarmEscalation {
  /** Records loaded from the store at start. */
  restore(records: readonly EscalationRecord[]): void;
  /** Runs what is due for these alarms at `now` (and forced steps); returns what to commit. */
  run(alarms: readonly Alarm[], now: number, forced: ReadonlyMap<string, string>): EscalationOutcome;
  status(alarm: Alarm, now: number): EscalationStatus | null;
  /** When the next step of any alarm is due (null: nothing scheduled). */
  nextDue(alarms: readonly Alarm[], now: number): number | null;
}

export interface AlarmServiceDeps {
  readonly store: AlarmStore;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly flap: FlapPolicy;
  readonly correlation: CorrelationOptions;
  /** Resolved alarms close by themselves after this long (0: never). */
  readonly autoCloseResolvedMs: number;
  /** A subject's zone name, tags and ids, for maintenance scope and correlation parents. */
  readonly scopeOf: (subject: Alarm['subject']) => MaintenanceSubject;
  readonly zoneName: (zoneId: string) => string;
  readonly escalation?: AlarmEscalation;
  readonly newId?: () => string;
  /** Source changes wait this long to share one commit. */
  readonly batchMs?: number;
}

type ChangeListener = (change: AlarmsChanged) => void;
type NotifiedListener = (n: {
  alarm: Alarm;
  reason: 'raised' | 'escalated' | 'renotified';
  targets: string[];
  at: number;
}) => void;

const TICK_MS = 1000;
const MAINTENANCE_RECHECK_MS = 30_000;
const HISTORY_SHOWN = 500;

export class AlarmService {
  private readonly open = new Map<string, Alarm>();
  private readonly byKey = new Map<string, string>();
  private windows: MaintenanceWindow[] = [];
  private revision = 0;
  private pendingAlarms = new Map<string, Alarm>();
  private pendingHistory: AlarmHistoryEntry[] = [];
  private pendingEscalations: EscalationRecord[] = [];
  private pendingOutbox: OutboxEntry[] = [];
  private pendingNotified: {
    alarm: Alarm;
    reason: 'raised' | 'escalated' | 'renotified';
    targets: string[];
  }[] = [];
  private readonly forced = new Map<string, string>();
  private loadedOutbox: OutboxEntry[] = [];
  private outbox: { enqueue(entries: readonly OutboxEntry[]): void } | null = null;
  private flushChain: Promise<void> = Promise.resolve();
  private inFlight: Promise<void> | null = null;
  private nextFlush: Promise<void> | null = null;
  private flushScheduled: Promise<void> | null = null;
  private cancelBatch: (() => void) | null = null;
  private cancelTick: (() => void) | null = null;
  private sourceChanged = false;
  private lastMaintenanceCheck = 0;
  private stopped = false;
  private readonly changeListeners = new Set<ChangeListener>();
  private readonly notifiedListeners = new Set<NotifiedListener>();
  private readonly stopping = new AbortController();

  private constructor(private readonly deps: AlarmServiceDeps) {}

  static async open(deps: AlarmServiceDeps): Promise<AlarmService> {
    const service = new AlarmService(deps);
    const snapshot = await deps.store.load(service.stopping.signal);
    service.revision = snapshot.revision;
    for (const a of snapshot.alarms) {
      service.open.set(a.id, a);
      service.byKey.set(a.key, a.id);
    }
    service.windows = await deps.store.listMaintenance(service.stopping.signal);
    deps.escalation?.restore(snapshot.escalations);
    service.loadedOutbox = snapshot.outbox;
    service.lastMaintenanceCheck = deps.clock.now();
    service.tick();
    return service;
  }

  // ----------------------------------------------------------------------------------------
  // Sources

  /** The condition `signal.key` holds (a new alarm, a re-raise, or a change of severity or cause). */
  raise(signal: AlarmSignal): void {
    if (this.stopped) return;
    const id = this.byKey.get(signal.key);
    const current = id === undefined ? undefined : this.open.get(id);
    if (current === undefined) {
      const t = openAlarm(this.newId(), signal, this.maintenanceOf(signal.subject, signal.at));
      this.byKey.set(signal.key, t.alarm.id);
      this.apply(t);
    } else {
      const t = raise(current, signal, this.deps.flap);
      // The same condition reported again is no change: nothing to correlate or commit.
      if (!t) return;
      this.apply(t);
    }
    // Correlation groups alarms of a zone: a change without a zone cannot start or end a problem.
    if (signal.subject.zoneId !== null) this.sourceChanged = true;
    // Failures are logged by flush; sources do not wait for the commit.
    void this.scheduleFlush();
  }

  /**
   * The condition `key` cleared at its source. With `observedAt`, only if it was raised before
   * that instant (a poll older than a trap does not end what the trap said).
   */
  clear(key: string, at: number, observedAt?: number): void {
    if (this.stopped) return;
    const id = this.byKey.get(key);
    const current = id === undefined ? undefined : this.open.get(id);
    if (current === undefined) return;
    if (observedAt !== undefined && current.lastRaisedAt >= observedAt) return;
    const t = clear(current, at, this.deps.flap);
    if (!t) return;
    this.apply(t);
    if (current.subject.zoneId !== null) this.sourceChanged = true;
    // Failures are logged by flush; sources do not wait for the commit.
    void this.scheduleFlush();
  }

  /**
   * A source that reports its whole state at once (the tiles): `signals` hold now, and every
   * active alarm whose key starts with `prefix` and is not among them cleared.
   */
  reconcile(
    prefix: string,
    signals: readonly AlarmSignal[],
    at: number,
    holding: ReadonlySet<string> = new Set(),
  ): void {
    const keys = new Set(signals.map((s) => s.key));
    for (const s of signals) this.raise(s);
    for (const a of [...this.open.values()])
      if (a.active && a.key.startsWith(prefix) && !keys.has(a.key) && !holding.has(a.key))
        this.clear(a.key, at);
  }

  /** Where committed deliveries go; gets the ones left pending by the previous run at once. */
  attachOutbox(outbox: { enqueue(entries: readonly OutboxEntry[]): void }): void {
    this.outbox = outbox;
    outbox.enqueue(this.loadedOutbox);
    this.loadedOutbox = [];
  }

  /** A delivery's outcome, committed with a line in the alarm's history. */
  recordDelivery(entry: OutboxEntry, line: AlarmHistoryEntry): void {
    const state = this.open.get(entry.alarmId)?.state ?? 'closed';
    this.pendingOutbox.push(entry);
    this.pendingHistory.push({ ...line, from: state, to: state });
    // At once: the shorter the time between sending and recording it, the rarer a resend after a crash.
    void this.scheduleFlush(0);
  }

  // ----------------------------------------------------------------------------------------
  // Reads

  list(states: readonly AlarmState[] | undefined, limit: number): AlarmList {
    const wanted = states === undefined ? null : new Set(states);
    const all = [...this.open.values()]
      .filter((a) => wanted === null || wanted.has(a.state))
      .sort(compareAlarms);
    const alarms = all.slice(0, limit);
    const now = this.deps.clock.now();
    const escalations: AlarmList['escalations'] = {};
    for (const a of alarms) {
      const s = this.deps.escalation?.status(a, now) ?? null;
      if (s) escalations[a.id] = s;
    }
    return {
      revision: this.revision,
      alarms,
      counts: countAlarms(this.open.values()),
      truncated: all.length > limit,
      escalations,
    };
  }

  /** Every open alarm (for the handover digest, the CLI, the tray). */
  snapshot(): Alarm[] {
    return [...this.open.values()].sort(compareAlarms);
  }

  async get(id: string): Promise<AlarmDetail> {
    const alarm = this.open.get(id) ?? (await this.deps.store.alarms([id], this.stopping.signal))[0];
    if (!alarm) throw new VigieError('NOT_FOUND', `no alarm "${id}"`);
    await (this.nextFlush ?? this.flushChain).catch(() => undefined);
    await this.flushChain;
    const history = await this.deps.store.history(id, HISTORY_SHOWN, this.stopping.signal);
    const children = [...this.open.values()].filter((a) => a.parentId === id).sort(compareAlarms);
    const related = [...this.open.values()]
      .filter(
        (a) =>
          a.id !== id &&
          a.parentId !== id &&
          ((a.subject.kind === alarm.subject.kind && a.subject.id === alarm.subject.id) ||
            (alarm.parentId !== null && (a.id === alarm.parentId || a.parentId === alarm.parentId))),
      )
      .sort(compareAlarms)
      .slice(0, 100);
    return {
      alarm,
      history,
      children,
      related,
      escalation: this.deps.escalation?.status(alarm, this.deps.clock.now()) ?? null,
    };
  }

  async changedBetween(
    from: number,
    to: number,
    limit: number,
  ): Promise<{ alarms: Alarm[]; entries: AlarmHistoryEntry[] }> {
    await this.flushChain;
    return this.deps.store.changedBetween(from, to, limit, this.stopping.signal);
  }

  onChange(listener: ChangeListener): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  onNotified(listener: NotifiedListener): () => void {
    this.notifiedListeners.add(listener);
    return () => this.notifiedListeners.delete(listener);
  }

  // ----------------------------------------------------------------------------------------
  // Operator actions: audited, applied, committed, then answered.

  acknowledge(id: string, actor: AlarmActor, comment: string, mode: 'normal' | 'sticky'): Promise<Alarm> {
    return this.act(id, actor, 'alarms.acknowledge', { comment, mode }, (a, at) => {
      const own = acknowledge(a, actor.seat, comment, mode, at);
      return [own, ...this.cascade(a, at, (child) => acknowledge(child, actor.seat, comment, mode, at))];
    });
  }

  snooze(id: string, actor: AlarmActor, comment: string, minutes: number): Promise<Alarm> {
    return this.act(id, actor, 'alarms.snooze', { comment, minutes }, (a, at) => {
      const until = at + minutes * 60_000;
      return [
        snooze(a, actor.seat, comment, until, at),
        ...this.cascade(a, at, (child) => snooze(child, actor.seat, comment, until, at)),
      ];
    });
  }

  unacknowledge(id: string, actor: AlarmActor, comment: string): Promise<Alarm> {
    return this.act(id, actor, 'alarms.unacknowledge', { comment }, (a, at) => [
      unacknowledge(a, actor.seat, comment, at),
    ]);
  }

  resolve(id: string, actor: AlarmActor, comment: string): Promise<Alarm> {
    return this.act(id, actor, 'alarms.resolve', { comment }, (a, at) => [
      resolveManually(a, actor.seat, comment, at),
    ]);
  }

  close(id: string, actor: AlarmActor, comment: string): Promise<Alarm> {
    return this.act(id, actor, 'alarms.close', { comment }, (a, at) => [
      close(a, actor.seat, comment || null, at),
    ]);
  }

  assign(id: string, actor: AlarmActor, assignee: Assignee | null, comment: string): Promise<Alarm> {
    return this.act(
      id,
      actor,
      'alarms.assign',
      { comment, assignee: assignee === null ? null : `${assignee.kind}:${assignee.id}` },
      (a, at) => [assign(a, actor.seat, assignee, comment, at)],
    );
  }

  setSeverity(id: string, actor: AlarmActor, severity: AlarmSeverity, comment: string): Promise<Alarm> {
    return this.act(id, actor, 'alarms.setSeverity', { comment, severity }, (a, at) => [
      changeSeverity(a, actor.seat, severity, comment, at),
    ]);
  }

  /** Runs the alarm's next escalation step now. */
  escalate(id: string, actor: AlarmActor, comment: string): Promise<Alarm> {
    if (!this.deps.escalation)
      return Promise.reject(
        new VigieError('CONFLICT', 'no escalation policy is configured (alarms.policies)'),
      );
    return this.act(id, actor, 'alarms.escalate', { comment }, (a) => {
      if (a.state === 'resolved' || a.state === 'closed')
        throw new AlarmTransitionError(
          'CONFLICT',
          `alarm ${a.id} is ${a.state}: there is nothing to escalate`,
        );
      if (this.deps.escalation?.status(a, this.deps.clock.now()) === null)
        throw new AlarmTransitionError('CONFLICT', `no escalation policy applies to alarm ${a.id}`);
      return [];
    }).then(async (alarm) => {
      // Forced only once the audit log holds it: an escalation it could not record fires nothing.
      this.forced.set(id, actor.seat);
      await this.scheduleFlush(0);
      return alarm;
    });
  }

  // ----------------------------------------------------------------------------------------
  // Maintenance windows

  maintenanceWindows(): MaintenanceWindow[] {
    return [...this.windows];
  }

  async saveMaintenance(window: MaintenanceWindow, actor: AlarmActor): Promise<MaintenanceWindow> {
    const existed = this.windows.some((w) => w.id === window.id);
    await this.deps.audit.append({
      at: this.deps.clock.now(),
      actor: actor.seat,
      role: actor.role,
      action: existed ? 'maintenance.update' : 'maintenance.create',
      target: window.id,
      details: {
        title: window.title,
        reason: window.reason,
        schedule: JSON.stringify(window.schedule),
        scope: JSON.stringify(window.scope),
      },
    });
    await this.deps.store.saveMaintenance(window, this.stopping.signal);
    this.windows = [...this.windows.filter((w) => w.id !== window.id), window];
    this.recheckMaintenance(this.deps.clock.now());
    await this.scheduleFlush(0);
    return window;
  }

  async deleteMaintenance(id: string, actor: AlarmActor, reason: string): Promise<void> {
    if (!this.windows.some((w) => w.id === id))
      throw new VigieError('NOT_FOUND', `no maintenance window "${id}"`);
    await this.deps.audit.append({
      at: this.deps.clock.now(),
      actor: actor.seat,
      role: actor.role,
      action: 'maintenance.delete',
      target: id,
      details: { reason },
    });
    await this.deps.store.deleteMaintenance(id, this.stopping.signal);
    this.windows = this.windows.filter((w) => w.id !== id);
    this.recheckMaintenance(this.deps.clock.now());
    await this.scheduleFlush(0);
  }

  // ----------------------------------------------------------------------------------------
  // Handover

  digest(since: number): HandoverDigest {
    const now = this.deps.clock.now();
    const open = this.snapshot();
    const escalating: HandoverDigest['escalating'] = [];
    for (const a of open) {
      const s = this.deps.escalation?.status(a, now) ?? null;
      if (s && s.nextAt !== null) escalating.push({ alarm: a, escalation: s });
    }
    return {
      at: now,
      counts: countAlarms(open),
      outstanding: open.filter((a) => a.state === 'outstanding'),
      acknowledged: open.filter((a) => a.state === 'acknowledged'),
      snoozed: open.filter((a) => a.state === 'snoozed'),
      escalating,
      raisedSince: since,
      raisedCount: open.filter((a) => a.lastRaisedAt >= since).length,
    };
  }

  async saveHandover(
    handover: Handover,
    actor: AlarmActor,
    action: 'handover.submit' | 'handover.acknowledge',
  ): Promise<void> {
    await this.deps.audit.append({
      at: this.deps.clock.now(),
      actor: actor.seat,
      role: actor.role,
      action,
      target: handover.id,
      details: { notes: handover.notes.slice(0, 2000), outstanding: handover.digest.outstanding.length },
    });
    await this.deps.store.saveHandover(handover, this.stopping.signal);
  }

  listHandovers(limit: number): Promise<Handover[]> {
    return this.deps.store.listHandovers(limit, this.stopping.signal);
  }

  // ----------------------------------------------------------------------------------------

  /** Writes what is pending, then stops the timers. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.cancelTick?.();
    this.cancelBatch?.();
    await this.flush();
    await this.flushChain;
    this.stopping.abort();
  }

  /** Resolves when everything applied so far is committed (tests, CLI). */
  settled(): Promise<void> {
    return this.scheduleFlush(0);
  }

  private newId(): string {
    return this.deps.newId?.() ?? randomUUID();
  }

  private apply(t: Transition): void {
    const { alarm } = t;
    if (alarm.state === 'closed') {
      this.open.delete(alarm.id);
      if (this.byKey.get(alarm.key) === alarm.id) this.byKey.delete(alarm.key);
    } else {
      this.open.set(alarm.id, alarm);
    }
    this.pendingAlarms.set(alarm.id, alarm);
    this.pendingHistory.push(...t.entries);
  }

  private cascade(parent: Alarm, at: number, fn: (child: Alarm) => Transition): Transition[] {
    if (parent.origin !== 'correlation') return [];
    const out: Transition[] = [];
    for (const child of this.open.values()) {
      if (child.parentId !== parent.id || (child.state !== 'outstanding' && child.state !== 'snoozed'))
        continue;
      const t = fn(child);
      out.push({
        alarm: t.alarm,
        entries: t.entries.map((e) => ({ ...e, at, details: { ...e.details, via: parent.id } })),
      });
    }
    return out;
  }

  private async act(
    id: string,
    actor: AlarmActor,
    action: string,
    details: Record<string, string | number | boolean | null>,
    change: (alarm: Alarm, at: number) => Transition[],
  ): Promise<Alarm> {
    if (this.stopped) throw new VigieError('CONFLICT', 'the alarm engine is stopping');
    const before = this.open.get(id);
    if (!before) {
      const closed = (await this.deps.store.alarms([id], this.stopping.signal))[0];
      throw closed
        ? new VigieError('CONFLICT', `alarm ${id} is closed`)
        : new VigieError('NOT_FOUND', `no alarm "${id}"`);
    }
    const at = this.deps.clock.now();
    // Checked before it is recorded: a refused action is not in the audit log as done.
    let transitions: Transition[];
    try {
      transitions = change(before, at);
    } catch (err: unknown) {
      if (err instanceof AlarmTransitionError) throw new VigieError(err.code, err.message, { cause: err });
      throw err;
    }
    await this.deps.audit.append({ at, actor: actor.seat, role: actor.role, action, target: id, details });
    // The alarm, or a child it cascades to, may have changed while the audit entry was written:
    // re-check on the current ones. One closed meanwhile stays closed.
    const current = this.open.get(id);
    if (current === undefined) throw new VigieError('CONFLICT', `alarm ${id} is closed`);
    try {
      transitions = change(current, at);
    } catch (err: unknown) {
      if (err instanceof AlarmTransitionError) throw new VigieError(err.code, err.message, { cause: err });
      throw err;
    }
    for (const t of transitions) this.apply(t);
    await this.scheduleFlush(0);
    const after = this.open.get(id) ?? transitions[0]?.alarm ?? before;
    return after;
  }

  private maintenanceOf(subject: Alarm['subject'], at: number): string[] {
    return activeWindowsFor(this.windows, this.deps.scopeOf(subject), at).map((w) => w.id);
  }

  private recheckMaintenance(at: number): void {
    this.lastMaintenanceCheck = at;
    for (const a of [...this.open.values()]) {
      const ids = this.maintenanceOf(a.subject, at);
      if (ids.join('\n') === a.maintenance.join('\n')) continue;
      this.apply({ alarm: { ...a, maintenance: ids, changedAt: at }, entries: [] });
    }
  }

  private correlateNow(at: number): void {
    const parentKey = (a: Alarm): string | null =>
      a.parentId === null ? null : (this.open.get(a.parentId)?.key ?? null);
    const problems = correlate([...this.open.values()], parentKey, this.deps.correlation);
    const seen = new Set<string>();
    for (const p of problems) {
      seen.add(p.key);
      const existing = this.byKey.get(p.key);
      if (p.active) {
        const name = this.deps.zoneName(p.zoneId);
        this.raise({
          key: p.key,
          origin: 'correlation',
          subject: { kind: 'zone', id: p.zoneId, zoneId: p.zoneId, name },
          cause: { code: p.causeCode, params: { zone: name } },
          severity: p.severity,
          at,
        });
      } else if (existing !== undefined) this.clear(p.key, at);
      const parentId = this.byKey.get(p.key);
      if (parentId === undefined) continue;
      const parent = this.open.get(parentId);
      for (const childId of p.childIds) {
        const child = this.open.get(childId);
        if (!child) continue;
        const t = group(child, parentId, at);
        if (t) this.apply(t);
        const current = t?.alarm ?? child;
        // A consequence that shows up (or comes back) after the problem was taken is taken with
        // it; one an operator took back by hand stays outstanding.
        const ack = parent?.ack;
        if (
          current.state !== 'outstanding' ||
          !ack ||
          (parent.state !== 'acknowledged' && parent.state !== 'snoozed') ||
          current.lastRaisedAt < ack.at
        )
          continue;
        const inherited =
          ack.mode === 'timed' && ack.until !== null
            ? ack.until > at
              ? snooze(current, ack.by, ack.comment, ack.until, at)
              : null
            : acknowledge(current, ack.by, ack.comment, ack.mode === 'sticky' ? 'sticky' : 'normal', at);
        if (inherited)
          this.apply({
            alarm: inherited.alarm,
            entries: inherited.entries.map((e) => ({
              ...e,
              actor: 'engine',
              details: { ...e.details, via: parentId, by: ack.by },
            })),
          });
      }
    }
    for (const a of [...this.open.values()])
      if (a.origin === 'correlation' && a.active && !seen.has(a.key)) this.clear(a.key, at);
  }

  private housekeeping(at: number): void {
    for (const a of [...this.open.values()]) {
      const expired = expireSnooze(a, at);
      if (expired) this.apply(expired);
      const settled = settleFlapping(this.open.get(a.id) ?? a, at, this.deps.flap);
      if (settled) this.apply(settled);
      const current = this.open.get(a.id);
      if (
        current &&
        this.deps.autoCloseResolvedMs > 0 &&
        current.state === 'resolved' &&
        current.resolvedAt !== null &&
        at - current.resolvedAt >= this.deps.autoCloseResolvedMs &&
        // A parent closes only once its children have.
        ![...this.open.values()].some((c) => c.parentId === current.id)
      )
        this.apply(close(current, 'engine', 'closed automatically after resolution', at));
    }
    if (at - this.lastMaintenanceCheck >= MAINTENANCE_RECHECK_MS) this.recheckMaintenance(at);
  }

  private tick(): void {
    if (this.stopped) return;
    const at = this.deps.clock.now();
    this.housekeeping(at);
    void this.scheduleFlush(0);
    this.cancelTick = this.deps.clock.setTimeout(() => this.tick(), TICK_MS);
  }

  /** A flush after `delayMs` (the batch window of sources), shared by every change until then. */
  private scheduleFlush(delayMs = this.deps.batchMs ?? 20): Promise<void> {
    if (delayMs === 0) {
      this.cancelBatch?.();
      this.cancelBatch = null;
      this.flushScheduled = null;
      return this.flush();
    }
    if (this.flushScheduled) return this.flushScheduled;
    this.flushScheduled = new Promise<void>((resolve, reject) => {
      this.cancelBatch = this.deps.clock.setTimeout(() => {
        this.flushScheduled = null;
        this.cancelBatch = null;
        this.flush().then(resolve, reject);
      }, delayMs);
    });
    this.flushScheduled.catch(() => undefined);
    return this.flushScheduled;
  }

  /**
   * Commits what is pending. One commit at a time: while one is in flight, changes gather and go
   * in one commit right after it (under load, fewer and larger transactions instead of a queue).
   */
  private flush(): Promise<void> {
    if (this.inFlight === null) return this.flushNow();
    this.nextFlush ??= this.inFlight
      .catch(() => undefined)
      .then(() => {
        this.nextFlush = null;
        return this.flushNow();
      });
    return this.nextFlush;
  }

  private flushNow(): Promise<void> {
    const at = this.deps.clock.now();
    if (this.sourceChanged) {
      this.sourceChanged = false;
      this.correlateNow(at);
    }
    if (this.deps.escalation) {
      const outcome = this.deps.escalation.run([...this.open.values()], at, this.forced);
      this.forced.clear();
      this.pendingEscalations.push(...outcome.records);
      this.pendingOutbox.push(...outcome.outbox);
      this.pendingHistory.push(...outcome.history);
      this.pendingNotified.push(...outcome.notified);
    }
    if (
      this.pendingAlarms.size === 0 &&
      this.pendingHistory.length === 0 &&
      this.pendingEscalations.length === 0 &&
      this.pendingOutbox.length === 0
    )
      return this.flushChain;
    const revision = this.revision + 1;
    this.revision = revision;
    const alarms: Alarm[] = [];
    for (const pending of this.pendingAlarms.values()) {
      const stamped = { ...pending, revision };
      alarms.push(stamped);
      // What seats are told and what the list shows carry the same revision.
      if (this.open.get(pending.id) === pending) this.open.set(pending.id, stamped);
    }
    const history = this.pendingHistory;
    const escalations = this.pendingEscalations;
    const outbox = this.pendingOutbox;
    const notified = this.pendingNotified;
    this.pendingAlarms = new Map();
    this.pendingHistory = [];
    this.pendingEscalations = [];
    this.pendingOutbox = [];
    this.pendingNotified = [];
    const write = async (): Promise<void> => {
      await this.deps.store.commit(
        { revision, alarms, history, escalations, outbox },
        new AbortController().signal,
      );
      if (alarms.length > 0) this.emitChange(revision, alarms, at);
      const toSend = outbox.filter((o) => o.status === 'pending' && o.attempts === 0);
      if (toSend.length > 0) this.outbox?.enqueue(toSend);
      for (const n of notified) for (const l of this.notifiedListeners) l({ ...n, at });
    };
    const next = this.flushChain.then(write);
    this.inFlight = next;
    this.flushChain = next
      .catch((err: unknown) => {
        this.deps.logger.error({ err }, 'alarm store commit failed');
      })
      .finally(() => {
        if (this.inFlight === next) this.inFlight = null;
      });
    return next;
  }

  private emitChange(revision: number, alarms: Alarm[], at: number): void {
    const escalations: AlarmsChanged['escalations'] = {};
    for (const a of alarms) escalations[a.id] = this.deps.escalation?.status(a, at) ?? null;
    const change: AlarmsChanged = { revision, alarms, counts: countAlarms(this.open.values()), escalations };
    for (const l of this.changeListeners) {
      try {
        l(change);
      } catch (err: unknown) {
        this.deps.logger.error({ err }, 'alarm change listener failed');
      }
    }
  }
}
