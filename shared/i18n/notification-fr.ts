/** Chaînes françaises des notifications d'alarme (e-mail, résumé du webhook). */
import type { notificationEn } from './notification-en';

export const notificationFr: Record<keyof typeof notificationEn, string> = {
  'notify.subject': '[{severity}] {subject} : {cause}',
  'notify.reason.raised': 'Une nouvelle alarme a été levée.',
  'notify.reason.escalated': 'Cette alarme vous est escaladée : elle n’est toujours pas prise en charge.',
  'notify.reason.renotified': 'Rappel : cette alarme a été acquittée mais n’est toujours pas résolue.',
  'notify.line.subject': 'Objet : {subject} ({zone})',
  'notify.line.cause': 'Cause : {cause}',
  'notify.line.severity': 'Sévérité : {severity}',
  'notify.line.state': 'État : {state}',
  'notify.line.raised': 'Levée : {at}',
  'notify.line.acknowledged': 'Acquittée par {by} le {at} : {comment}',
  'notify.line.targets': 'Notifiés : {targets}',
  'notify.line.id': 'Alarme : {id}',
  'notify.footer': 'Acquittez-la dans la console Vigie, ou avec : vigie alarms ack {id} --comment "..."',
  'notify.severity.critical': 'CRITIQUE',
  'notify.severity.major': 'MAJEURE',
  'notify.severity.minor': 'MINEURE',
  'notify.severity.warning': 'AVERTISSEMENT',
  'notify.severity.info': 'INFO',
  'notify.state.outstanding': 'en attente',
  'notify.state.acknowledged': 'acquittée',
  'notify.state.snoozed': 'reportée',
  'notify.state.resolved': 'résolue',
  'notify.state.closed': 'clôturée',
  'notify.noZone': 'aucune zone',
};
