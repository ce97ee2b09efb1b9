/**
 * The `alarms` section of the configuration: threshold rules, flap damping and correlation, the
 * people, teams and on-call schedules alarms go to, escalation policies, and the channels
 * (e-mail, webhooks). Cross-references (a step naming an unknown team) are checked by
 * `alarmsConfigIssues`, each at the path of the field to fix.
 */
import { z } from 'zod';
import { ALARM_SEVERITIES } from '../../../shared/domain/alarm';
import { onCallScheduleSchema, scheduleIssues } from '../../../shared/domain/on-call';
import { readingKeySchema, tileKindSchema } from '../../../shared/api/overview';
import { idSchema } from '../inventory/schema';
import { notificationChannelsSchema } from './notifications-schema';

const severity = z.enum(ALARM_SEVERITIES);

/** Which subjects a rule or a policy is about; every given list must match (empty: any). */
const matchSchema = z
  .strictObject({
    devices: z.array(idSchema).max(10_000).default([]),
    services: z.array(idSchema).max(10_000).default([]),
    kinds: z.array(tileKindSchema).max(10).default([]),
    zones: z.array(idSchema).max(100).default([]),
    clients: z.array(idSchema).max(1000).default([]),
    /** The alarm's severity is at least this. */
    minSeverity: severity.optional(),
  })
  .prefault({});
export type SubjectMatch = z.infer<typeof matchSchema>;

export const thresholdRuleSchema = z
  .strictObject({
    id: idSchema,
    name: z.string().min(1).max(120),
    match: matchSchema,
    reading: readingKeySchema,
    /** `above`: raised when the reading reaches `raise` or more; `below`: `raise` or less. */
    direction: z.enum(['above', 'below']),
    raise: z.number(),
    /** Hysteresis: cleared only once the reading is back past this (default: `raise`). */
    clear: z.number().optional(),
    /** The condition must hold this long before the alarm is raised (and clear this long before it clears). */
    forSeconds: z.number().int().min(0).max(86_400).default(0),
    severity,
  })
  .superRefine((r, ctx) => {
    if (r.clear === undefined) return;
    const wrongSide = r.direction === 'above' ? r.clear > r.raise : r.clear < r.raise;
    if (wrongSide)
      ctx.addIssue({
        code: 'custom',
        path: ['clear'],
        message: `with direction "${r.direction}", clear must be ${r.direction === 'above' ? 'at most' : 'at least'} raise (${r.raise})`,
      });
  });
export type ThresholdRule = z.infer<typeof thresholdRuleSchema>;

const targetSchema = z.union([
  z.strictObject({ person: idSchema }),
  z.strictObject({ team: idSchema }),
  z.strictObject({ schedule: idSchema }),
]);
export type EscalationTarget = z.infer<typeof targetSchema>;

/** `desktop`: every seat's notification; `email`; `webhook:<id>`. */
const channelRefSchema = z.string().regex(/^(desktop|email|webhook:[A-Za-z0-9][A-Za-z0-9._-]{0,63})$/, {
  message: 'a channel is "desktop", "email" or "webhook:<id>"',
});

export const escalationPolicySchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1).max(120),
  match: matchSchema,
  steps: z
    .array(
      z.strictObject({
        /** Minutes after the round started (the alarm raised) when this step is due. */
        afterMinutes: z.number().min(0).max(10_080),
        /** The step runs only if the alarm is then still outstanding, or still unresolved. */
        when: z.enum(['notAcknowledged', 'notResolved']).default('notAcknowledged'),
        targets: z.array(targetSchema).min(1).max(20),
        channels: z.array(channelRefSchema).min(1).max(10).default(['desktop', 'email']),
      }),
    )
    .min(1)
    .max(20)
    .refine((steps) => steps.every((s, i) => i === 0 || s.afterMinutes >= steps[i - 1]!.afterMinutes), {
      message: 'steps must be in the order of their afterMinutes',
    }),
  /** Rounds after the first, while the alarm stays outstanding. */
  repeat: z.number().int().min(0).max(10).default(0),
  /** Minutes between the last step of a round and the next round. */
  repeatAfterMinutes: z.number().min(1).max(10_080).default(30),
  /** Re-notify an acknowledged alarm that is still not resolved this often (absent: never). */
  renotifyAcknowledgedAfterMinutes: z.number().min(1).max(10_080).optional(),
});
export type EscalationPolicy = z.infer<typeof escalationPolicySchema>;

const personSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1).max(120),
  email: z.email().optional(),
});
const teamSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1).max(120),
  members: z.array(idSchema).max(500).default([]),
  /** The team's shared mailbox, besides its members' addresses. */
  email: z.email().optional(),
});

export const alarmsConfigSchema = z
  .strictObject({
    thresholds: z.array(thresholdRuleSchema).max(1000).default([]),
    flap: z
      .strictObject({
        windowMinutes: z.number().min(1).max(1440).default(10),
        /** Raises and clears in the window that make an alarm flapping (its notifications held). */
        threshold: z.number().int().min(2).max(64).default(6),
      })
      .prefault({}),
    correlation: z
      .strictObject({
        windowMinutes: z.number().min(0.5).max(120).default(5),
        /** Alarms of one zone within the window that are grouped as one zone incident. */
        burstCount: z.number().int().min(2).max(1000).default(5),
      })
      .prefault({}),
    /** Resolved alarms close by themselves after this long (0: only by an operator). */
    autoCloseResolvedMinutes: z.number().min(0).max(43_200).default(720),
    people: z.array(personSchema).max(5000).default([]),
    teams: z.array(teamSchema).max(500).default([]),
    schedules: z.array(onCallScheduleSchema).max(200).default([]),
    policies: z.array(escalationPolicySchema).max(500).default([]),
    /** The language of e-mails and webhook texts. */
    notificationLocale: z.enum(['fr', 'nl', 'en']).optional(),
    channels: notificationChannelsSchema.prefault({}),
  })
  .prefault({});
export type AlarmsConfig = z.infer<typeof alarmsConfigSchema>;

/** References across the section that do not resolve, at the path of the field to fix. */
export function alarmsConfigIssues(
  config: AlarmsConfig,
  known: {
    readonly devices: ReadonlySet<string>;
    readonly services: ReadonlySet<string>;
    readonly zones: ReadonlySet<string>;
  },
): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const people = new Set(config.people.map((p) => p.id));
  const teams = new Set(config.teams.map((t) => t.id));
  const schedules = new Set(config.schedules.map((s) => s.id));
  const webhooks = new Set(config.channels.webhooks.map((w) => w.id));
  const unique = (ids: string[], path: string): void => {
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      if (seen.has(id)) issues.push({ path: [path, i, 'id'], message: `duplicate id "${id}"` });
      seen.add(id);
    });
  };
  unique(
    config.people.map((p) => p.id),
    'people',
  );
  unique(
    config.teams.map((t) => t.id),
    'teams',
  );
  unique(
    config.schedules.map((s) => s.id),
    'schedules',
  );
  unique(
    config.policies.map((p) => p.id),
    'policies',
  );
  unique(
    config.thresholds.map((t) => t.id),
    'thresholds',
  );
  config.teams.forEach((t, i) =>
    t.members.forEach((m, k) => {
      if (!people.has(m)) issues.push({ path: ['teams', i, 'members', k], message: `unknown person "${m}"` });
    }),
  );
  config.schedules.forEach((s, i) => {
    for (const issue of scheduleIssues(s, people))
      issues.push({ path: ['schedules', i, ...issue.path], message: issue.message });
  });
  const checkMatch = (match: SubjectMatch, path: (string | number)[]): void => {
    const lists = [
      ['devices', match.devices, known.devices],
      ['services', match.services, known.services],
      ['zones', match.zones, known.zones],
    ] as const;
    for (const [name, ids, set] of lists)
      ids.forEach((id, k) => {
        if (!set.has(id))
          issues.push({ path: [...path, 'match', name, k], message: `unknown ${name.slice(0, -1)} "${id}"` });
      });
  };
  config.thresholds.forEach((r, i) => checkMatch(r.match, ['thresholds', i]));
  config.policies.forEach((p, i) => {
    checkMatch(p.match, ['policies', i]);
    p.steps.forEach((step, k) => {
      step.targets.forEach((t, j) => {
        const path = ['policies', i, 'steps', k, 'targets', j];
        if ('person' in t && !people.has(t.person))
          issues.push({ path, message: `unknown person "${t.person}"` });
        if ('team' in t && !teams.has(t.team)) issues.push({ path, message: `unknown team "${t.team}"` });
        if ('schedule' in t && !schedules.has(t.schedule))
          issues.push({ path, message: `unknown schedule "${t.schedule}"` });
      });
      step.channels.forEach((c, j) => {
        const path = ['policies', i, 'steps', k, 'channels', j];
        if (c === 'email' && config.channels.email === undefined)
          issues.push({ path, message: 'channel "email" needs alarms.channels.email (SMTP server)' });
        if (c.startsWith('webhook:') && !webhooks.has(c.slice(8)))
          issues.push({ path, message: `unknown webhook "${c.slice(8)}"` });
      });
    });
  });
  return issues;
}
