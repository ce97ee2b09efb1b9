/**
 * Units of what Vigie itself writes (measurement `vigie`, one field per reading), so that its
 * charts carry the same units as the overview's tiles. Anything else in a store has no unit we
 * can know: it is shown without one rather than with a guess.
 */
import type { ReadingKey, Unit } from '../../../../shared/api';
import { VIGIE_MEASUREMENT } from '../../ports/metric-store';

// A Record over every ReadingKey: a new reading without a unit here is a compile error.
const READING_UNITS: Readonly<Record<ReadingKey, Unit>> = {
  batteryCharge: 'percent',
  minutesRemaining: 'minutes',
  secondsOnBattery: 'seconds',
  outputLoad: 'percent',
  inputVoltage: 'volt',
  batteryTemperature: 'celsius',
  temperature: 'celsius',
  humidity: 'percent',
  phaseLoad: 'ampere',
  inBitsPerSecond: 'bitsPerSecond',
  outBitsPerSecond: 'bitsPerSecond',
  latency: 'milliseconds',
  uptime: 'seconds',
};

const UNITS_BY_FIELD: ReadonlyMap<string, Unit> = new Map(Object.entries(READING_UNITS));

/** The unit of `measurement.field` when Vigie wrote it; null when unknown. */
export function vigieMetricUnit(measurement: string, field: string): Unit | null {
  if (measurement !== VIGIE_MEASUREMENT) return null;
  return UNITS_BY_FIELD.get(field) ?? null;
}
