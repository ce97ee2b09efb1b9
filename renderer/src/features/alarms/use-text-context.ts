/** What alarm texts need from the console: the language, its formatters, and the zones' names. */
import { useMemo } from 'react';
import { useOverview } from '../../lib/api/queries';
import { useI18n } from '../../lib/i18n/i18n-context';
import type { TextContext } from './alarm-text';

export function useTextContext(): TextContext {
  const { t, fmt, locale } = useI18n();
  const zones = useOverview().data?.zones;
  return useMemo(() => {
    const names = new Map((zones ?? []).map((zone) => [zone.id, zone.name]));
    return { t, fmt, locale, zoneName: (zoneId: string) => names.get(zoneId) ?? zoneId };
  }, [t, fmt, locale, zones]);
}
