/**
 * A device's profile results cut into what the device page shows: identity (SNMPv2-MIB system
 * group), interfaces (IF-MIB), sensors (ENTITY-SENSOR-MIB), UPS (UPS-MIB), and every other reading,
 * so that a reading no section knows (a user-defined profile, a new metric) is still shown. Pure.
 */
import type { EquipmentDeviceDetail, ProfileReadingView, ProfileResultView } from '../../../../shared/api';

export const SYSTEM_PROFILE = 'snmpv2-system';
export const IF_PROFILE = 'if-mib';
export const SENSOR_PROFILE = 'entity-sensor';
export const UPS_PROFILE = 'ups-mib';

/** One row of a profile table: its readings by metric, with the row's labels. */
export interface TableRow {
  readonly instance: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly readings: ReadonlyMap<string, ProfileReadingView>;
}

/** A reading of the profile; null when the profile did not report it. */
export function readingOf(
  profile: ProfileResultView | null | undefined,
  metric: string,
  table: string | null = null,
): ProfileReadingView | null {
  return (
    profile?.readings.find((r) => r.metric === metric && r.table === table && r.instance === null) ?? null
  );
}

/** The rows of `table` in the order the agent gave them. */
export function tableRows(profile: ProfileResultView | null | undefined, table: string): TableRow[] {
  const rows = new Map<
    string,
    { instance: string; labels: Record<string, string>; readings: Map<string, ProfileReadingView> }
  >();
  for (const reading of profile?.readings ?? []) {
    if (reading.table !== table || reading.instance === null) continue;
    let row = rows.get(reading.instance);
    if (!row) {
      row = { instance: reading.instance, labels: {}, readings: new Map() };
      rows.set(reading.instance, row);
    }
    Object.assign(row.labels, reading.labels);
    row.readings.set(reading.metric, reading);
  }
  return [...rows.values()];
}

export interface InterfaceRow {
  readonly instance: string;
  /** ifName, else ifDescr, else the row index. */
  readonly name: string;
  readonly alias: string | null;
  readonly description: string | null;
  readonly oper: ProfileReadingView | null;
  readonly admin: ProfileReadingView | null;
  readonly speed: ProfileReadingView | null;
  readonly inBits: ProfileReadingView | null;
  readonly outBits: ProfileReadingView | null;
  readonly inErrors: ProfileReadingView | null;
  readonly outErrors: ProfileReadingView | null;
  /**
   * `down`: enabled (admin up) but its link is not up. `disabled`: shut down by an administrator.
   * `testing`, `unknown` as the agent says; `up` otherwise.
   */
  readonly state: 'up' | 'down' | 'disabled' | 'testing' | 'unknown';
}

/** IF-MIB operStatus values that mean the link does not carry traffic (RFC 2863 ifOperStatus). */
const LINK_NOT_UP = new Set(['down', 'notPresent', 'lowerLayerDown']);

function interfaceState(
  oper: ProfileReadingView | null,
  admin: ProfileReadingView | null,
): InterfaceRow['state'] {
  const adminLabel = admin?.label ?? null;
  const operLabel = oper?.label ?? null;
  if (adminLabel === 'down') return 'disabled';
  if (adminLabel === 'testing' || operLabel === 'testing') return 'testing';
  if (operLabel === null || operLabel === 'unknown') return 'unknown';
  if (LINK_NOT_UP.has(operLabel)) return 'down';
  return 'up';
}

export function interfaceRows(profile: ProfileResultView | null | undefined): InterfaceRow[] {
  return tableRows(profile, 'interfaces').map((row) => {
    const get = (metric: string) => row.readings.get(metric) ?? null;
    const oper = get('operStatus');
    const admin = get('adminStatus');
    return {
      instance: row.instance,
      name: row.labels['ifName'] || row.labels['ifDescr'] || row.instance,
      alias: row.labels['ifAlias'] || null,
      description: row.labels['ifDescr'] || null,
      oper,
      admin,
      speed: get('speed'),
      inBits: get('inBitsPerSecond'),
      outBits: get('outBitsPerSecond'),
      inErrors: get('inErrorsPerSecond'),
      outErrors: get('outErrorsPerSecond'),
      state: interfaceState(oper, admin),
    };
  });
}

/** What each section shows of its profile; the rest goes to "other readings". */
const SHOWN: Readonly<Record<string, (r: ProfileReadingView) => boolean>> = {
  [SYSTEM_PROFILE]: (r) =>
    r.table === null &&
    ['sysDescr', 'sysObjectID', 'sysUpTime', 'sysContact', 'sysName', 'sysLocation'].includes(r.metric),
  [IF_PROFILE]: (r) =>
    r.table === 'interfaces' &&
    (r.instance === null
      ? r.metric === 'interfaceCount'
      : [
          'inBitsPerSecond',
          'outBitsPerSecond',
          'inErrorsPerSecond',
          'outErrorsPerSecond',
          'operStatus',
          'adminStatus',
          'speed',
          // Only there to detect counter resets: shown as events, not as a column.
          'counterDiscontinuityTime',
        ].includes(r.metric)),
  [SENSOR_PROFILE]: (r) => r.table === 'sensors' && r.instance !== null,
  [UPS_PROFILE]: () => true,
};

export interface OtherReading {
  readonly profile: ProfileResultView;
  readonly reading: ProfileReadingView;
}

export interface DeviceSections {
  readonly system: ProfileResultView | null;
  readonly interfaces: ProfileResultView | null;
  readonly sensors: ProfileResultView | null;
  readonly ups: ProfileResultView | null;
  /** Readings no section shows, profile by profile. */
  readonly others: readonly OtherReading[];
}

export function deviceSections(detail: EquipmentDeviceDetail): DeviceSections {
  const find = (id: string) => detail.profiles.find((p) => p.profile === id) ?? null;
  const others: OtherReading[] = [];
  for (const profile of detail.profiles) {
    const shown = SHOWN[profile.profile];
    for (const reading of profile.readings) if (!shown?.(reading)) others.push({ profile, reading });
  }
  return {
    system: find(SYSTEM_PROFILE),
    interfaces: find(IF_PROFILE),
    sensors: find(SENSOR_PROFILE),
    ups: find(UPS_PROFILE),
    others,
  };
}

/** The labels that name a row, as `ifName Eth1/5` reads: the first of the known naming labels, else all. */
export function rowName(labels: Readonly<Record<string, string>>, instance: string | null): string {
  for (const key of ['ifName', 'entPhysicalName', 'hrDeviceDescr', 'hrStorageDescr', 'ifDescr'])
    if (labels[key]) return labels[key];
  return instance ?? '';
}
