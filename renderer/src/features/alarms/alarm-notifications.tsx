/**
 * `alarms.notified`, on this seat: a desktop notification when the operator allowed them (asked
 * on a click, see sound-controls.tsx), otherwise a toast in the console, so an announcement is
 * never lost for a missing permission. Toasts leave after a minute or when dismissed.
 */
import { useEffect, useRef, useState } from 'react';
import type { AlarmNotified } from '../../../../shared/api';
import { useApi } from '../../lib/api/api-context';
import { useClock, useNow } from '../../lib/clock/clock-context';
import { useI18n } from '../../lib/i18n/i18n-context';
import { causeText, type TextContext } from './alarm-text';
import { SeverityBadge } from './severity-icon';
import { useTextContext } from './use-text-context';

const TOAST_MS = 60_000;
const MAX_TOASTS = 4;

interface Toast {
  readonly key: string;
  readonly event: AlarmNotified;
  readonly shownAt: number;
}

function notificationText(context: TextContext, event: AlarmNotified): { title: string; body: string } {
  const { t } = context;
  return {
    title: t('alarms.notify.title', {
      severity: t(`alarm.severity.${event.alarm.severity}`),
      subject: event.alarm.subject.name,
    }),
    body: t('alarms.notify.body', {
      reason: t(`alarms.notify.reason.${event.reason}`),
      cause: causeText(context, event.alarm.cause),
    }),
  };
}

function desktopAllowed(): boolean {
  return typeof Notification !== 'undefined' && Notification.permission === 'granted';
}

export function AlarmNotifications({ onShow }: { onShow: (alarmId: string) => void }) {
  const { t } = useI18n();
  const { transport } = useApi();
  const clock = useClock();
  const now = useNow();
  const context = useTextContext();
  const [toasts, setToasts] = useState<readonly Toast[]>([]);
  // The latest texts and callback, read by the one subscription below.
  const latest = useRef({ context, onShow });
  useEffect(() => {
    latest.current = { context, onShow };
  }, [context, onShow]);

  useEffect(() => {
    function onNotified(event: AlarmNotified): void {
      const { title, body } = notificationText(latest.current.context, event);
      if (desktopAllowed()) {
        const notification = new Notification(title, { body, tag: `vigie-alarm-${event.alarm.id}` });
        notification.onclick = () => {
          window.focus();
          latest.current.onShow(event.alarm.id);
        };
        return;
      }
      const shownAt = clock.now();
      setToasts((held) =>
        [
          { key: `${event.alarm.id}:${event.at}:${event.reason}`, event, shownAt },
          ...held.filter((toast) => shownAt - toast.shownAt < TOAST_MS),
        ].slice(0, MAX_TOASTS),
      );
    }
    try {
      return transport.bridge.on('alarms.notified', onNotified);
    } catch (err: unknown) {
      // A bridge whose allow-list predates the event: no announcements, the rest still works.
      console.warn('[vigie] alarm notifications are not available on this bridge', err);
      return undefined;
    }
  }, [transport, clock]);

  const shown = toasts.filter((toast) => now - toast.shownAt < TOAST_MS);
  const dismiss = (key: string) => setToasts((held) => held.filter((toast) => toast.key !== key));
  return (
    <section className="alarm-toasts" aria-label={t('alarms.toast.label')} aria-live="polite">
      {shown.map((toast) => {
        const { title, body } = notificationText(context, toast.event);
        return (
          <div key={toast.key} className="alarm-toast" data-testid="alarm-toast">
            <SeverityBadge severity={toast.event.alarm.severity} />
            <p className="alarm-toast__title">{title}</p>
            <p className="alarm-toast__body">{body}</p>
            <div className="alarm-toast__actions">
              <button
                type="button"
                className="button button--small"
                onClick={() => {
                  dismiss(toast.key);
                  onShow(toast.event.alarm.id);
                }}
              >
                {t('alarms.toast.open')}
              </button>
              <button type="button" className="button button--small" onClick={() => dismiss(toast.key)}>
                {t('alarms.toast.dismiss')}
              </button>
            </div>
          </div>
        );
      })}
    </section>
  );
}
