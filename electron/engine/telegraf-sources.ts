/**
 * Composition of a site's Telegraf data (config `metrics.telegraf`): the source it is read from
 * (Telegraf's own InfluxDB as a second, read-only source `telegraf`, or Vigie's main store), the
 * units of its fields, and a warning for mapped ids the inventory does not have (the training
 * estate's inventory is not in the file, so `vigie config check` cannot see them).
 */
import { readFile } from 'node:fs/promises';
import { VigieError } from '../../shared/api';
import { InfluxMetricStore } from './adapters/influxdb/influx-metric-store';
import {
  TELEGRAF_SOURCE_ID,
  telegrafMappingIssues,
  type InfluxdbConnection,
  type TelegrafMapping,
} from './config/metrics-schema';
import type { Inventory } from './config/schema';
import type { Logger } from './ports/logger';
import { telegrafMetricUnit } from './services/dashboards/telegraf-panels';
import type { MetricSourceDef } from './services/metrics/metrics-service';
import { vigieMetricUnit } from './services/metrics/metric-units';

/** An InfluxMetricStore for a configured connection; secrets come from the named variables. */
export async function openInfluxStore(
  connection: InfluxdbConnection,
  env: NodeJS.ProcessEnv,
  configPath: string,
): Promise<InfluxMetricStore> {
  const secret = (name: string | undefined, what: string): string | undefined => {
    if (name === undefined) return undefined;
    const value = env[name];
    if (!value) throw new VigieError('VALIDATION', `${configPath}: ${what} variable ${name} is not set`);
    return value;
  };
  const password = secret(connection.passwordEnv, 'password');
  const token = secret(connection.tokenEnv, 'token');
  const ca = connection.caFile ? await readFile(connection.caFile, 'utf8') : undefined;
  return new InfluxMetricStore({
    url: connection.url,
    database: connection.database,
    timeoutMs: connection.timeoutMs,
    maxRows: connection.maxRows,
    ...(connection.retentionPolicy ? { retentionPolicy: connection.retentionPolicy } : {}),
    ...(connection.username ? { username: connection.username } : {}),
    ...(password ? { password } : {}),
    ...(token ? { token } : {}),
    ...(ca ? { ca } : {}),
  });
}

/** The extra metric source of Telegraf's own InfluxDB (none when Telegraf writes to the main store). */
export async function telegrafSources(
  mapping: TelegrafMapping | undefined,
  env: NodeJS.ProcessEnv,
): Promise<MetricSourceDef[]> {
  const connection = mapping?.influxdb;
  if (!connection) return [];
  const store = await openInfluxStore(connection, env, 'metrics.telegraf.influxdb');
  return [
    {
      id: TELEGRAF_SOURCE_ID,
      name: `Telegraf (InfluxDB ${connection.database})`,
      kind: 'influxdb',
      store,
      maxRows: connection.maxRows,
    },
  ];
}

/** Units of what Vigie writes, then of Telegraf's fields. */
export function metricUnits(
  mapping: TelegrafMapping | undefined,
): (measurement: string, field: string) => string | null {
  const telegraf = mapping ? telegrafMetricUnit(mapping) : () => null;
  return (measurement, field) => vigieMetricUnit(measurement, field) ?? telegraf(measurement, field);
}

/** Logs mapped ids the inventory does not have: their panels would never exist. */
export function warnUnmapped(
  mapping: TelegrafMapping | undefined,
  inventory: Inventory,
  logger: Logger,
): void {
  if (!mapping) return;
  for (const issue of telegrafMappingIssues(mapping, inventory))
    logger.warn({ path: issue.path.join('.') }, `metrics.telegraf: ${issue.message}; ignored`);
}
