/**
 * The configuration file (YAML or JSON) and the inventory it describes. The training estate
 * produces an inventory of the same shape, so the engine cannot tell a simulated datacenter from
 * a real one except by the `training` flag.
 */
import { z } from 'zod';

const id = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,62}$/,
    'must be lower-case letters, digits and dashes (at most 63), starting with a letter or digit',
  );

export const zoneSchema = z.strictObject({
  id,
  name: z.string().min(1).max(80),
  /** Primary zones serve traffic (active-active); the witness site holds the quorum witness. */
  kind: z.enum(['primary', 'witness']),
});

export const snmpSettingsSchema = z.strictObject({
  host: z.string().min(1).max(253),
  port: z.number().int().min(1).max(65535).default(161),
  version: z.literal('2c'),
  community: z.string().min(1).max(64),
});

export const deviceKindSchema = z.enum(['ups', 'pdu', 'sensor', 'switch']);

export const deviceSchema = z.strictObject({
  id,
  zone: id,
  name: z.string().min(1).max(80),
  kind: deviceKindSchema,
  snmp: snmpSettingsSchema,
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
});

export const serviceSchema = z.strictObject({
  id,
  zone: id,
  name: z.string().min(1).max(80),
  /** Health endpoint: 2xx is healthy, anything else (or no answer) is not. */
  url: z.url({ protocol: /^https?$/ }),
  intervalSeconds: z.number().min(1).max(3600).optional(),
  /** Latency above which the service is degraded. */
  degradedLatencyMs: z.number().int().min(1).max(60_000).default(800),
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
        influxdb: z
          .strictObject({
            /** Base URL of the 1.x HTTP API (InfluxDB 2.x serves it too), e.g. http://influx:8086. */
            url: z.url({ protocol: /^https?$/ }),
            database: z.string().min(1).max(200),
            retentionPolicy: z.string().min(1).max(200).optional(),
            username: z.string().min(1).max(200).optional(),
            /** Name of the environment variable holding the password (never the password itself). */
            passwordEnv: z
              .string()
              .regex(/^[A-Z_][A-Z0-9_]*$/)
              .optional(),
            /** Name of the environment variable holding an InfluxDB 2.x token (sent as `Token ...`). */
            tokenEnv: z
              .string()
              .regex(/^[A-Z_][A-Z0-9_]*$/)
              .optional(),
            /** PEM file of the CA that signed the server's certificate (TLS with a private CA). */
            caFile: z.string().min(1).optional(),
            timeoutMs: z.number().int().min(100).max(300_000).default(10_000),
            /** Rows per query beyond which a result is reported as truncated. */
            maxRows: z.number().int().min(1000).max(10_000_000).default(500_000),
          })
          .optional(),
        /** Points kept on disk while the store is unreachable; beyond, the oldest are dropped and counted. */
        queueMaxPoints: z.number().int().min(1000).max(50_000_000).default(1_000_000),
      })
      .prefault({})
      .refine((m) => m.store !== 'influxdb' || m.influxdb !== undefined, {
        message: 'store "influxdb" needs an influxdb section (url, database)',
        path: ['influxdb'],
      }),
    ui: z
      .strictObject({
        locale: z.enum(['fr', 'nl', 'en']).default('en'),
        timeZone: z.string().min(1).default('Europe/Brussels'),
      })
      .prefault({}),
    inventory: z
      .strictObject({
        zones: z.array(zoneSchema).default([]),
        devices: z.array(deviceSchema).default([]),
        services: z.array(serviceSchema).default([]),
      })
      .prefault({}),
  })
  .superRefine((cfg, ctx) => {
    const zoneIds = new Set(cfg.inventory.zones.map((z) => z.id));
    const seen = new Set<string>();
    cfg.inventory.zones.forEach((z, i) => {
      if (seen.has(z.id))
        ctx.addIssue({
          code: 'custom',
          path: ['inventory', 'zones', i, 'id'],
          message: `duplicate id "${z.id}"`,
        });
      seen.add(z.id);
    });
    (['devices', 'services'] as const).forEach((list) => {
      cfg.inventory[list].forEach((item, i) => {
        if (!zoneIds.has(item.zone))
          ctx.addIssue({
            code: 'custom',
            path: ['inventory', list, i, 'zone'],
            message: `unknown zone "${item.zone}"`,
          });
        if (seen.has(item.id))
          ctx.addIssue({
            code: 'custom',
            path: ['inventory', list, i, 'id'],
            message: `duplicate id "${item.id}"`,
          });
        seen.add(item.id);
      });
    });
    cfg.inventory.devices.forEach((d, i) => {
      if (d.kind === 'sensor' && !d.sensors)
        ctx.addIssue({
          code: 'custom',
          path: ['inventory', 'devices', i, 'sensors'],
          message: 'a sensor needs temperatureIndex and humidityIndex',
        });
      if (d.kind === 'switch' && d.uplinkIfIndex === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['inventory', 'devices', i, 'uplinkIfIndex'],
          message: 'a switch needs the ifIndex of its uplink',
        });
    });
  });

export type VigieConfig = z.infer<typeof configSchema>;
export type Inventory = VigieConfig['inventory'];
export type ZoneDef = z.infer<typeof zoneSchema>;
export type DeviceDef = z.infer<typeof deviceSchema>;
export type ServiceDef = z.infer<typeof serviceSchema>;
export type DeviceKind = z.infer<typeof deviceKindSchema>;
