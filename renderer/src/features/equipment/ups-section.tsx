/**
 * A UPS (UPS-MIB, RFC 1628): battery status, charge, runtime left, time on battery, output source
 * and load first, large; then battery, input and output lines, alarms. A UPS on battery says so
 * at the top of the section, with how long and how much runtime is left.
 */
import type { ReactNode } from 'react';
import type { ProfileReadingView, ProfileResultView } from '../../../../shared/api';
import { StatusIcon } from '../../components/status-icon';
import { useI18n } from '../../lib/i18n/i18n-context';
import { Age } from './device-age';
import { DeviceSection } from './device-sections';
import { enumLabel, formatSeconds, metricName } from './format-value';
import { readingOf, tableRows, type TableRow } from './profile-readings';
import { ReadingValue } from './reading-value';

/** On battery: the output comes from the battery, or the UPS counts time on battery (RFC 1628 upsSecondsOnBattery). */
export function onBattery(profile: ProfileResultView): boolean {
  const source = readingOf(profile, 'outputSource');
  const seconds = readingOf(profile, 'secondsOnBattery');
  return source?.label === 'battery' || (typeof seconds?.value === 'number' && seconds.value > 0);
}

function KeyFact({
  metric,
  reading,
  children,
}: {
  metric: string;
  reading: ProfileReadingView | null;
  children?: ReactNode;
}) {
  const i18n = useI18n();
  const status = reading?.value === null || !reading ? 'unknown' : reading.status;
  return (
    <div className={`eq-keyfact eq-keyfact--${status}`} data-testid={`ups-${metric}`} data-status={status}>
      <dt>{metricName(i18n, metric)}</dt>
      <dd>{children ?? <ReadingValue reading={reading} />}</dd>
    </div>
  );
}

function LinesTable({ title, rows, testId }: { title: string; rows: readonly TableRow[]; testId: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  if (rows.length === 0) return null;
  const metrics = [...new Set(rows.flatMap((row) => [...row.readings.keys()]))];
  return (
    <div className="eq-table-wrap">
      <table className="eq-table" data-testid={testId}>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{t('equipment.ups.line')}</th>
            {metrics.map((metric) => (
              <th key={metric} scope="col" className="eq-num">
                {metricName(i18n, metric)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.instance}>
              <th scope="row">{t('equipment.ups.lineNumber', { line: row.instance })}</th>
              {metrics.map((metric) => (
                <td key={metric} className="eq-num">
                  <ReadingValue reading={row.readings.get(metric)} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function UpsSection({
  profile,
  uptimeSeconds,
}: {
  profile: ProfileResultView;
  /** The agent's sysUpTime at the same poll, to tell how long ago an alarm was raised. */
  uptimeSeconds: number | null;
}) {
  const i18n = useI18n();
  const { t, fmt } = i18n;
  const get = (metric: string) => readingOf(profile, metric);
  const output = tableRows(profile, 'output');
  const input = tableRows(profile, 'input');
  const alarms = tableRows(profile, 'alarms');
  const alarmsTable = profile.tables.find((tb) => tb.name === 'alarms');
  const seconds = get('secondsOnBattery');
  const minutes = get('estimatedMinutesRemaining');
  const battery = onBattery(profile);
  const loads = output.map((row) => row.readings.get('outputPercentLoad') ?? null);
  const present = get('alarmsPresent');

  return (
    <DeviceSection
      title={t('equipment.ups.title')}
      testId="device-ups"
      wide
      aside={
        <span className="eq-section__aside">
          {t('equipment.readAt')} <Age at={profile.at} />
        </span>
      }
    >
      {battery ? (
        <p className="eq-ups-banner eq-ups-banner--battery" role="status" data-testid="ups-on-battery">
          <StatusIcon status="degraded" /> <strong>{t('equipment.ups.onBattery')}</strong>{' '}
          {typeof seconds?.value === 'number' &&
            t('equipment.ups.onBatteryFor', { duration: formatSeconds(i18n, seconds.value) })}{' '}
          {typeof minutes?.value === 'number' &&
            t('equipment.ups.runtimeLeft', { duration: formatSeconds(i18n, minutes.value * 60) })}
        </p>
      ) : (
        seconds?.value === 0 && (
          <p className="eq-ups-banner" data-testid="ups-on-mains">
            <StatusIcon status="up" /> {t('equipment.ups.onMains')}
          </p>
        )
      )}
      <dl className="eq-keyfacts">
        <KeyFact metric="batteryStatus" reading={get('batteryStatus')} />
        <KeyFact metric="estimatedChargeRemaining" reading={get('estimatedChargeRemaining')} />
        <KeyFact metric="estimatedMinutesRemaining" reading={minutes} />
        <KeyFact metric="secondsOnBattery" reading={seconds}>
          {/* RFC 1628: zero when not on battery, but also in the first second on it: the output
              source decides which. */}
          {seconds?.value === 0 && !battery ? t('equipment.ups.notOnBattery') : undefined}
        </KeyFact>
        <KeyFact metric="outputSource" reading={get('outputSource')} />
        <KeyFact metric="outputPercentLoad" reading={loads[0] ?? null}>
          {loads.length > 1 ? (
            <span className="eq-keyfact__list">
              {loads.map((load, index) => (
                <span key={output[index]?.instance ?? index}>
                  {t('equipment.ups.lineNumber', { line: output[index]?.instance ?? '' })}{' '}
                  <ReadingValue reading={load} />
                </span>
              ))}
            </span>
          ) : undefined}
        </KeyFact>
      </dl>
      <dl className="eq-facts eq-facts--columns">
        {(['batteryVoltage', 'batteryCurrent', 'batteryTemperature', 'outputFrequency'] as const).map(
          (metric) => (
            <div key={metric} className="eq-facts__item" data-testid={`ups-${metric}`}>
              <dt>{metricName(i18n, metric)}</dt>
              <dd>
                <ReadingValue reading={get(metric)} />
              </dd>
            </div>
          ),
        )}
        {(['manufacturer', 'model'] as const).map((metric) => (
          <div key={metric} className="eq-facts__item">
            <dt>{metricName(i18n, metric)}</dt>
            <dd>
              <ReadingValue reading={get(metric)} />
            </dd>
          </div>
        ))}
      </dl>
      <LinesTable title={t('equipment.ups.input')} rows={input} testId="ups-input" />
      <LinesTable title={t('equipment.ups.output')} rows={output} testId="ups-output" />
      <div className="eq-ups-alarms" data-testid="ups-alarms">
        <h3 className="eq-subtitle">
          {t('equipment.ups.alarms')} <ReadingValue reading={get('alarmsPresent')} />
        </h3>
        {alarmsTable?.rows === null ? (
          <p className="eq-muted">
            <StatusIcon status="unknown" /> {t('equipment.ups.alarmsUnreadable')}
          </p>
        ) : alarms.length === 0 ? (
          // The count and the table disagree (an agent without upsAlarmTable): never say "none".
          typeof present?.value === 'number' && present.value > 0 ? (
            <p className="eq-muted" data-testid="ups-alarms-unlisted">
              <StatusIcon status="degraded" />{' '}
              {t('equipment.ups.alarmsUnlisted', { count: fmt.number(present.value) })}
            </p>
          ) : present?.value === 0 ? (
            <p className="eq-muted">{t('equipment.ups.noAlarm')}</p>
          ) : (
            <p className="eq-muted">{t('equipment.ups.alarmsNone')}</p>
          )
        ) : (
          <ul className="eq-conditions">
            {alarms.map((row) => {
              const alarm = row.readings.get('alarm');
              const time = row.readings.get('alarmTime');
              const status = alarm?.status ?? 'unknown';
              return (
                <li
                  key={row.instance}
                  className={`eq-condition eq-condition--${status}`}
                  data-testid="ups-alarm"
                >
                  <StatusIcon status={status} />
                  <span className="eq-condition__status">{t(`status.${status}`)}</span>
                  <span className="eq-condition__name">
                    {alarm?.label
                      ? enumLabel(i18n, 'alarm', alarm.label)
                      : typeof alarm?.value === 'string'
                        ? alarm.value
                        : t('value.missing')}
                  </span>
                  {time && typeof time.value === 'number' && (
                    <span className="eq-condition__profile">
                      {uptimeSeconds !== null && uptimeSeconds >= time.value
                        ? t('equipment.ups.alarmAge', {
                            duration: formatSeconds(i18n, uptimeSeconds - time.value),
                          })
                        : t('equipment.ups.alarmAtUptime', { uptime: formatSeconds(i18n, time.value) })}
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </DeviceSection>
  );
}
