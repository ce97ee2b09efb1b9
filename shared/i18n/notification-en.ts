/**
 * English strings of the alarm notifications Vigie sends (e-mail, webhook summary), merged into
 * the English catalog: the reference set of these keys. Placeholders are `{name}`.
 */
export const notificationEn = {
  'notify.subject': '[{severity}] {subject}: {cause}',
  'notify.reason.raised': 'A new alarm was raised.',
  'notify.reason.escalated': 'This alarm is escalated to you: it is still not handled.',
  'notify.reason.renotified': 'Reminder: this alarm was acknowledged but is still not resolved.',
  'notify.line.subject': 'Subject: {subject} ({zone})',
  'notify.line.cause': 'Cause: {cause}',
  'notify.line.severity': 'Severity: {severity}',
  'notify.line.state': 'State: {state}',
  'notify.line.raised': 'Raised: {at}',
  'notify.line.acknowledged': 'Acknowledged by {by} at {at}: {comment}',
  'notify.line.targets': 'Notified: {targets}',
  'notify.line.id': 'Alarm: {id}',
  'notify.footer': 'Acknowledge it in the Vigie console, or with: vigie alarms ack {id} --comment "..."',
  'notify.severity.critical': 'CRITICAL',
  'notify.severity.major': 'MAJOR',
  'notify.severity.minor': 'MINOR',
  'notify.severity.warning': 'WARNING',
  'notify.severity.info': 'INFO',
  'notify.state.outstanding': 'outstanding',
  'notify.state.acknowledged': 'acknowledged',
  'notify.state.snoozed': 'snoozed',
  'notify.state.resolved': 'resolved',
  'notify.state.closed': 'closed',
  'notify.noZone': 'no zone',
} as const;
