/**
 * What a device tile shows is derived from its poll health, not copied from its status: a device
 * that never answered, stopped answering, or whose last answer is too old is `unknown` (grey,
 * "no data since HH:MM"), whatever its profiles last said (DESIGN.md section 3: no data is never
 * up). The last rule is the console's own, as on the overview: it catches what the engine cannot
 * tell (a frozen link, a stuck engine, a device no longer polled).
 */
import type { EquipmentDevice } from '../../../../shared/api';
import type { Status } from '../../../../shared/domain/status';

/** As the overview: a sample older than 3 polling intervals plus 15 s is stale. */
export const LOCAL_STALE_INTERVALS = 3;
export const LOCAL_STALE_SLACK_MS = 15_000;
/** The engine's default device interval, for a device the overview does not list. */
export const DEFAULT_DEVICE_INTERVAL_MS = 10_000;

/**
 * `fresh`: answering, its data current. `never`: no poll has succeeded yet. `unreachable`: its
 * last polls failed. `silent`: no failure reported, but no answer for too long either.
 */
export type Freshness = 'fresh' | 'never' | 'unreachable' | 'silent';

export interface DeviceState {
  /** The status shown: `unknown` unless fresh. */
  readonly status: Status;
  readonly freshness: Freshness;
  /** The last good answer (epoch ms), null when there never was one. */
  readonly lastSuccessAt: number | null;
}

/** When the console itself will call the device silent (null: never from this rule). */
export function localStaleDeadline(device: EquipmentDevice, intervalMs: number): number | null {
  const last = device.health.lastSuccessAt;
  return last === null ? null : last + intervalMs * LOCAL_STALE_INTERVALS + LOCAL_STALE_SLACK_MS;
}

/** The device as shown, `deadlinePassed` telling whether its local stale deadline is past. */
export function deviceState(device: EquipmentDevice, deadlinePassed: boolean): DeviceState {
  const { lastSuccessAt, consecutiveFailures } = device.health;
  const freshness: Freshness =
    lastSuccessAt === null
      ? 'never'
      : consecutiveFailures > 0
        ? 'unreachable'
        : deadlinePassed
          ? 'silent'
          : 'fresh';
  return { status: freshness === 'fresh' ? device.status : 'unknown', freshness, lastSuccessAt };
}

/** The device's state against `now` (for pure callers; components use useDeviceState). */
export function deviceStateAt(device: EquipmentDevice, intervalMs: number, now: number): DeviceState {
  const deadline = localStaleDeadline(device, intervalMs);
  return deviceState(device, deadline !== null && deadline <= now);
}
