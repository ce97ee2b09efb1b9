/**
 * The configuration file (YAML or JSON) and the inventory it describes. The training estate
 * produces an inventory of the same shape, so the engine cannot tell a simulated datacenter from
 * a real one except by the `training` flag.
 */
import { z } from 'zod';
import { oidcConfigSchema } from '../adapters/oidc/oidc-config';
import { alarmsConfigIssues, alarmsConfigSchema } from './alarms-schema';
import { influxdbConnectionSchema, telegrafSchema } from './metrics-schema';

import { mibProfileSchema } from '../services/equipment/profiles/mib-profile-schema';
import {
  checkInventory,
  inventorySchema,
  secretRefSchema,
  type DeviceDef,
  type DeviceKind,
  type Inventory,
  type RackDef,
  type RoomDef,
  type ServiceDef,
  type ZoneDef,
} from '../inventory/schema';

export type { DeviceDef, DeviceKind, Inventory, RackDef, RoomDef, ServiceDef, ZoneDef };

/** traps.rateLimit: token buckets per source (device or address) and for the whole receiver. */
const trapRateLimitSchema = z
  .strictObject({
    perSecond: z.number().positive().max(100_000).default(20),
    burst: z.number().int().min(1).max(1_000_000).default(100),
    globalPerSecond: z.number().positive().max(1_000_000).default(500),
    globalBurst: z.number().int().min(1).max(10_000_000).default(2_000),
    /** A storm ends (and its summary is recorded) after this long without a refused notification. */
    stormQuietSeconds: z.number().int().min(1).max(86_400).default(60),
  })
  .prefault({})
  .refine((r) => r.globalPerSecond >= r.perSecond, {
    message: 'globalPerSecond must be at least perSecond (one source alone would hit the global cap)',
    path: ['globalPerSecond'],
  })
  .refine((r) => r.globalBurst >= r.burst, {
    message: 'globalBurst must be at least burst',
    path: ['globalBurst'],
  });

export const configSchema = z
  .strictObject({
    /** Run the built-in training estate (simulated datacenter on loopback) instead of `inventory`. */
    estate: z.boolean().default(false),
    /** Where the embedded store, logs and the runtime file live; default: the user data folder. */
    dataDir: z.string().min(1).optional(),
    server: z
      .strictObject({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8680),
        /** Extra origins allowed to open the WebSocket (the served origin is always allowed). */
        allowedOrigins: z.array(z.url()).default([]),
        /**
         * Serve over HTTPS and WSS (seats on a LAN: passwords and sessions must not cross it in
         * clear). PEM files; the key readable by the service account only.
         */
        tls: z
          .strictObject({ certFile: z.string().min(1).max(1000), keyFile: z.string().min(1).max(1000) })
          .optional(),
      })
      .prefault({}),
    polling: z
      .strictObject({
        deviceIntervalSeconds: z.number().min(1).max(3600).default(10),
        serviceIntervalSeconds: z.number().min(1).max(3600).default(5),
        timeoutMs: z.number().int().min(100).max(60_000).default(2000),
        /** A source whose last good sample is older than this many intervals is stale. */
        staleAfterIntervals: z.number().min(1.5).max(100).default(3),
        maxConcurrent: z.number().int().min(1).max(1024).default(32),
      })
      .prefault({}),
    metrics: z
      .strictObject({
        /** Where collected metrics go and charts read from: the embedded store, or InfluxDB. */
        store: z.enum(['embedded', 'influxdb']).default('embedded'),
        influxdb: influxdbConnectionSchema.optional(),
        /** Points kept on disk while the store is unreachable; beyond, the oldest are dropped and counted. */
        queueMaxPoints: z.number().int().min(1000).max(50_000_000).default(1_000_000),
        /** Where a site's Telegraf writes, and which of its series are which devices and services. */
        telegraf: telegrafSchema.optional(),
      })
      .prefault({})
      .refine((m) => m.store !== 'influxdb' || m.influxdb !== undefined, {
        message: 'store "influxdb" needs an influxdb section (url, database)',
        path: ['influxdb'],
      })
      // Telegraf writes to InfluxDB, never into Vigie's embedded store.
      .refine((m) => !m.telegraf || m.telegraf.influxdb !== undefined || m.store === 'influxdb', {
        message:
          'Telegraf data is read from InfluxDB: give metrics.telegraf.influxdb, or use store "influxdb" when Telegraf writes to the same database',
        path: ['telegraf'],
      }),
    ui: z
      .strictObject({
        locale: z.enum(['fr', 'nl', 'en']).default('en'),
        timeZone: z.string().min(1).default('Europe/Brussels'),
      })
      .prefault({}),
    /** Who may use the console and for how long (issue 6). */
    access: z
      .strictObject({
        /**
         * Seats may view (overview, alarms, equipment: nothing that changes anything) before a
         * person signs in: wall displays. False: nothing is shown until someone signs in.
         */
        anonymousViewing: z.boolean().default(true),
        /** A session ends this long after sign-in, however active. */
        sessionHours: z.number().min(0.25).max(24).default(12),
        /** A session ends after this long without a request from its seat. */
        idleMinutes: z
          .number()
          .min(1)
          .max(24 * 60)
          .default(30),
        /** Single sign-on with an OpenID Connect provider (Keycloak ...): docs/oidc.md. */
        oidc: oidcConfigSchema.optional(),
      })
      .prefault({}),
    equipment: z
      .strictObject({
        /**
         * User-defined MIB profiles (the format of resources/mib-profiles), next to the built-in
         * ones; devices name them in `profiles`.
         */
        profiles: z.array(mibProfileSchema).max(200).default([]),
        /** UDP sockets shared by every SNMP session (file descriptors held by polling). */
        maxSockets: z.number().int().min(1).max(1024).default(16),
      })
      .prefault({}),
    traps: z
      .strictObject({
        enabled: z.boolean().default(true),
        /** Where SNMP notifications are received: `0.0.0.0` (every interface) or one address. */
        address: z.string().min(1).max(253).default('0.0.0.0'),
        /** 162 is the standard port but needs root; point devices (or an iptables redirect) at this one. */
        port: z.number().int().min(1).max(65535).default(1162),
        /** v2c communities accepted besides the devices' own (secret references). */
        communitySecrets: z.array(secretRefSchema).max(100).default([]),
        /** SNMPv3 users notifications are accepted from (authenticated only). */
        users: z
          .array(
            z.strictObject({
              name: z.string().min(1).max(32),
              level: z.enum(['authNoPriv', 'authPriv']).default('authPriv'),
              authProtocol: z.enum(['sha', 'sha224', 'sha256', 'sha384', 'sha512']),
              authSecret: secretRefSchema,
              privProtocol: z.enum(['aes', 'aes256b', 'aes256r']).optional(),
              privSecret: secretRefSchema.optional(),
            }),
          )
          .max(100)
          .default([]),
        /** This receiver's SNMPv3 engine ID (hex); default: made once and kept in the data folder. */
        engineId: z
          .string()
          .regex(/^[0-9a-fA-F]{10,64}$/)
          .optional(),
        /** Beyond these rates notifications are counted, not stored; a storm shows as one event per source. */
        rateLimit: trapRateLimitSchema,
      })
      .prefault({}),
    /** Threshold rules, people, teams, on-call schedules, escalation policies, e-mail and webhooks. */
    alarms: alarmsConfigSchema,
    inventory: inventorySchema
      .extend({
        /**
         * Inventory files merged into this section: JSON documents of the same shape, or CSV
         * files named after their table (zones.csv, rooms.csv, racks.csv, devices.csv,
         * services.csv). Relative paths are from the configuration file.
         */
        include: z.array(z.string().min(1).max(1000)).max(100).default([]),
      })
      .prefault({}),
  })
  .superRefine((cfg, ctx) => {
    // With included files, the rules across records are checked once they are merged in.
    if (cfg.inventory.include.length > 0) return;
    for (const issue of checkInventory(cfg.inventory))
      ctx.addIssue({ code: 'custom', path: ['inventory', ...issue.path], message: issue.message });
    const known = {
      devices: new Set(cfg.inventory.devices.map((d) => d.id)),
      services: new Set(cfg.inventory.services.map((s) => s.id)),
      zones: new Set(cfg.inventory.zones.map((z) => z.id)),
    };
    // The estate's inventory is not known here: its references are checked when it starts.
    if (cfg.estate) return;
    for (const issue of alarmsConfigIssues(cfg.alarms, known))
      ctx.addIssue({ code: 'custom', path: ['alarms', ...issue.path], message: issue.message });
  });

export type VigieConfig = z.infer<typeof configSchema>;
