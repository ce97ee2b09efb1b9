/**
 * The inventory: sites (the primary zones and the witness), rooms, racks with U positions,
 * devices and services. The configuration file, the CSV and JSON imports and the training estate
 * all produce this one shape, and `checkInventory` applies the rules that span records (unknown
 * references, duplicate ids, two devices in one rack unit) with the path of the offending field.
 *
 * Secrets (SNMP communities, v3 passphrases, SSH keys) are references, never values: see
 * {@link secretRefSchema}.
 */
import { z } from 'zod';

export const idSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,62}$/,
    'must be lower-case letters, digits and dashes (at most 63), starting with a letter or digit',
  );

/**
 * Where a secret is read from: `env:NAME` (an environment variable of the engine),
 * `file:/absolute/path` (a file readable by the engine's account; trailing newline dropped)
 * or `vault:name` (a secret in the engine's encrypted vault, `vigie secrets set name`); the
 * inventory never holds the secret itself.
 */
export const secretRefSchema = z
  .string()
  .regex(
    /^(env:[A-Z_][A-Z0-9_]{0,127}|file:\/[^\0\n]{1,1000}|vault:[a-z0-9][a-z0-9._-]{0,63})$/,
    'must be a secret reference: env:VARIABLE_NAME, file:/absolute/path or vault:name',
  );
export type SecretRef = z.infer<typeof secretRefSchema>;

export const zoneSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1).max(80),
  /** Primary zones serve traffic (active-active); the witness site holds the quorum witness. */
  kind: z.enum(['primary', 'witness']),
});

export const roomSchema = z.strictObject({
  id: idSchema,
  zone: idSchema,
  name: z.string().min(1).max(80),
});

export const rackSchema = z.strictObject({
  id: idSchema,
  room: idSchema,
  name: z.string().min(1).max(80),
  /** Height in rack units; U 1 is the bottom. */
  heightU: z.number().int().min(1).max(60).default(42),
});

/** Host name or IP literal of a device's management interface. */
export const addressSchema = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.:_-]+$/, 'must be a host name or an IP address');

export const snmpV2cSchema = z
  .strictObject({
    version: z.literal('2c'),
    port: z.number().int().min(1).max(65535).default(161),
    /** The community in clear (the training estate, labs); prefer `communitySecret`. */
    community: z.string().min(1).max(64).optional(),
    communitySecret: secretRefSchema.optional(),
  })
  .refine((s) => (s.community === undefined) !== (s.communitySecret === undefined), {
    message: 'give exactly one of community and communitySecret',
    path: ['community'],
  });

export const snmpV3Schema = z
  .strictObject({
    version: z.literal('3'),
    port: z.number().int().min(1).max(65535).default(161),
    user: z.string().min(1).max(32),
    level: z.enum(['noAuthNoPriv', 'authNoPriv', 'authPriv']).default('authPriv'),
    /** SHA-2 (RFC 7860); SHA-1 only for agents that know nothing better. MD5 is refused. */
    authProtocol: z.enum(['sha', 'sha224', 'sha256', 'sha384', 'sha512']).optional(),
    authSecret: secretRefSchema.optional(),
    /** AES-128 (RFC 3826) or AES-256 (Blumenthal `aes256b`, Reeder `aes256r`). DES is refused. */
    privProtocol: z.enum(['aes', 'aes256b', 'aes256r']).optional(),
    privSecret: secretRefSchema.optional(),
    context: z.string().max(32).optional(),
  })
  .superRefine((s, ctx) => {
    const needsAuth = s.level !== 'noAuthNoPriv';
    if (needsAuth && s.authProtocol === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['authProtocol'],
        message: `level ${s.level} needs an authProtocol`,
      });
    if (needsAuth && s.authSecret === undefined)
      ctx.addIssue({ code: 'custom', path: ['authSecret'], message: `level ${s.level} needs an authSecret` });
    if (s.level === 'authPriv' && s.privProtocol === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['privProtocol'],
        message: 'level authPriv needs a privProtocol',
      });
    if (s.level === 'authPriv' && s.privSecret === undefined)
      ctx.addIssue({ code: 'custom', path: ['privSecret'], message: 'level authPriv needs a privSecret' });
  });

export const snmpSettingsSchema = z.discriminatedUnion('version', [snmpV2cSchema, snmpV3Schema]);
export type SnmpSettings = z.infer<typeof snmpSettingsSchema>;

export const sshSettingsSchema = z
  .strictObject({
    port: z.number().int().min(1).max(65535).default(22),
    user: z.string().min(1).max(64),
    keySecret: secretRefSchema.optional(),
    passwordSecret: secretRefSchema.optional(),
    /** Ids of the diagnostic command templates allowed on this device. */
    templates: z.array(idSchema).max(64).default([]),
  })
  .refine((s) => s.keySecret !== undefined || s.passwordSecret !== undefined, {
    message: 'give keySecret or passwordSecret',
    path: ['keySecret'],
  });

export const deviceKindSchema = z.enum(['ups', 'pdu', 'sensor', 'switch']);
export type DeviceKind = z.infer<typeof deviceKindSchema>;

export const deviceSchema = z.strictObject({
  id: idSchema,
  zone: idSchema,
  name: z.string().min(1).max(80),
  kind: deviceKindSchema,
  /** What the device does here, in the site's words ("UPS A feed", "core switch"). */
  role: z.string().max(120).optional(),
  /** Management address: SNMP and SSH go there. */
  address: addressSchema,
  /** The room, for devices outside racks (wall sensors, CRAC units); implied by `rack`. */
  room: idSchema.optional(),
  rack: z
    .strictObject({
      id: idSchema,
      /** Lowest rack unit the device occupies (1 = bottom). */
      positionU: z.number().int().min(1).max(60),
      heightU: z.number().int().min(1).max(60).default(1),
    })
    .optional(),
  snmp: snmpSettingsSchema,
  ssh: sshSettingsSchema.optional(),
  /** MIB profiles polled on this device; default: the profiles of its kind. */
  profiles: z.array(z.string().min(1).max(64)).max(32).optional(),
  /** Poll interval; default from `polling.deviceIntervalSeconds`. */
  intervalSeconds: z.number().min(1).max(3600).optional(),
  /** For sensors: the entPhysicalIndex of the temperature and humidity sensors. */
  sensors: z
    .strictObject({
      temperatureIndex: z.number().int().min(1),
      humidityIndex: z.number().int().min(1),
    })
    .optional(),
  /** For switches: the ifIndex of the uplink whose traffic is shown on the tile. */
  uplinkIfIndex: z.number().int().min(1).optional(),
  /** Free labels (maintenance windows and escalation policies select by them). */
  tags: z
    .array(
      z
        .string()
        .regex(
          /^[a-z0-9][a-z0-9:._/-]{0,62}$/,
          'a tag is lower-case letters, digits and : . _ / - (at most 63)',
        ),
    )
    .max(32)
    .optional(),
});

export const serviceSchema = z.strictObject({
  id: idSchema,
  zone: idSchema,
  name: z.string().min(1).max(80),
  /** Health endpoint: 2xx is healthy, anything else (or no answer) is not. */
  url: z.url({ protocol: /^https?$/ }),
  intervalSeconds: z.number().min(1).max(3600).optional(),
  /** Latency above which the service is degraded. */
  degradedLatencyMs: z.number().int().min(1).max(60_000).default(800),
  /** The client institution the service is run for (escalation policies select by it). */
  client: idSchema.optional(),
  /** Free labels (maintenance windows and escalation policies select by them). */
  tags: z
    .array(
      z
        .string()
        .regex(
          /^[a-z0-9][a-z0-9:._/-]{0,62}$/,
          'a tag is lower-case letters, digits and : . _ / - (at most 63)',
        ),
    )
    .max(32)
    .optional(),
});

export const inventorySchema = z.strictObject({
  zones: z.array(zoneSchema).default([]),
  rooms: z.array(roomSchema).default([]),
  racks: z.array(rackSchema).default([]),
  devices: z.array(deviceSchema).default([]),
  services: z.array(serviceSchema).default([]),
});

export type Inventory = z.infer<typeof inventorySchema>;
export type ZoneDef = z.infer<typeof zoneSchema>;
export type RoomDef = z.infer<typeof roomSchema>;
export type RackDef = z.infer<typeof rackSchema>;
export type DeviceDef = z.infer<typeof deviceSchema>;
export type ServiceDef = z.infer<typeof serviceSchema>;
export type InventoryTable = 'zones' | 'rooms' | 'racks' | 'devices' | 'services';

/** A rule broken across records, at the path of the field to fix (`devices.3.rack.id`). */
export interface InventoryIssue {
  readonly path: (string | number)[];
  readonly message: string;
}

/**
 * The rules that span records: ids unique across the inventory, references to zones, rooms and
 * racks that exist, a device's rack in its zone, rack units inside the rack and not shared, the
 * per-kind fields the collector needs.
 */
export function checkInventory(inv: Inventory): InventoryIssue[] {
  const issues: InventoryIssue[] = [];
  const seen = new Map<string, string>();
  const unique = (table: InventoryTable, id: string, i: number): void => {
    const other = seen.get(id);
    if (other !== undefined)
      issues.push({ path: [table, i, 'id'], message: `duplicate id "${id}" (also ${other})` });
    else seen.set(id, `${table}.${i}`);
  };
  const zones = new Map(inv.zones.map((z) => [z.id, z]));
  const rooms = new Map(inv.rooms.map((r) => [r.id, r]));
  const racks = new Map(inv.racks.map((r) => [r.id, r]));
  inv.zones.forEach((z, i) => unique('zones', z.id, i));
  inv.rooms.forEach((r, i) => {
    unique('rooms', r.id, i);
    if (!zones.has(r.zone)) issues.push({ path: ['rooms', i, 'zone'], message: `unknown zone "${r.zone}"` });
  });
  inv.racks.forEach((r, i) => {
    unique('racks', r.id, i);
    if (!rooms.has(r.room)) issues.push({ path: ['racks', i, 'room'], message: `unknown room "${r.room}"` });
  });
  /** Per rack, which device holds each unit. */
  const units = new Map<string, Map<number, string>>();
  inv.devices.forEach((d, i) => {
    unique('devices', d.id, i);
    if (!zones.has(d.zone))
      issues.push({ path: ['devices', i, 'zone'], message: `unknown zone "${d.zone}"` });
    if (d.room !== undefined) {
      const room = rooms.get(d.room);
      if (!room) issues.push({ path: ['devices', i, 'room'], message: `unknown room "${d.room}"` });
      else if (room.zone !== d.zone)
        issues.push({
          path: ['devices', i, 'room'],
          message: `room "${d.room}" is in zone "${room.zone}", not "${d.zone}"`,
        });
    }
    if (d.rack !== undefined) {
      const rack = racks.get(d.rack.id);
      if (!rack) {
        issues.push({ path: ['devices', i, 'rack', 'id'], message: `unknown rack "${d.rack.id}"` });
      } else {
        const rackZone = rooms.get(rack.room)?.zone;
        if (rackZone !== undefined && rackZone !== d.zone)
          issues.push({
            path: ['devices', i, 'rack', 'id'],
            message: `rack "${rack.id}" is in zone "${rackZone}", not "${d.zone}"`,
          });
        if (d.room !== undefined && d.room !== rack.room)
          issues.push({
            path: ['devices', i, 'room'],
            message: `rack "${rack.id}" is in room "${rack.room}", not "${d.room}"`,
          });
        const top = d.rack.positionU + d.rack.heightU - 1;
        if (top > rack.heightU)
          issues.push({
            path: ['devices', i, 'rack', 'positionU'],
            message: `U${d.rack.positionU}-U${top} does not fit in rack "${rack.id}" of ${rack.heightU} U`,
          });
        const taken = units.get(rack.id) ?? new Map<number, string>();
        units.set(rack.id, taken);
        for (let u = d.rack.positionU; u <= Math.min(top, rack.heightU); u++) {
          const holder = taken.get(u);
          if (holder !== undefined) {
            issues.push({
              path: ['devices', i, 'rack', 'positionU'],
              message: `U${u} of rack "${rack.id}" is already taken by "${holder}"`,
            });
            break;
          }
          taken.set(u, d.id);
        }
      }
    }
    if (d.kind === 'sensor' && !d.sensors)
      issues.push({
        path: ['devices', i, 'sensors'],
        message: 'a sensor needs temperatureIndex and humidityIndex',
      });
    if (d.kind === 'switch' && d.uplinkIfIndex === undefined)
      issues.push({
        path: ['devices', i, 'uplinkIfIndex'],
        message: 'a switch needs the ifIndex of its uplink',
      });
  });
  inv.services.forEach((s, i) => {
    unique('services', s.id, i);
    if (!zones.has(s.zone))
      issues.push({ path: ['services', i, 'zone'], message: `unknown zone "${s.zone}"` });
  });
  return issues;
}
