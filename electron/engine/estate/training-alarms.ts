/**
 * The training estate's on-call organisation: a supervision team, two on-call rotations and an
 * escalation policy, so a drill shows the whole path of an alarm (raised, escalated to whoever is
 * on call when nobody acknowledges, re-notified when acknowledged but forgotten) with no
 * configuration. Desktop notifications only: the estate sends no e-mail. Used when the
 * configuration names no people and no policies; the names are fictitious.
 */
import { alarmsConfigSchema, type AlarmsConfig } from '../config/alarms-schema';

export function trainingAlarms(base: AlarmsConfig): AlarmsConfig {
  return alarmsConfigSchema.parse({
    thresholds: base.thresholds,
    flap: base.flap,
    correlation: base.correlation,
    autoCloseResolvedMinutes: base.autoCloseResolvedMinutes,
    people: [
      { id: 'claire', name: 'Claire Dubois (NOC)' },
      { id: 'pieter', name: 'Pieter Janssens (NOC)' },
      { id: 'sofia', name: 'Sofia Marchal (facilities)' },
      { id: 'tom', name: 'Tom Willems (facilities)' },
      { id: 'nadia', name: 'Nadia Haddad (network)' },
      { id: 'lucas', name: 'Lucas Peeters (network)' },
      { id: 'marc', name: 'Marc Lambert (duty manager)' },
    ],
    teams: [{ id: 'noc', name: 'Supervision (NOC)', members: ['claire', 'pieter'] }],
    schedules: [
      {
        id: 'facilities-oncall',
        name: 'Facilities on-call',
        timeZone: 'Europe/Brussels',
        rotations: [
          {
            id: 'daily',
            start: '2026-01-05T08:00',
            shift: { unit: 'days', count: 1 },
            members: ['sofia', 'tom'],
          },
        ],
      },
      {
        id: 'network-oncall',
        name: 'Network on-call',
        timeZone: 'Europe/Brussels',
        rotations: [
          {
            id: 'weekly',
            start: '2026-01-05T08:00',
            shift: { unit: 'days', count: 7 },
            members: ['nadia', 'lucas'],
          },
        ],
      },
    ],
    policies: [
      {
        id: 'training-network',
        name: 'Network: NOC, then network on-call',
        match: { kinds: ['switch'], minSeverity: 'minor' },
        steps: [
          { afterMinutes: 0, targets: [{ team: 'noc' }], channels: ['desktop'] },
          { afterMinutes: 2, targets: [{ schedule: 'network-oncall' }], channels: ['desktop'] },
          { afterMinutes: 5, when: 'notResolved', targets: [{ person: 'marc' }], channels: ['desktop'] },
        ],
        repeat: 1,
        repeatAfterMinutes: 10,
        renotifyAcknowledgedAfterMinutes: 30,
      },
      {
        id: 'training-default',
        name: 'NOC, then facilities on-call, then the duty manager',
        match: { minSeverity: 'minor' },
        steps: [
          { afterMinutes: 0, targets: [{ team: 'noc' }], channels: ['desktop'] },
          { afterMinutes: 2, targets: [{ schedule: 'facilities-oncall' }], channels: ['desktop'] },
          { afterMinutes: 5, when: 'notResolved', targets: [{ person: 'marc' }], channels: ['desktop'] },
        ],
        repeat: 1,
        repeatAfterMinutes: 10,
        renotifyAcknowledgedAfterMinutes: 30,
      },
    ],
  });
}
