/**
 * Escalation policies, as PagerDuty runs them: ordered steps with delays, each run only if the
 * alarm is then still not acknowledged (or not resolved), to people, teams or whoever is on call
 * in a schedule; rounds repeated while nobody acknowledges; re-notification of an acknowledged
 * alarm that stays unresolved. Held (not skipped) while the alarm is in maintenance, flapping or
 * grouped under a zone-wide problem (the parent escalates for all).
 *
 * Progress is data (EscalationRecord) committed with the alarm batch, and every delivery is an
 * outbox entry written in the same transaction before it is sent: after a crash the engine
 * continues from the recorded step, and a message is sent once (a retry carries the same key).
 */
import type { EscalationStatus } from '../../../../shared/api/alarms';
import { severityRank, type Alarm, type AlarmHistoryEntry } from '../../../../shared/domain/alarm';
import { onCallAt, type OnCallSchedule } from '../../../../shared/domain/on-call';
import type {
  AlarmsConfig,
  EscalationPolicy,
  EscalationTarget,
  SubjectMatch,
} from '../../config/alarms-schema';
import type { EscalationRecord, OutboxEntry } from '../../ports/alarm-store';
import type { AlarmEscalation, EscalationOutcome } from './alarm-service';

export interface SubjectFacts {
  readonly kind: string | null;
  readonly client: string | null;
}

/** Renders the text of an e-mail or webhook for an alarm (in the configured language). */
export interface NotificationText {
  subject(alarm: Alarm, reason: NotificationReason): string;
  body(alarm: Alarm, reason: NotificationReason, targets: readonly string[]): string;
}

export type NotificationReason = 'raised' | 'escalated' | 'renotified';

interface Recipients {
  readonly labels: string[];
  readonly emails: string[];
  readonly unresolved: string[];
}

const MINUTE = 60_000;

export function policyMatches(match: SubjectMatch, alarm: Alarm, facts: SubjectFacts): boolean {
  const s = alarm.subject;
  if (match.devices.length > 0 && !(s.kind === 'device' && match.devices.includes(s.id))) return false;
  if (match.services.length > 0 && !(s.kind === 'service' && match.services.includes(s.id))) return false;
  if (match.zones.length > 0 && (s.zoneId === null || !match.zones.includes(s.zoneId))) return false;
  if (match.kinds.length > 0 && (facts.kind === null || !(match.kinds as string[]).includes(facts.kind)))
    return false;
  if (match.clients.length > 0 && (facts.client === null || !match.clients.includes(facts.client)))
    return false;
  if (match.minSeverity !== undefined && severityRank(alarm.severity) < severityRank(match.minSeverity))
    return false;
  return true;
}

export class Escalation implements AlarmEscalation {
  private readonly records = new Map<string, EscalationRecord>();
  private readonly policies: ReadonlyMap<string, EscalationPolicy>;
  private readonly schedules: ReadonlyMap<string, OnCallSchedule>;

  constructor(
    private readonly config: AlarmsConfig,
    private readonly factsOf: (alarm: Alarm) => SubjectFacts,
    private readonly text: NotificationText,
  ) {
    this.policies = new Map(config.policies.map((p) => [p.id, p]));
    this.schedules = new Map(config.schedules.map((s) => [s.id, s]));
  }

  restore(records: readonly EscalationRecord[]): void {
    for (const r of records) this.records.set(r.alarmId, r);
  }

  /** The first policy (in configuration order) that matches the alarm. */
  policyFor(alarm: Alarm): EscalationPolicy | null {
    const facts = this.factsOf(alarm);
    return this.config.policies.find((p) => policyMatches(p.match, alarm, facts)) ?? null;
  }

  status(alarm: Alarm, now: number): EscalationStatus | null {
    const record = this.records.get(alarm.id);
    const policy = record ? this.policies.get(record.policyId) : this.policyFor(alarm);
    if (!policy) return null;
    const r = record ?? this.fresh(alarm, policy);
    return {
      policyId: policy.id,
      policyName: policy.name,
      step: r.step,
      stepCount: policy.steps.length,
      cycle: r.cycle,
      nextAt: this.held(alarm) === null ? this.nextAt(r, alarm, policy, now) : null,
      held: this.held(alarm),
    };
  }

  nextDue(alarms: readonly Alarm[], now: number): number | null {
    let next: number | null = null;
    for (const a of alarms) {
      const s = this.status(a, now);
      if (s?.nextAt != null && (next === null || s.nextAt < next)) next = s.nextAt;
    }
    return next;
  }

  run(alarms: readonly Alarm[], now: number, forced: ReadonlyMap<string, string>): EscalationOutcome {
    const records: EscalationRecord[] = [];
    const outbox: OutboxEntry[] = [];
    const history: AlarmHistoryEntry[] = [];
    const notified: EscalationOutcome['notified'][number][] = [];
    for (const alarm of alarms) {
      let record = this.records.get(alarm.id);
      // A re-raised alarm starts a new escalation.
      if (record && record.cycleStartedAt < alarm.lastRaisedAt && record.done) record = undefined;
      if (!record) {
        if (!alarm.active || alarm.state === 'resolved' || alarm.state === 'closed') continue;
        const policy = this.policyFor(alarm);
        if (!policy) continue;
        record = this.fresh(alarm, policy);
        this.records.set(alarm.id, record);
        records.push(record);
      }
      const policy = this.policies.get(record.policyId);
      if (!policy) continue;
      const before = record;
      const fire = (stepIndex: number, reason: NotificationReason, key: string, actor: string): void => {
        const step = policy.steps[stepIndex]!;
        const targets = reason === 'renotified' ? this.renotifyTargets(alarm, policy) : step.targets;
        const recipients = this.recipients(targets, now);
        for (const channel of step.channels) {
          if (channel === 'desktop') continue;
          if (channel === 'email' && recipients.emails.length === 0) continue;
          outbox.push({
            key: `${key}/${channel}`,
            alarmId: alarm.id,
            channel,
            payload: this.payload(alarm, reason, recipients, channel, `${key}/${channel}`),
            createdAt: now,
            status: 'pending',
            attempts: 0,
            nextAttemptAt: now,
            lastError: null,
          });
        }
        if (step.channels.includes('desktop')) notified.push({ alarm, reason, targets: recipients.labels });
        history.push({
          alarmId: alarm.id,
          at: now,
          actor,
          action: reason === 'renotified' ? 'notified' : 'escalated',
          comment: null,
          from: alarm.state,
          to: alarm.state,
          details: {
            policy: policy.id,
            step: stepIndex + 1,
            cycle: record!.cycle + 1,
            targets: recipients.labels.join(', '),
            channels: step.channels.join(', '),
          },
        });
        if (recipients.unresolved.length > 0)
          history.push({
            alarmId: alarm.id,
            at: now,
            actor: 'engine',
            action: 'notificationFailed',
            comment: null,
            from: alarm.state,
            to: alarm.state,
            details: { reason: 'nobody to notify', targets: recipients.unresolved.join(', ') },
          });
      };
      if (alarm.state === 'resolved' || alarm.state === 'closed' || !alarm.active) {
        record = { ...record, done: true };
      } else if (forced.has(alarm.id)) {
        const index = Math.min(record.step, policy.steps.length - 1);
        fire(index, 'escalated', `${alarm.id}/${record.cycle}/${index}/manual-${now}`, forced.get(alarm.id)!);
        record = { ...record, step: Math.min(record.step + 1, policy.steps.length), lastFiredAt: now };
      } else if (this.held(alarm) === null) {
        record = this.advance(record, alarm, policy, now, fire);
      }
      if (record !== before) {
        this.records.set(alarm.id, record);
        records.push(record);
      }
    }
    return { records, outbox, history, notified };
  }

  private fresh(alarm: Alarm, policy: EscalationPolicy): EscalationRecord {
    return {
      alarmId: alarm.id,
      policyId: policy.id,
      cycle: 0,
      step: 0,
      cycleStartedAt: alarm.lastRaisedAt,
      lastFiredAt: null,
      lastRenotifiedAt: null,
      done: false,
    };
  }

  private held(alarm: Alarm): EscalationStatus['held'] {
    if (alarm.state === 'resolved' || alarm.state === 'closed' || !alarm.active) return 'resolved';
    if (alarm.maintenance.length > 0) return 'maintenance';
    if (alarm.flapping) return 'flapping';
    if (alarm.parentId !== null) return 'grouped';
    return null;
  }

  private advance(
    start: EscalationRecord,
    alarm: Alarm,
    policy: EscalationPolicy,
    now: number,
    fire: (step: number, reason: NotificationReason, key: string, actor: string) => void,
  ): EscalationRecord {
    let r = start;
    for (let guard = 0; guard < 1000; guard += 1) {
      if (r.step < policy.steps.length) {
        const step = policy.steps[r.step]!;
        if (now < r.cycleStartedAt + step.afterMinutes * MINUTE) break;
        const due = step.when === 'notAcknowledged' ? alarm.state === 'outstanding' : alarm.active;
        // A re-raised alarm escalates anew: new messages, not retries of the first escalation's.
        const ref = alarm.occurrences > 1 ? `${alarm.id}#${alarm.occurrences}` : alarm.id;
        if (due) fire(r.step, 'escalated', `${ref}/${r.cycle}/${r.step}`, 'engine');
        r = { ...r, step: r.step + 1, lastFiredAt: due ? now : r.lastFiredAt };
        continue;
      }
      const roundEnd = r.cycleStartedAt + policy.steps[policy.steps.length - 1]!.afterMinutes * MINUTE;
      if (
        r.cycle < policy.repeat &&
        alarm.state === 'outstanding' &&
        now >= roundEnd + policy.repeatAfterMinutes * MINUTE
      ) {
        r = {
          ...r,
          cycle: r.cycle + 1,
          step: 0,
          cycleStartedAt: roundEnd + policy.repeatAfterMinutes * MINUTE,
        };
        continue;
      }
      break;
    }
    const every = policy.renotifyAcknowledgedAfterMinutes;
    if (every !== undefined && alarm.state === 'acknowledged' && alarm.ack !== null) {
      const since = Math.max(alarm.ack.at, r.lastRenotifiedAt ?? 0);
      if (now - since >= every * MINUTE) {
        fire(0, 'renotified', `${alarm.id}/renotify/${since}`, 'engine');
        r = { ...r, lastRenotifiedAt: now };
      }
    }
    return r;
  }

  private nextAt(r: EscalationRecord, alarm: Alarm, policy: EscalationPolicy, now: number): number | null {
    // The next step that will run as things stand (an acknowledged alarm skips the
    // not-acknowledged ones but still gets its not-resolved steps).
    for (let i = r.step; i < policy.steps.length; i += 1) {
      const step = policy.steps[i]!;
      if (step.when === 'notAcknowledged' && alarm.state !== 'outstanding') continue;
      return Math.max(now, r.cycleStartedAt + step.afterMinutes * MINUTE);
    }
    if (r.cycle < policy.repeat && alarm.state === 'outstanding') {
      const roundEnd = r.cycleStartedAt + policy.steps[policy.steps.length - 1]!.afterMinutes * MINUTE;
      return Math.max(now, roundEnd + policy.repeatAfterMinutes * MINUTE);
    }
    const every = policy.renotifyAcknowledgedAfterMinutes;
    if (every !== undefined && alarm.state === 'acknowledged' && alarm.ack !== null)
      return Math.max(alarm.ack.at, r.lastRenotifiedAt ?? 0) + every * MINUTE;
    return null;
  }

  /** Re-notification goes to whoever owns the alarm now: its assignee, else the first step's targets. */
  private renotifyTargets(alarm: Alarm, policy: EscalationPolicy): EscalationTarget[] {
    if (alarm.assignee?.kind === 'person') return [{ person: alarm.assignee.id }];
    if (alarm.assignee?.kind === 'team') return [{ team: alarm.assignee.id }];
    return policy.steps[0]!.targets;
  }

  /** People and addresses behind targets at `now`; a schedule with nobody on call is unresolved. */
  recipients(targets: readonly EscalationTarget[], now: number): Recipients {
    const people = new Map(this.config.people.map((p) => [p.id, p]));
    const teams = new Map(this.config.teams.map((t) => [t.id, t]));
    const labels: string[] = [];
    const emails = new Set<string>();
    const unresolved: string[] = [];
    const addPerson = (id: string): void => {
      const p = people.get(id);
      labels.push(p?.name ?? id);
      if (p?.email) emails.add(p.email);
    };
    for (const t of targets) {
      if ('person' in t) addPerson(t.person);
      else if ('team' in t) {
        const team = teams.get(t.team);
        labels.push(team?.name ?? t.team);
        if (team?.email) emails.add(team.email);
        for (const m of team?.members ?? []) {
          const p = people.get(m);
          if (p?.email) emails.add(p.email);
        }
      } else {
        const schedule = this.schedules.get(t.schedule);
        const on = schedule ? onCallAt(schedule, now) : null;
        if (on) addPerson(on.person);
        else unresolved.push(schedule?.name ?? t.schedule);
      }
    }
    return { labels, emails: [...emails].sort(), unresolved };
  }

  private payload(
    alarm: Alarm,
    reason: NotificationReason,
    recipients: Recipients,
    channel: string,
    key: string,
  ): unknown {
    if (channel === 'email')
      return {
        to: recipients.emails,
        subject: this.text.subject(alarm, reason),
        text: this.text.body(alarm, reason, recipients.labels),
        messageId: `${key.replace(/[^A-Za-z0-9.-]/g, '.')}@vigie`,
      };
    return {
      event: reason,
      key,
      alarm: {
        id: alarm.id,
        key: alarm.key,
        severity: alarm.severity,
        state: alarm.state,
        origin: alarm.origin,
        subject: alarm.subject,
        cause: alarm.cause,
        raisedAt: new Date(alarm.raisedAt).toISOString(),
        summary: this.text.subject(alarm, reason),
        assignee: alarm.assignee,
      },
      targets: recipients.labels,
    };
  }
}
