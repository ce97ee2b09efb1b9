/** Nederlandse teksten van de alarmmeldingen (e-mail, samenvatting van de webhook). */
import type { notificationEn } from './notification-en';

export const notificationNl: Record<keyof typeof notificationEn, string> = {
  'notify.subject': '[{severity}] {subject}: {cause}',
  'notify.reason.raised': 'Er is een nieuw alarm.',
  'notify.reason.escalated': 'Dit alarm wordt naar u geëscaleerd: het is nog steeds niet opgenomen.',
  'notify.reason.renotified': 'Herinnering: dit alarm is bevestigd maar nog steeds niet opgelost.',
  'notify.line.subject': 'Onderwerp: {subject} ({zone})',
  'notify.line.cause': 'Oorzaak: {cause}',
  'notify.line.severity': 'Ernst: {severity}',
  'notify.line.state': 'Status: {state}',
  'notify.line.raised': 'Gemeld: {at}',
  'notify.line.acknowledged': 'Bevestigd door {by} op {at}: {comment}',
  'notify.line.targets': 'Verwittigd: {targets}',
  'notify.line.id': 'Alarm: {id}',
  'notify.footer': 'Bevestig het in de Vigie-console, of met: vigie alarms ack {id} --comment "..."',
  'notify.severity.critical': 'KRITIEK',
  'notify.severity.major': 'ERNSTIG',
  'notify.severity.minor': 'GERING',
  'notify.severity.warning': 'WAARSCHUWING',
  'notify.severity.info': 'INFO',
  'notify.state.outstanding': 'openstaand',
  'notify.state.acknowledged': 'bevestigd',
  'notify.state.snoozed': 'uitgesteld',
  'notify.state.resolved': 'opgelost',
  'notify.state.closed': 'afgesloten',
  'notify.noZone': 'geen zone',
};
