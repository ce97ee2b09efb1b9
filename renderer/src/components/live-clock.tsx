import { useNow } from '../lib/clock/clock-context';
import { useI18n } from '../lib/i18n/i18n-context';

/** Wall-clock time in the operator's zone, with the zone's short name. */
export function LiveClock() {
  const { t, fmt, timeZone } = useI18n();
  const now = useNow();
  return (
    <time
      className="live-clock"
      dateTime={new Date(now).toISOString()}
      aria-label={t('clock.label', { zone: timeZone })}
    >
      <span className="live-clock__time">{fmt.clock(now)}</span>
      <span className="live-clock__zone">{fmt.zoneName(now)}</span>
    </time>
  );
}
