/**
 * The shown state of every device, recomputed when the inventory changes or a device's local
 * stale deadline passes (not on every clock tick: a room of tiles must not re-render each second).
 * Polling intervals come from the overview's tiles (a device tile has the device's id); a device
 * it does not list gets the engine's default interval.
 */
import { useMemo } from 'react';
import type { EquipmentDevice, Overview } from '../../../../shared/api';
import { useClockDerived } from '../../lib/clock/clock-context';
import {
  DEFAULT_DEVICE_INTERVAL_MS,
  deviceState,
  localStaleDeadline,
  type DeviceState,
} from './device-state';

/** How many of the ascending `deadlines` are at or before `now`. */
export function countPassed(deadlines: readonly number[], now: number): number {
  let low = 0;
  let high = deadlines.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((deadlines[middle] ?? Infinity) <= now) low = middle + 1;
    else high = middle;
  }
  return low;
}

export function intervalsFrom(overview: Overview | undefined): ReadonlyMap<string, number> {
  return new Map((overview?.tiles ?? []).map((tile) => [tile.id, tile.intervalMs]));
}

export function useDeviceStates(
  devices: readonly EquipmentDevice[],
  intervals: ReadonlyMap<string, number>,
): ReadonlyMap<string, DeviceState> {
  const deadlines = useMemo(
    () =>
      devices.map((device) =>
        localStaleDeadline(device, intervals.get(device.id) ?? DEFAULT_DEVICE_INTERVAL_MS),
      ),
    [devices, intervals],
  );
  const sorted = useMemo(
    () => deadlines.filter((d): d is number => d !== null).sort((a, b) => a - b),
    [deadlines],
  );
  const passed = useClockDerived((now) => countPassed(sorted, now));
  return useMemo(() => {
    const cutoff = passed === 0 ? -Infinity : (sorted[passed - 1] ?? -Infinity);
    return new Map(
      devices.map((device, index) => {
        const deadline = deadlines[index] ?? null;
        return [device.id, deviceState(device, deadline !== null && deadline <= cutoff)] as const;
      }),
    );
  }, [devices, deadlines, sorted, passed]);
}
