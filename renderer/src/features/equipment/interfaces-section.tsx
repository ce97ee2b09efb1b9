/**
 * A device's interfaces (IF-MIB): name, alias, operational and administrative status, speed,
 * traffic in and out, errors per second. An enabled interface whose link is not up stands out
 * (icon, "Link down", a red row), an interface shut down by an administrator reads "Disabled".
 */
import type { ProfileResultView } from '../../../../shared/api';
import { missingCase } from '../../../../shared/domain/missing-case';
import type { Status } from '../../../../shared/domain/status';
import { StatusIcon } from '../../components/status-icon';
import { useI18n } from '../../lib/i18n/i18n-context';
import { Age } from './device-age';
import { DeviceSection } from './device-sections';
import { interfaceRows, readingOf, type InterfaceRow } from './profile-readings';
import { ReadingValue } from './reading-value';
import { TrafficCharts } from './traffic-charts';

function stateStatus(state: InterfaceRow['state']): Status {
  switch (state) {
    case 'up':
      return 'up';
    case 'down':
      return 'down';
    case 'disabled':
    case 'testing':
      return 'maintenance';
    case 'unknown':
      return 'unknown';
    default:
      throw missingCase(state);
  }
}

export function InterfacesSection({ profile, deviceId }: { profile: ProfileResultView; deviceId: string }) {
  const { t, fmt } = useI18n();
  const rows = interfaceRows(profile);
  const down = rows.filter((r) => r.state === 'down').length;
  const table = profile.tables.find((tb) => tb.name === 'interfaces');
  const count = readingOf(profile, 'interfaceCount', 'interfaces');
  return (
    <DeviceSection
      title={t('equipment.interfaces.title')}
      testId="device-interfaces"
      wide
      aside={
        <span className="eq-section__aside">
          {t('equipment.interfaces.count', {
            count: fmt.number(typeof count?.value === 'number' ? count.value : rows.length),
          })}
          {down > 0 && (
            <span className="eq-section__alert" data-testid="interfaces-down-count">
              {' · '}
              <StatusIcon status="down" /> {t('equipment.interfaces.downCount', { count: fmt.number(down) })}
            </span>
          )}
          {' · '}
          {t('equipment.readAt')} <Age at={profile.at} />
        </span>
      }
    >
      {table && table.rows === null && (
        <p className="eq-muted" role="status">
          <StatusIcon status="unknown" /> {t('equipment.interfaces.unreadable')}
        </p>
      )}
      {rows.length === 0 ? (
        <p className="eq-muted">{t('equipment.interfaces.none')}</p>
      ) : (
        <div className="eq-table-wrap">
          <table className="eq-table eq-table--interfaces">
            <thead>
              <tr>
                <th scope="col">{t('equipment.interfaces.name')}</th>
                <th scope="col">{t('equipment.interfaces.alias')}</th>
                <th scope="col">{t('equipment.interfaces.state')}</th>
                <th scope="col">{t('equipment.interfaces.oper')}</th>
                <th scope="col">{t('equipment.interfaces.admin')}</th>
                <th scope="col" className="eq-num">
                  {t('equipment.interfaces.speed')}
                </th>
                <th scope="col" className="eq-num">
                  {t('equipment.interfaces.in')}
                </th>
                <th scope="col" className="eq-num">
                  {t('equipment.interfaces.out')}
                </th>
                <th scope="col" className="eq-num">
                  {t('equipment.interfaces.inErrors')}
                </th>
                <th scope="col" className="eq-num">
                  {t('equipment.interfaces.outErrors')}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => {
                const status = stateStatus(row.state);
                return (
                  <tr
                    key={row.instance}
                    className={`eq-if-row eq-if-row--${row.state}`}
                    data-testid="interface-row"
                    data-interface={row.name}
                    data-state={row.state}
                  >
                    <th scope="row" title={row.description ?? undefined}>
                      {row.name}
                    </th>
                    <td>{row.alias ?? ''}</td>
                    <td className="eq-if-row__state">
                      <StatusIcon status={status} /> {t(`equipment.interfaces.stateValue.${row.state}`)}
                    </td>
                    <td>
                      <ReadingValue reading={row.oper} />
                    </td>
                    <td>
                      <ReadingValue reading={row.admin} />
                    </td>
                    <td className="eq-num">
                      <ReadingValue reading={row.speed} />
                    </td>
                    <td className="eq-num">
                      <ReadingValue reading={row.inBits} testId="interface-in" />
                    </td>
                    <td className="eq-num">
                      <ReadingValue reading={row.outBits} testId="interface-out" />
                    </td>
                    <td className="eq-num">
                      <ReadingValue reading={row.inErrors} />
                    </td>
                    <td className="eq-num">
                      <ReadingValue reading={row.outErrors} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <TrafficCharts deviceId={deviceId} interfaces={rows} />
    </DeviceSection>
  );
}
