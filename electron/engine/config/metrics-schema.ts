/**
 * The `metrics` section's parts: how to reach an InfluxDB, and `metrics.telegraf`, which tells
 * Vigie where a site's Telegraf writes and which of its series belong to which of Vigie's devices
 * and services.
 *
 * Telegraf names things after the plugin that collected them, not after the estate: an SNMP agent
 * is its `agent_host` (inputs.snmp), a machine its `host` (inputs.cpu, inputs.mem), a health
 * check its `server` URL (inputs.http_response), a ping target its `url` (inputs.ping). Nothing in
 * the data says "this is UPS 1 in Datacenter 1": the mapping does, keyed by Vigie's ids, with
 * the tag value Telegraf writes for each. Measurement names follow Telegraf's defaults and may be
 * overridden for a site that renamed them (`name_override`, a table's `name`).
 * https://github.com/influxdata/telegraf/tree/master/plugins/inputs/snmp
 * https://github.com/influxdata/telegraf/tree/master/plugins/inputs/http_response
 * https://github.com/influxdata/telegraf/tree/master/plugins/inputs/ping
 */
import { z } from 'zod';

const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name (A-Z, 0-9, _)');

export const influxdbConnectionSchema = z.strictObject({
  /** Base URL of the 1.x HTTP API (InfluxDB 2.x serves it too), e.g. http://influx:8086. */
  url: z.url({ protocol: /^https?$/ }),
  database: z.string().min(1).max(200),
  retentionPolicy: z.string().min(1).max(200).optional(),
  username: z.string().min(1).max(200).optional(),
  /** Name of the environment variable holding the password (never the password itself). */
  passwordEnv: envName.optional(),
  /** Name of the environment variable holding an InfluxDB 2.x token (sent as `Token ...`). */
  tokenEnv: envName.optional(),
  /** PEM file of the CA that signed the server's certificate (TLS with a private CA). */
  caFile: z.string().min(1).optional(),
  timeoutMs: z.number().int().min(100).max(300_000).default(10_000),
  /** Rows per query beyond which a result is reported as truncated. */
  maxRows: z.number().int().min(1000).max(10_000_000).default(500_000),
});
export type InfluxdbConnection = z.infer<typeof influxdbConnectionSchema>;

/** A measurement, field or tag key as InfluxDB stores it. */
const name = z.string().min(1).max(200);
/** A tag value as Telegraf writes it (an address, a URL, a host name). */
const tagValue = z.string().min(1).max(1000);
const vigieId = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,62}$/,
    'a device or service id of the inventory (lower-case letters, digits, dashes)',
  );

/** A record key that is not an inventory id says so, rather than zod's "Invalid key in record". */
function badKey(issue: { code?: string }): string | undefined {
  return issue.code === 'invalid_key'
    ? 'not a device or service id of the inventory (lower-case letters, digits, dashes)'
    : undefined;
}

export const telegrafDeviceSchema = z.strictObject({
  /**
   * inputs.snmp: the agent as Telegraf tags it (`agent_host`: the address listed in `agents`,
   * without `udp://` and port), e.g. `192.0.2.10`.
   */
  agentHost: tagValue,
  /** Fields of the `snmp` measurement to chart for this device, as named in `[[inputs.snmp.field]]`. */
  snmpFields: z.array(name).max(12).default([]),
  /** Interfaces to chart (values of `interfaceTag`); empty: every interface of the agent, a line each. */
  interfaces: z.array(tagValue).max(12).default([]),
});
export type TelegrafDevice = z.infer<typeof telegrafDeviceSchema>;

export const telegrafServiceSchema = z
  .strictObject({
    /** inputs.http_response: the `server` tag, the URL exactly as listed in `urls`. */
    server: tagValue.optional(),
    /** inputs.ping: the `url` tag, the host exactly as listed in `urls`. */
    pingUrl: tagValue.optional(),
    /** inputs.cpu and inputs.mem: the `host` tag of each machine that runs the service. */
    hosts: z.array(tagValue).max(12).default([]),
  })
  .refine((s) => s.server !== undefined || s.pingUrl !== undefined || s.hosts.length > 0, {
    message: 'map at least one of server (http_response), pingUrl (ping) or hosts (cpu, mem)',
  });
export type TelegrafService = z.infer<typeof telegrafServiceSchema>;

export const telegrafSchema = z.strictObject({
  /**
   * The InfluxDB Telegraf writes to, when it is not Vigie's own store (`metrics.influxdb`): Vigie
   * reads it as a second, read-only source named `telegraf`.
   */
  influxdb: influxdbConnectionSchema.optional(),
  /** Telegraf's measurement names, where the site changed them. */
  measurements: z
    .strictObject({
      snmp: name.default('snmp'),
      /** The table of IF-MIB ifTable/ifXTable rows (Telegraf's example names it `interface`; unnamed: `ifXTable`). */
      interface: name.default('interface'),
      httpResponse: name.default('http_response'),
      ping: name.default('ping'),
      cpu: name.default('cpu'),
      mem: name.default('mem'),
    })
    .prefault({}),
  /** The tag inputs.snmp names the agent with (its `agent_host_tag` option). */
  agentHostTag: name.default('agent_host'),
  /** The tag naming an interface in the interface table (`ifDescr` in Telegraf's example, often `ifName`). */
  interfaceTag: name.default('ifDescr'),
  /** Per device id of the inventory: how Telegraf names it. */
  devices: z.record(vigieId, telegrafDeviceSchema, { error: badKey }).default({}),
  /** Per service id of the inventory: how Telegraf names it. */
  services: z.record(vigieId, telegrafServiceSchema, { error: badKey }).default({}),
});
export type TelegrafMapping = z.infer<typeof telegrafSchema>;

/** The metric source id of a separate Telegraf InfluxDB (`main` is Vigie's own store). */
export const TELEGRAF_SOURCE_ID = 'telegraf';

/** The source that holds Telegraf's data: its own InfluxDB, or Vigie's main store. */
export function telegrafSourceId(mapping: TelegrafMapping): string {
  return mapping.influxdb ? TELEGRAF_SOURCE_ID : 'main';
}

export interface MappingIssue {
  readonly path: (string | number)[];
  readonly message: string;
}

/**
 * The mapping against the inventory: every id it names must be a device (or a service) there.
 * Checked once the inventory is complete (after its included files are merged).
 */
export function telegrafMappingIssues(
  mapping: TelegrafMapping,
  inventory: {
    readonly devices: readonly { readonly id: string }[];
    readonly services: readonly { readonly id: string }[];
  },
): MappingIssue[] {
  const devices = new Set(inventory.devices.map((d) => d.id));
  const services = new Set(inventory.services.map((s) => s.id));
  const issues: MappingIssue[] = [];
  for (const id of Object.keys(mapping.devices))
    if (!devices.has(id))
      issues.push({
        path: ['metrics', 'telegraf', 'devices', id],
        message: services.has(id)
          ? `"${id}" is a service: map it under metrics.telegraf.services`
          : `no device "${id}" in the inventory`,
      });
  for (const id of Object.keys(mapping.services))
    if (!services.has(id))
      issues.push({
        path: ['metrics', 'telegraf', 'services', id],
        message: devices.has(id)
          ? `"${id}" is a device: map it under metrics.telegraf.devices`
          : `no service "${id}" in the inventory`,
      });
  return issues;
}
