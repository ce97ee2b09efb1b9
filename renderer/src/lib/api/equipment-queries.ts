/**
 * Equipment over the bridge: the inventory (zones, rooms, racks, devices with status and poll
 * health) and one device's details (profile readings, conditions, events). No event pushes them:
 * they are asked again every few seconds while shown (the engine polls devices every 10 s), and
 * the answer held stays on screen while a refresh fails (the views then say so).
 */
import { useQuery } from '@tanstack/react-query';
import type { EquipmentDeviceDetail, EquipmentInventory } from '../../../../shared/api';
import { useApi, useConnectionState } from './api-context';
import { call } from './bridge-error';

export const equipmentKeys = {
  inventory: ['equipment.inventory'] as const,
  device: (id: string) => ['equipment.device', id] as const,
};

/** Half the default device interval: a poll's result shows within about 5 s. */
export const EQUIPMENT_REFETCH_MS = 5_000;

function useLinkOpen(): boolean {
  return useConnectionState().kind === 'open';
}

export function useEquipmentInventory() {
  const { transport } = useApi();
  const open = useLinkOpen();
  return useQuery<EquipmentInventory>({
    queryKey: equipmentKeys.inventory,
    queryFn: () => call(transport.bridge, 'equipment.inventory', {}),
    enabled: open,
    refetchInterval: EQUIPMENT_REFETCH_MS,
  });
}

/** One device's details; null asks nothing. Never another device's answer as a placeholder. */
export function useEquipmentDevice(id: string | null) {
  const { transport } = useApi();
  const open = useLinkOpen();
  return useQuery<EquipmentDeviceDetail>({
    queryKey: equipmentKeys.device(id ?? ''),
    queryFn: () => call(transport.bridge, 'equipment.device', { id: id ?? '' }),
    enabled: open && id !== null && id !== '',
    refetchInterval: EQUIPMENT_REFETCH_MS,
  });
}
