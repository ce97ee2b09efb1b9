/**
 * Events made from SNMP notifications (traps and informs): what the console lists on a device's
 * page and what the alarm engine consumes as an alarm source. Plain data (no bigint, no Buffer),
 * so an event crosses the contract and is stored as JSON unchanged.
 *
 * - `key` is stable for one condition of one device: `<device>/<kind>/<instance>` with each part
 *   URI-encoded, `<device>` being `device:<id>`, or `source:<address>` when no device matched.
 *   Two linkDown traps for ifIndex 3 of the same switch have the same key (the alarm engine
 *   deduplicates on it); linkDown for ifIndex 4 has another.
 * - `clears` lists the keys this event ends: linkUp for ifIndex 3 clears linkDown for ifIndex 3;
 *   an UPS alarm removed clears the same alarm added.
 * - `kind` is `unknown` for a trap OID Vigie has no definition for: it is kept, with its OID,
 *   never dropped.
 */
import { z } from 'zod';

/** Every kind of trap event. Names follow the notification they come from. */
export const TRAP_KINDS = [
  'coldStart',
  'warmStart',
  'authenticationFailure',
  'linkDown',
  'linkUp',
  'upsOnBattery',
  'upsTestCompleted',
  'upsAlarmAdded',
  'upsAlarmRemoved',
  'sensorThreshold',
  'sensorRecovered',
  'rmonRisingAlarm',
  'rmonFallingAlarm',
  /** Made by Vigie, not sent: a source over its trap rate limit (start, then a clearing summary). */
  'trapStorm',
  'unknown',
] as const;
export type TrapKind = (typeof TRAP_KINDS)[number];

/**
 * Perceived severity, after ITU-T X.733 (critical, major, minor, warning, indeterminate,
 * cleared), plus `info` for notifications that report without asking anything of anyone (a
 * passed UPS self-test, a warm start).
 */
export const TRAP_SEVERITIES = [
  'critical',
  'major',
  'minor',
  'warning',
  'indeterminate',
  'info',
  'cleared',
] as const;
export type TrapSeverity = (typeof TRAP_SEVERITIES)[number];

/** The SNMP types a varbind value may have once decoded (see the engine's SnmpValue). */
export const TRAP_VALUE_TYPES = [
  'integer',
  'counter32',
  'gauge32',
  'timeticks',
  'counter64',
  'octets',
  'oid',
  'ipaddress',
  'null',
  'noSuchObject',
  'noSuchInstance',
  'endOfMibView',
] as const;

/**
 * A varbind as shown: numbers stay numbers, Counter64 is a decimal string (exact above 2^53),
 * octets are text or `0x` + hex, exceptions and NULL have a null value.
 */
export const trapVarbindSchema = z.strictObject({
  oid: z.string().max(2_000),
  type: z.enum(TRAP_VALUE_TYPES),
  value: z.union([z.string().max(65_535), z.number(), z.null()]),
});
export type TrapVarbind = z.infer<typeof trapVarbindSchema>;

/** Varbinds kept per event; the rest are counted in the attribute `varbindsDropped`. */
export const TRAP_EVENT_MAX_VARBINDS = 256;

/** Attribute names are identifiers (so never `__proto__`): `ifIndex`, `upsAlarm`, ... */
const attributeName = z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,63}$/);

export const trapEventSchema = z.strictObject({
  /** Unique per received notification. */
  id: z.string().min(1).max(100),
  /** When the engine received it, epoch ms (UTC). */
  at: z.number().int().nonnegative(),
  /** The inventory device it came from; null: an unknown source. */
  deviceId: z.string().min(1).max(200).nullable(),
  /** UDP source of the datagram. */
  source: z.strictObject({ address: z.string().max(100), port: z.number().int().min(0).max(65_535) }),
  /**
   * The address the notification names as its origin when it differs from the UDP source: the
   * agent-addr of an SNMPv1 trap, or snmpTrapAddress.0 added by a proxy (RFC 3584 section 3.1).
   */
  agentAddress: z.string().max(100).nullable(),
  version: z.enum(['1', '2c', '3']),
  /** An inform was acknowledged to its sender; a trap is not. */
  pdu: z.enum(['trap', 'inform']),
  /** SNMPv3 user (never the v1/v2c community, which is a secret). */
  user: z.string().max(64).nullable(),
  /** SNMPv3 engine ID of the sender, lower-case hex. */
  engineId: z.string().max(64).nullable(),
  /** snmpTrapOID.0, numeric. */
  trapOid: z.string().min(1).max(2_000),
  /** `MIB::notification`, or empty for an unknown trap. */
  name: z.string().max(200),
  kind: z.enum(TRAP_KINDS),
  severity: z.enum(TRAP_SEVERITIES),
  /** What the event is about within the device: an ifIndex, an alarm descriptor; empty: the device. */
  instance: z.string().max(2_000),
  key: z.string().min(1).max(8_000),
  clears: z.array(z.string().min(1).max(8_000)).max(16),
  /** Values read from the varbinds, named (enumerations by their label): ifName, upsAlarm, ... */
  attributes: z.record(attributeName, z.union([z.string().max(65_535), z.number()])),
  /** sysUpTime.0 of the sender, hundredths of a second; null when absent. */
  upTime: z.number().int().nonnegative().nullable(),
  /** Every varbind but sysUpTime.0 and snmpTrapOID.0, in order. */
  varbinds: z.array(trapVarbindSchema).max(TRAP_EVENT_MAX_VARBINDS),
});
export type TrapEvent = z.infer<typeof trapEventSchema>;

/** The device part of a key: the inventory device, or the address of an unknown source. */
export function trapKeyOwner(deviceId: string | null, sourceAddress: string): string {
  return deviceId === null ? `source:${sourceAddress}` : `device:${deviceId}`;
}

/** The deduplication key of one condition: owner, kind and instance, each URI-encoded. */
export function trapEventKey(owner: string, kind: TrapKind, instance: string): string {
  return [owner, kind, instance].map(encodeURIComponent).join('/');
}
