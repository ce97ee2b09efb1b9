/**
 * Equipment as the console sees it: sites, rooms, racks and devices (no secret ever: SNMP and SSH
 * settings are reduced to what an operator needs to read), each device's poll health, and the
 * readings of its MIB profiles with the reason of every missing value.
 */
import { z } from 'zod';
import { statusSchema } from './overview';

const text = z.string().max(2000);

export const pollHealthSchema = z.strictObject({
  lastAttemptAt: z.number().nullable(),
  lastSuccessAt: z.number().nullable(),
  latencyMs: z.number().nullable(),
  consecutiveFailures: z.number().int().min(0),
  lastError: z.strictObject({ code: z.string().max(64), message: text, at: z.number() }).nullable(),
  requests: z.strictObject({ sent: z.number().int().min(0), failed: z.number().int().min(0) }),
});
export type PollHealth = z.infer<typeof pollHealthSchema>;

export const equipmentDeviceSchema = z.strictObject({
  id: z.string(),
  zone: z.string(),
  room: z.string().nullable(),
  rack: z.strictObject({ id: z.string(), positionU: z.number().int(), heightU: z.number().int() }).nullable(),
  name: z.string(),
  kind: z.string(),
  role: z.string().nullable(),
  address: z.string(),
  /** How the device is read; credentials are only said to be configured, never shown. */
  snmp: z.strictObject({
    version: z.enum(['2c', '3']),
    port: z.number().int(),
    /** v3 user name; null for v2c. */
    user: z.string().nullable(),
    /** v3 security level; null for v2c. */
    level: z.enum(['noAuthNoPriv', 'authNoPriv', 'authPriv']).nullable(),
  }),
  ssh: z.strictObject({ configured: z.boolean(), templates: z.array(z.string()) }),
  profiles: z.array(z.string()),
  /** The worst status of its profiles; unknown until a poll succeeds, and when it stops answering. */
  status: statusSchema,
  health: pollHealthSchema,
});
export type EquipmentDevice = z.infer<typeof equipmentDeviceSchema>;

export const equipmentInventorySchema = z.strictObject({
  zones: z.array(z.strictObject({ id: z.string(), name: z.string(), kind: z.enum(['primary', 'witness']) })),
  rooms: z.array(z.strictObject({ id: z.string(), zone: z.string(), name: z.string() })),
  racks: z.array(
    z.strictObject({ id: z.string(), room: z.string(), name: z.string(), heightU: z.number().int() }),
  ),
  devices: z.array(equipmentDeviceSchema),
});
export type EquipmentInventory = z.infer<typeof equipmentInventorySchema>;

export const profileReadingSchema = z.strictObject({
  metric: z.string(),
  table: z.string().nullable(),
  instance: z.string().nullable(),
  labels: z.record(z.string(), z.string()),
  value: z.union([z.number(), z.string()]).nullable(),
  /** Enumerations: the label of the value. */
  label: z.string().nullable(),
  unit: z.string().nullable(),
  status: statusSchema,
  threshold: z.enum(['warningHigh', 'criticalHigh', 'warningLow', 'criticalLow']).nullable(),
  /** Why the value is null (a code the console translates, and English detail). */
  reason: z.strictObject({ code: z.string(), detail: text }).nullable(),
});
export type ProfileReadingView = z.infer<typeof profileReadingSchema>;

export const profileResultSchema = z.strictObject({
  profile: z.string(),
  name: z.string(),
  at: z.number(),
  status: statusSchema,
  conditions: z.array(
    z.strictObject({
      name: z.string(),
      instance: z.string().nullable(),
      labels: z.record(z.string(), z.string()),
      status: statusSchema,
      detail: text,
    }),
  ),
  readings: z.array(profileReadingSchema),
  tables: z.array(z.strictObject({ name: z.string(), rows: z.number().int().nullable() })),
});
export type ProfileResultView = z.infer<typeof profileResultSchema>;

export const equipmentEventSchema = z.strictObject({
  kind: z.enum(['reboot', 'counterDiscontinuity', 'unreachable', 'reachable']),
  device: z.string(),
  at: z.number(),
  /** English detail for the log and the CLI; the console builds its text from kind and fields. */
  detail: text,
});
export type EquipmentEventView = z.infer<typeof equipmentEventSchema>;

export const equipmentDeviceDetailSchema = z.strictObject({
  device: equipmentDeviceSchema,
  profiles: z.array(profileResultSchema),
  events: z.array(equipmentEventSchema),
});
export type EquipmentDeviceDetail = z.infer<typeof equipmentDeviceDetailSchema>;
