/** Ages tick with the shared clock; only these small elements re-render every second. */
import { useNow } from '../../lib/clock/clock-context';
import { useI18n } from '../../lib/i18n/i18n-context';

/** "12 sec ago" for the last good sample, or "never" when there was none. */
export function SampleAge({ at, id, testId }: { at: number | null; id?: string; testId?: string }) {
  const { t, fmt } = useI18n();
  const now = useNow();
  return (
    <span className="tile__age" id={id} data-testid={testId}>
      {at === null ? t('tile.never') : fmt.age(now - at)}
    </span>
  );
}

/** "No data since 14:02" (date added when it was another day), or "No data received yet". */
export function NoDataSince({ at, id }: { at: number | null; id?: string }) {
  const { t, fmt } = useI18n();
  const now = useNow();
  return (
    <span className="tile__no-data" id={id} data-testid="tile-no-data">
      {at === null ? t('tile.noDataYet') : t('tile.noDataSince', { time: fmt.time(at, now) })}
    </span>
  );
}
