/**
 * The words of an alarm notification (e-mail subject and body, the webhook's summary) in the
 * configured language, from the same catalogs as the console: the cause is translated from its
 * code (`alarm.cause.<code>`), or shown as the code when no text exists, never dropped.
 */
import type { Alarm } from '../../../../shared/domain/alarm';
import { isMessageKey, translate, type Locale } from '../../../../shared/i18n';
import type { NotificationReason, NotificationText } from './escalation';

export function notificationText(locale: Locale, timeZone: string): NotificationText {
  const when = new Intl.DateTimeFormat(locale, {
    timeZone,
    dateStyle: 'short',
    timeStyle: 'medium',
  });
  const cause = (alarm: Alarm): string => {
    const key = `alarm.cause.${alarm.cause.code}`;
    return isMessageKey(key) ? translate(locale, key, alarm.cause.params) : alarm.cause.code;
  };
  return {
    subject(alarm) {
      return translate(locale, 'notify.subject', {
        severity: translate(locale, `notify.severity.${alarm.severity}`),
        subject: alarm.subject.name,
        cause: cause(alarm),
      });
    },
    body(alarm: Alarm, reason: NotificationReason, targets: readonly string[]) {
      const lines = [
        translate(locale, `notify.reason.${reason}`),
        '',
        translate(locale, 'notify.line.subject', {
          subject: alarm.subject.name,
          zone: alarm.subject.zoneId ?? translate(locale, 'notify.noZone'),
        }),
        translate(locale, 'notify.line.cause', { cause: cause(alarm) }),
        translate(locale, 'notify.line.severity', {
          severity: translate(locale, `notify.severity.${alarm.severity}`),
        }),
        translate(locale, 'notify.line.state', { state: translate(locale, `notify.state.${alarm.state}`) }),
        translate(locale, 'notify.line.raised', { at: when.format(alarm.raisedAt) }),
      ];
      if (alarm.ack)
        lines.push(
          translate(locale, 'notify.line.acknowledged', {
            by: alarm.ack.by,
            at: when.format(alarm.ack.at),
            comment: alarm.ack.comment,
          }),
        );
      if (targets.length > 0)
        lines.push(translate(locale, 'notify.line.targets', { targets: targets.join(', ') }));
      lines.push(
        translate(locale, 'notify.line.id', { id: alarm.id }),
        '',
        translate(locale, 'notify.footer', { id: alarm.id }),
      );
      return lines.join('\n');
    },
  };
}
