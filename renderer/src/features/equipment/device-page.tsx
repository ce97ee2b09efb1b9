/**
 * One device's page, in place of the racks: identity, poll health, conditions, the sections of its
 * profiles (UPS, interfaces with traffic charts, sensors, any other reading), recent events,
 * the device's recent SNMP traps and its SSH diagnostics. Escape or Back returns to the racks.
 *
 * A device whose data is not current is said so at the top ("no data since 14:02") and its
 * readings are drawn faded as the last known values: they never pass for live ones.
 */
import { useEffect, useId, useRef } from 'react';
import type { EquipmentDevice, EquipmentInventory } from '../../../../shared/api';
import { ApiErrorNotice } from '../../components/api-error-notice';
import { PanelBoundary } from '../../components/error-boundary';
import { StatusBadge } from '../../components/status-badge';
import { StatusIcon } from '../../components/status-icon';
import { errorCodeOf } from '../../lib/api/bridge-error';
import { useEquipmentDevice } from '../../lib/api/equipment-queries';
import { useI18n } from '../../lib/i18n/i18n-context';
import { isEditableTarget, isModalOpen } from '../../lib/keyboard';
import { NoDataSince } from './device-age';
import { kindLabel } from './device-labels';
import {
  ConditionsSection,
  EventsSection,
  IdentitySection,
  OtherReadingsSection,
  PollHealthSection,
} from './device-sections';
import type { DeviceState } from './device-state';
import { InterfacesSection } from './interfaces-section';
import { deviceSections, readingOf } from './profile-readings';
import { SensorsSection } from './sensors-section';
import { SshSection } from './ssh-section';
import { TrapsSection } from './traps-section';
import { UpsSection } from './ups-section';

export interface DevicePageProps {
  readonly id: string;
  /** The device as the inventory lists it; null when it is no longer there. */
  readonly device: EquipmentDevice | null;
  readonly inventory: EquipmentInventory | null;
  readonly zoneName: string | null;
  readonly state: DeviceState;
  readonly onBack: () => void;
}

export function DevicePage({ id, device, inventory, zoneName, state, onBack }: DevicePageProps) {
  const { t } = useI18n();
  const detail = useEquipmentDevice(id);
  const headingId = useId();
  const titleRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    titleRef.current?.focus();
  }, [id]);

  useEffect(() => {
    function onKey(event: KeyboardEvent): void {
      if (event.key !== 'Escape' || event.defaultPrevented || isModalOpen()) return;
      // Escape in a text field belongs to the field.
      if (isEditableTarget(event.target)) return;
      event.preventDefault();
      onBack();
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onBack]);

  const shown = detail.data?.device ?? device;
  const stale = state.freshness !== 'fresh';
  const sections = detail.data ? deviceSections(detail.data) : null;
  const uptime = readingOf(sections?.system, 'sysUpTime');

  return (
    <article
      className="eq-device"
      aria-labelledby={headingId}
      data-testid="device-page"
      data-device-id={id}
      data-status={state.status}
      data-stale={stale ? 'true' : 'false'}
    >
      <header className="eq-device__header">
        <button
          type="button"
          className="button"
          onClick={onBack}
          aria-keyshortcuts="Escape"
          data-testid="device-back"
        >
          <span aria-hidden="true">← </span>
          {t(zoneName ? 'equipment.device.backTo' : 'equipment.device.back', { zone: zoneName ?? '' })}
        </button>
        <h1 className="eq-device__title" id={headingId} ref={titleRef} tabIndex={-1}>
          {shown?.name ?? id}
        </h1>
        {shown && (
          <span className="eq-device__kind">
            {kindLabel(t, shown.kind)}
            {shown.role ? ` · ${shown.role}` : ''}
          </span>
        )}
        <StatusBadge status={state.status} className="eq-device__status" />
      </header>
      {stale && (
        <p className="eq-device__stale" role="status" data-testid="device-stale">
          <StatusIcon status="unknown" /> <NoDataSince state={state} />{' '}
          {state.lastSuccessAt !== null && t('equipment.device.lastKnown')}
        </p>
      )}
      {!device && inventory && (
        <p className="eq-device__gone" role="status">
          {t('equipment.device.gone')}
        </p>
      )}
      {detail.isError && !detail.data && (
        <ApiErrorNotice error={detail.error} title={t('equipment.device.failed')} testId="device-error" />
      )}
      {detail.isError && detail.data && (
        <p className="eq-toolbar__refresh-failed" role="status">
          <StatusIcon status="degraded" />{' '}
          {t('overview.refreshFailed', { reason: t(`error.${errorCodeOf(detail.error)}`) })}
        </p>
      )}
      {shown && (
        <div className={`eq-device__grid${stale ? ' eq-device__grid--stale' : ''}`}>
          <PanelBoundary>
            <IdentitySection device={shown} detail={detail.data} inventory={inventory} zoneName={zoneName} />
          </PanelBoundary>
          <PanelBoundary>
            <PollHealthSection device={shown} />
          </PanelBoundary>
          {!detail.data && !detail.isError && (
            <p className="panel-message eq-section--wide">{t('equipment.device.loading')}</p>
          )}
          {detail.data && sections && (
            <>
              <PanelBoundary>
                <ConditionsSection detail={detail.data} />
              </PanelBoundary>
              {sections.ups && (
                <PanelBoundary>
                  <UpsSection
                    profile={sections.ups}
                    uptimeSeconds={typeof uptime?.value === 'number' ? uptime.value : null}
                  />
                </PanelBoundary>
              )}
              {sections.interfaces && (
                <PanelBoundary>
                  <InterfacesSection profile={sections.interfaces} deviceId={id} />
                </PanelBoundary>
              )}
              {sections.sensors && (
                <PanelBoundary>
                  <SensorsSection profile={sections.sensors} />
                </PanelBoundary>
              )}
              {detail.data.profiles.length === 0 && (
                <p className="panel-message eq-section--wide" data-testid="device-no-profiles">
                  {t('equipment.device.noReadings')}
                </p>
              )}
              <PanelBoundary>
                <OtherReadingsSection others={sections.others} />
              </PanelBoundary>
              <PanelBoundary>
                <EventsSection events={detail.data.events} />
              </PanelBoundary>
            </>
          )}
          <PanelBoundary>
            <TrapsSection deviceId={id} />
          </PanelBoundary>
          <PanelBoundary>
            <SshSection device={shown} />
          </PanelBoundary>
        </div>
      )}
    </article>
  );
}
