/** Schemas of the overview: zones with their device and service tiles. */
import { z } from 'zod';
import { STATUSES } from '../domain/status';

export const statusSchema = z.enum(STATUSES);

export const tileKindSchema = z.enum(['ups', 'pdu', 'sensor', 'switch', 'service']);
export type TileKind = z.infer<typeof tileKindSchema>;

/** What a reading measures; each has an i18n label `reading.<key>`. */
export const readingKeySchema = z.enum([
  'batteryCharge',
  'minutesRemaining',
  'secondsOnBattery',
  'outputLoad',
  'inputVoltage',
  'batteryTemperature',
  'temperature',
  'humidity',
  'phaseLoad',
  'inBitsPerSecond',
  'outBitsPerSecond',
  'latency',
  'uptime',
]);
export type ReadingKey = z.infer<typeof readingKeySchema>;

export const unitSchema = z.enum([
  'percent',
  'celsius',
  'ampere',
  'volt',
  'bitsPerSecond',
  'milliseconds',
  'minutes',
  'seconds',
]);
export type Unit = z.infer<typeof unitSchema>;

export const readingSchema = z.strictObject({
  key: readingKeySchema,
  /** null: the source answered but this value was missing or unusable (never a silent zero). */
  value: z.number().nullable(),
  unit: unitSchema,
});
export type Reading = z.infer<typeof readingSchema>;

/** Why a tile has its status; each has an i18n text `condition.<code>`. */
export const conditionSchema = z.enum([
  'ok',
  'onBattery',
  'batteryLow',
  'batteryDepleted',
  'onBypass',
  'upsAlarm',
  'temperatureHigh',
  'temperatureCritical',
  'humidityOutOfRange',
  'sensorFault',
  'phaseNearOverload',
  'phaseOverload',
  'uplinkDown',
  'slow',
  'failing',
  'unreachable',
  'noData',
  'awaitingFirstPoll',
]);
export type Condition = z.infer<typeof conditionSchema>;

export const tileErrorSchema = z.strictObject({
  /** TIMEOUT, AUTH, UNREACHABLE, PROTOCOL, HTTP_5XX, ... */
  code: z.string().max(40),
  message: z.string().max(500),
  at: z.number(),
});

export const tileSchema = z.strictObject({
  id: z.string(),
  zoneId: z.string(),
  kind: tileKindSchema,
  name: z.string(),
  status: statusSchema,
  condition: conditionSchema,
  /** The value that matters on the tile (battery %, temperature, latency ...). */
  primary: readingSchema.nullable(),
  readings: z.array(readingSchema),
  /** When the last good sample was taken (epoch ms, source time); null: never. */
  lastSampleAt: z.number().nullable(),
  lastAttemptAt: z.number().nullable(),
  lastError: tileErrorSchema.nullable(),
  /** True when the last good sample is too old: the tile is grey, whatever it last said. */
  stale: z.boolean(),
  intervalMs: z.number(),
});
export type Tile = z.infer<typeof tileSchema>;

export const statusCountsSchema = z.strictObject({
  down: z.number().int(),
  degraded: z.number().int(),
  unknown: z.number().int(),
  maintenance: z.number().int(),
  up: z.number().int(),
});

export const zoneSummarySchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['primary', 'witness']),
  status: statusSchema,
  counts: statusCountsSchema,
});
export type ZoneSummary = z.infer<typeof zoneSummarySchema>;

export const overviewSchema = z.strictObject({
  /** Grows with every change; a receiver drops anything older than what it holds. */
  revision: z.number().int(),
  generatedAt: z.number(),
  training: z.boolean(),
  zones: z.array(zoneSummarySchema),
  tiles: z.array(tileSchema),
  counts: statusCountsSchema,
  status: statusSchema,
});
export type Overview = z.infer<typeof overviewSchema>;

/** A time series crossing the boundary as columns, never as an array of objects. */
export const frameSchema = z.strictObject({
  name: z.string(),
  unit: unitSchema,
  times: z.array(z.number()),
  /** null is a gap (missing data), never a zero. */
  values: z.array(z.number().nullable()),
});
export type Frame = z.infer<typeof frameSchema>;
