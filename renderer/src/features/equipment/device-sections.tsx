/**
 * The plainer sections of the device page: identity, poll health, conditions, other readings,
 * recent events. Traps and SSH diagnostics have their own files (traps-section.tsx,
 * ssh-section.tsx).
 */
import { useId, type ReactNode } from 'react';
import type {
  EquipmentDevice,
  EquipmentDeviceDetail,
  EquipmentEventView,
  EquipmentInventory,
} from '../../../../shared/api';
import { missingCase } from '../../../../shared/domain/missing-case';
import type { Status } from '../../../../shared/domain/status';
import { isMessageKey } from '../../../../shared/i18n';
import { StatusBadge } from '../../components/status-badge';
import { StatusIcon } from '../../components/status-icon';
import { useI18n, type Translate } from '../../lib/i18n/i18n-context';
import { TimeAndAge } from './device-age';
import { kindLabel, roomLabel } from './device-labels';
import { unitsLabel } from './device-tile';
import { formatNumber, formatSeconds, metricName } from './format-value';
import { readingOf, rowName, type OtherReading } from './profile-readings';
import { ReadingValue } from './reading-value';

/** A titled section of the device page. */
export function DeviceSection({
  title,
  testId,
  wide = false,
  aside,
  children,
}: {
  title: string;
  testId: string;
  wide?: boolean;
  aside?: ReactNode;
  children: ReactNode;
}) {
  const headingId = useId();
  return (
    <section
      className={`eq-section${wide ? ' eq-section--wide' : ''}`}
      aria-labelledby={headingId}
      data-testid={testId}
    >
      <header className="eq-section__header">
        <h2 className="eq-section__title" id={headingId}>
          {title}
        </h2>
        {aside}
      </header>
      {children}
    </section>
  );
}

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="eq-facts__item" data-testid={testId}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** An SNMP error code as the overview words it (`TIMEOUT` → "Timeout"), else the code itself. */
export function errorCodeLabel(t: Translate, code: string): string {
  const key = `tileError.${code}`;
  return isMessageKey(key) ? t(key) : code;
}

function snmpText(t: Translate, snmp: EquipmentDevice['snmp']): string {
  if (snmp.version === '2c') return t('equipment.snmp.v2c');
  const level = snmp.level === null ? '' : t(`equipment.snmp.level.${snmp.level}`);
  return t('equipment.snmp.v3', { user: snmp.user ?? '—', level });
}

export function IdentitySection({
  device,
  detail,
  inventory,
  zoneName,
}: {
  device: EquipmentDevice;
  detail: EquipmentDeviceDetail | undefined;
  inventory: EquipmentInventory | null;
  zoneName: string | null;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const system = detail?.profiles.find((p) => p.profile === 'snmpv2-system');
  const room = device.room === null ? null : (inventory?.rooms.find((r) => r.id === device.room) ?? null);
  const rack = device.rack ? inventory?.racks.find((r) => r.id === device.rack?.id) : undefined;
  const uptime = readingOf(system, 'sysUpTime');
  const names = new Map(detail?.profiles.map((p) => [p.profile, p.name]) ?? []);
  const text = (metric: string) =>
    detail ? <ReadingValue reading={readingOf(system, metric)} testId={`identity-${metric}`} /> : '…';
  return (
    <DeviceSection title={t('equipment.identity.title')} testId="device-identity">
      <dl className="eq-facts">
        <Fact label={t('equipment.identity.name')}>{device.name}</Fact>
        <Fact label={t('equipment.identity.role')}>{device.role ?? t('detail.none')}</Fact>
        <Fact label={t('equipment.identity.kind')}>{kindLabel(t, device.kind)}</Fact>
        <Fact label={t('equipment.identity.place')}>
          {[
            zoneName ?? device.zone,
            device.room === null ? null : roomLabel(t, { id: device.room, name: room?.name ?? null }),
            device.rack
              ? t('equipment.identity.rack', {
                  rack: rack?.name ?? device.rack.id,
                  units: unitsLabel(t, device.rack.positionU, device.rack.heightU),
                })
              : t('equipment.identity.notRacked'),
          ]
            .filter((part) => part !== null)
            .join(' · ')}
        </Fact>
        <Fact label={t('equipment.identity.address')} testId="identity-address">
          <code>
            {device.address}:{device.snmp.port}
          </code>
        </Fact>
        <Fact label={t('equipment.identity.snmp')} testId="identity-snmp">
          {snmpText(t, device.snmp)}
        </Fact>
        <Fact label={t('equipment.identity.profiles')}>
          {device.profiles.map((id) => names.get(id) ?? id).join(', ') || t('detail.none')}
        </Fact>
        <Fact label={t('equipment.metric.sysName')}>{text('sysName')}</Fact>
        <Fact label={t('equipment.metric.sysDescr')}>{text('sysDescr')}</Fact>
        <Fact label={t('equipment.metric.sysLocation')}>{text('sysLocation')}</Fact>
        <Fact label={t('equipment.metric.sysContact')}>{text('sysContact')}</Fact>
        <Fact label={t('equipment.metric.sysUpTime')} testId="identity-uptime">
          {!detail ? (
            '…'
          ) : uptime && typeof uptime.value === 'number' ? (
            t('equipment.identity.uptime', {
              duration: formatSeconds(i18n, uptime.value),
            })
          ) : (
            <ReadingValue reading={uptime} />
          )}
        </Fact>
        <Fact label={t('equipment.metric.sysObjectID')}>{text('sysObjectID')}</Fact>
      </dl>
    </DeviceSection>
  );
}

export function PollHealthSection({ device }: { device: EquipmentDevice }) {
  const i18n = useI18n();
  const { t, fmt } = i18n;
  const { health } = device;
  const failing = health.consecutiveFailures > 0;
  return (
    <DeviceSection
      title={t('equipment.health.title')}
      testId="device-health"
      aside={
        <span className="eq-section__aside" data-testid="health-verdict">
          <StatusBadge status={health.lastSuccessAt === null || failing ? 'unknown' : 'up'} />{' '}
          {t(
            health.lastSuccessAt === null
              ? 'equipment.health.never'
              : failing
                ? 'equipment.health.failing'
                : 'equipment.health.answering',
          )}
        </span>
      }
    >
      <dl className="eq-facts">
        <Fact label={t('equipment.health.lastSuccess')} testId="health-last-success">
          <TimeAndAge at={health.lastSuccessAt} />
        </Fact>
        <Fact label={t('equipment.health.lastAttempt')}>
          <TimeAndAge at={health.lastAttemptAt} />
        </Fact>
        <Fact label={t('equipment.health.latency')} testId="health-latency">
          {health.latencyMs === null
            ? t('detail.never')
            : formatNumber(i18n, health.latencyMs, 'milliseconds')}
        </Fact>
        <Fact label={t('equipment.health.failures')} testId="health-failures">
          <span className={failing ? 'eq-health__failing' : undefined}>
            {failing && <StatusIcon status="down" />} {fmt.number(health.consecutiveFailures)}
          </span>
        </Fact>
        <Fact label={t('equipment.health.lastError')} testId="health-last-error">
          {health.lastError === null ? (
            t('detail.none')
          ) : (
            <span className="eq-health__error">
              <strong>{errorCodeLabel(t, health.lastError.code)}</strong> (
              <code>{health.lastError.code}</code>) <TimeAndAge at={health.lastError.at} />
              <span className="eq-engine-text" lang="en">
                {t('equipment.engineText', { text: health.lastError.message })}
              </span>
            </span>
          )}
        </Fact>
        <Fact label={t('equipment.health.requests')} testId="health-requests">
          {t('equipment.health.requestsValue', {
            sent: fmt.number(health.requests.sent),
            failed: fmt.number(health.requests.failed),
          })}
        </Fact>
      </dl>
    </DeviceSection>
  );
}

export function ConditionsSection({ detail }: { detail: EquipmentDeviceDetail }) {
  const i18n = useI18n();
  const { t } = i18n;
  const conditions = detail.profiles.flatMap((profile) =>
    profile.conditions.map((condition) => ({ profile, condition })),
  );
  return (
    <DeviceSection title={t('equipment.conditions.title')} testId="device-conditions">
      {conditions.length === 0 ? (
        <p className="eq-muted">{t('equipment.conditions.none')}</p>
      ) : (
        <ul className="eq-conditions">
          {conditions.map(({ profile, condition }, index) => {
            const row = rowName(condition.labels, condition.instance);
            return (
              <li
                key={`${profile.profile}:${condition.name}:${condition.instance ?? ''}:${index}`}
                className={`eq-condition eq-condition--${condition.status}`}
                data-status={condition.status}
                data-testid="device-condition"
              >
                <StatusIcon status={condition.status} />
                <span className="eq-condition__status">{t(`status.${condition.status}`)}</span>
                <span className="eq-condition__name">
                  {metricName(i18n, condition.name)}
                  {row !== '' && <span className="eq-condition__row"> · {row}</span>}
                </span>
                <span className="eq-condition__profile">{profile.name}</span>
                <span className="eq-engine-text" lang="en">
                  {t('equipment.engineText', { text: condition.detail })}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </DeviceSection>
  );
}

export function OtherReadingsSection({ others }: { others: readonly OtherReading[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  if (others.length === 0) return null;
  return (
    <DeviceSection title={t('equipment.other.title')} testId="device-other-readings" wide>
      <div className="eq-table-wrap">
        <table className="eq-table">
          <thead>
            <tr>
              <th scope="col">{t('equipment.other.profile')}</th>
              <th scope="col">{t('equipment.other.reading')}</th>
              <th scope="col">{t('equipment.other.row')}</th>
              <th scope="col">{t('equipment.other.value')}</th>
            </tr>
          </thead>
          <tbody>
            {others.map(({ profile, reading }, index) => (
              <tr
                key={`${profile.profile}:${reading.table ?? ''}:${reading.instance ?? ''}:${reading.metric}:${index}`}
                data-metric={reading.metric}
              >
                <td>{profile.name}</td>
                <th scope="row">{metricName(i18n, reading.metric)}</th>
                <td>{reading.table === null ? '' : rowName(reading.labels, reading.instance)}</td>
                <td>
                  <ReadingValue reading={reading} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </DeviceSection>
  );
}

function eventKindStatus(kind: EquipmentEventView['kind']): Status {
  switch (kind) {
    case 'unreachable':
      return 'down';
    case 'reachable':
      return 'up';
    case 'reboot':
    case 'counterDiscontinuity':
      return 'degraded';
    default:
      throw missingCase(kind);
  }
}

export function EventsSection({ events }: { events: readonly EquipmentEventView[] }) {
  const { t, fmt } = useI18n();
  const newestFirst = [...events].sort((a, b) => b.at - a.at);
  return (
    <DeviceSection title={t('equipment.events.title')} testId="device-events">
      {newestFirst.length === 0 ? (
        <p className="eq-muted">{t('equipment.events.none')}</p>
      ) : (
        <ol className="eq-events">
          {newestFirst.map((event, index) => (
            <li
              key={`${event.at}:${event.kind}:${index}`}
              className="eq-event"
              data-kind={event.kind}
              data-testid="device-event"
            >
              <StatusIcon status={eventKindStatus(event.kind)} />
              <span className="eq-event__kind">{t(`equipment.events.kind.${event.kind}`)}</span>
              <time className="eq-event__time" dateTime={new Date(event.at).toISOString()}>
                {fmt.dateTime(event.at)}
              </time>
              <span className="eq-engine-text" lang="en">
                {t('equipment.engineText', { text: event.detail })}
              </span>
            </li>
          ))}
        </ol>
      )}
    </DeviceSection>
  );
}
