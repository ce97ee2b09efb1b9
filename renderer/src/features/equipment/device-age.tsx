/** Ages tick with the shared clock; only these small elements re-render every second. */
import { useNow } from '../../lib/clock/clock-context';
import { useI18n } from '../../lib/i18n/i18n-context';
import type { DeviceState } from './device-state';

/** "12 sec ago", or "never" without a time. */
export function Age({ at, testId }: { at: number | null; testId?: string }) {
  const { t, fmt } = useI18n();
  const now = useNow();
  return <span data-testid={testId}>{at === null ? t('tile.never') : fmt.age(now - at)}</span>;
}

/** "14:02 (8 min ago)": a time in the operator's zone with its age. */
export function TimeAndAge({ at, testId }: { at: number | null; testId?: string }) {
  const { t, fmt } = useI18n();
  const now = useNow();
  if (at === null) return <span data-testid={testId}>{t('detail.never')}</span>;
  return (
    <span data-testid={testId}>
      {t('equipment.timeAndAge', { time: fmt.time(at, now), age: fmt.age(now - at) })}
    </span>
  );
}

interface SinceProps {
  readonly at: number | null;
  readonly freshness: DeviceState['freshness'];
  readonly id?: string | undefined;
  readonly className?: string | undefined;
}

function Since({ at, id, className, freshness }: SinceProps) {
  const { t, fmt } = useI18n();
  const now = useNow();
  return (
    <span className={className} id={id} data-testid="device-no-data" data-freshness={freshness}>
      {at === null
        ? t('tile.noDataYet')
        : t('equipment.noDataSince', { time: fmt.time(at, now), age: fmt.age(now - at) })}
    </span>
  );
}

/**
 * For a device whose data is not current: "No data since 14:02 (8 min ago)", or "No data
 * received yet" when it never answered. Nothing for a fresh device (which then does not tick).
 */
export function NoDataSince({
  state,
  id,
  className,
}: {
  state: DeviceState;
  id?: string | undefined;
  className?: string | undefined;
}) {
  if (state.freshness === 'fresh') return null;
  return <Since at={state.lastSuccessAt} freshness={state.freshness} id={id} className={className} />;
}
