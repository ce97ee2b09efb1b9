/**
 * A device's sensors (ENTITY-SENSOR-MIB, RFC 3433): name, description, type, value with its unit
 * and the threshold it reached, and the sensor's own operational status.
 */
import type { ProfileResultView } from '../../../../shared/api';
import { isMessageKey } from '../../../../shared/i18n';
import { StatusIcon } from '../../components/status-icon';
import { useI18n } from '../../lib/i18n/i18n-context';
import { Age } from './device-age';
import { DeviceSection } from './device-sections';
import { metricName } from './format-value';
import { tableRows } from './profile-readings';
import { ReadingValue } from './reading-value';

export function SensorsSection({ profile }: { profile: ProfileResultView }) {
  const i18n = useI18n();
  const { t } = i18n;
  const rows = tableRows(profile, 'sensors');
  const table = profile.tables.find((tb) => tb.name === 'sensors');
  const typeLabel = (type: string | undefined) => {
    if (!type) return '';
    const key = `equipment.sensorType.${type}`;
    return isMessageKey(key) ? t(key) : type;
  };
  return (
    <DeviceSection
      title={t('equipment.sensors.title')}
      testId="device-sensors"
      wide
      aside={
        <span className="eq-section__aside">
          {t('equipment.readAt')} <Age at={profile.at} />
        </span>
      }
    >
      {table && table.rows === null && (
        <p className="eq-muted" role="status">
          <StatusIcon status="unknown" /> {t('equipment.sensors.unreadable')}
        </p>
      )}
      {rows.length === 0 ? (
        <p className="eq-muted">{t('equipment.sensors.none')}</p>
      ) : (
        <div className="eq-table-wrap">
          <table className="eq-table">
            <thead>
              <tr>
                <th scope="col">{t('equipment.sensors.name')}</th>
                <th scope="col">{t('equipment.sensors.description')}</th>
                <th scope="col">{t('equipment.sensors.type')}</th>
                <th scope="col" className="eq-num">
                  {t('equipment.sensors.value')}
                </th>
                <th scope="col">{t('equipment.sensors.sensorStatus')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => {
                const values = [...row.readings.values()].filter((r) => r.metric !== 'operStatus');
                return (
                  <tr
                    key={row.instance}
                    data-testid="sensor-row"
                    data-sensor={row.labels['entPhysicalName'] ?? row.instance}
                  >
                    <th scope="row">{row.labels['entPhysicalName'] || row.instance}</th>
                    <td>{row.labels['entPhysicalDescr'] ?? ''}</td>
                    <td>{typeLabel(row.labels['sensorType'])}</td>
                    <td className="eq-num">
                      {values.length === 0 ? (
                        <ReadingValue reading={null} />
                      ) : (
                        values.map((reading) => (
                          <span key={reading.metric} className="eq-sensor-value">
                            {values.length > 1 && (
                              <span className="eq-muted">{metricName(i18n, reading.metric)} </span>
                            )}
                            <ReadingValue reading={reading} testId="sensor-value" />
                          </span>
                        ))
                      )}
                    </td>
                    <td>
                      <ReadingValue reading={row.readings.get('operStatus')} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </DeviceSection>
  );
}
