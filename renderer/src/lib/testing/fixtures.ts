/** A small estate for renderer tests: two primary zones and a witness, with every kind of tile state. */
import {
  ALL_CLIENTS,
  capabilitiesOf,
  type Overview,
  type ResponseOf,
  type Role,
  type SessionInfo,
  type Tile,
} from '../../../../shared/api';

/** 14:10:00 in Brussels (CET, UTC+1) on 23 November 2026. */
export const FIXTURE_NOW = Date.UTC(2026, 10, 23, 13, 10, 0);
/** 14:02 in Brussels: when the stale UPS last answered. */
export const STALE_SAMPLE_AT = Date.UTC(2026, 10, 23, 13, 2, 0);

function tile(partial: Partial<Tile> & Pick<Tile, 'id' | 'zoneId' | 'kind' | 'name'>): Tile {
  return {
    status: 'up',
    condition: 'ok',
    primary: null,
    readings: [],
    lastSampleAt: FIXTURE_NOW - 12_000,
    lastAttemptAt: FIXTURE_NOW - 12_000,
    lastError: null,
    stale: false,
    intervalMs: 10_000,
    ...partial,
  };
}

export const fixtureTiles: readonly Tile[] = [
  tile({
    id: 'ups-a1',
    zoneId: 'a',
    kind: 'ups',
    name: 'UPS A1',
    primary: { key: 'batteryCharge', value: 100, unit: 'percent' },
    readings: [
      { key: 'batteryCharge', value: 100, unit: 'percent' },
      { key: 'minutesRemaining', value: 42, unit: 'minutes' },
      { key: 'secondsOnBattery', value: 0, unit: 'seconds' },
      { key: 'outputLoad', value: 37.5, unit: 'percent' },
    ],
  }),
  tile({
    id: 'sensor-a1',
    zoneId: 'a',
    kind: 'sensor',
    name: 'Cold aisle A1',
    status: 'degraded',
    condition: 'temperatureHigh',
    primary: { key: 'temperature', value: 27.4, unit: 'celsius' },
    readings: [
      { key: 'temperature', value: 27.4, unit: 'celsius' },
      { key: 'humidity', value: 45, unit: 'percent' },
    ],
  }),
  tile({
    id: 'switch-a1',
    zoneId: 'a',
    kind: 'switch',
    name: 'Core switch A',
    primary: { key: 'inBitsPerSecond', value: 12_300_000, unit: 'bitsPerSecond' },
    readings: [
      { key: 'inBitsPerSecond', value: 12_300_000, unit: 'bitsPerSecond' },
      { key: 'outBitsPerSecond', value: 945_000, unit: 'bitsPerSecond' },
    ],
  }),
  tile({
    id: 'api-a',
    zoneId: 'a',
    kind: 'service',
    name: 'API gateway A',
    primary: { key: 'latency', value: 120, unit: 'milliseconds' },
    readings: [{ key: 'latency', value: 120, unit: 'milliseconds' }],
  }),
  tile({
    id: 'ups-b1',
    zoneId: 'b',
    kind: 'ups',
    name: 'UPS B1',
    // The engine still says "up", but the data is stale: the console must show it grey.
    status: 'up',
    stale: true,
    primary: { key: 'batteryCharge', value: 98, unit: 'percent' },
    readings: [{ key: 'batteryCharge', value: 98, unit: 'percent' }],
    lastSampleAt: STALE_SAMPLE_AT,
    lastAttemptAt: FIXTURE_NOW - 5_000,
    lastError: { code: 'TIMEOUT', message: 'SNMP request timed out after 5000 ms', at: FIXTURE_NOW - 5_000 },
  }),
  tile({
    id: 'pdu-b1',
    zoneId: 'b',
    kind: 'pdu',
    name: 'PDU B1',
    status: 'degraded',
    condition: 'phaseNearOverload',
    primary: { key: 'phaseLoad', value: 14.2, unit: 'ampere' },
    readings: [
      { key: 'phaseLoad', value: 14.2, unit: 'ampere' },
      { key: 'inputVoltage', value: 231, unit: 'volt' },
    ],
  }),
  tile({
    id: 'web-b',
    zoneId: 'b',
    kind: 'service',
    name: 'Web portal B',
    status: 'down',
    condition: 'failing',
    primary: { key: 'latency', value: null, unit: 'milliseconds' },
    readings: [{ key: 'latency', value: null, unit: 'milliseconds' }],
    lastError: { code: 'HTTP_5XX', message: 'HTTP 503 from /health', at: FIXTURE_NOW - 3_000 },
  }),
  tile({
    id: 'sensor-w1',
    zoneId: 'witness',
    kind: 'sensor',
    name: 'Witness room',
    status: 'unknown',
    condition: 'awaitingFirstPoll',
    lastSampleAt: null,
    lastAttemptAt: null,
  }),
  tile({
    id: 'ups-w1',
    zoneId: 'witness',
    kind: 'ups',
    name: 'UPS W1',
    status: 'maintenance',
    primary: { key: 'batteryCharge', value: 88, unit: 'percent' },
    readings: [{ key: 'batteryCharge', value: 88, unit: 'percent' }],
  }),
];

const zeroCounts = { down: 0, degraded: 0, unknown: 0, maintenance: 0, up: 0 };

export function fixtureOverview(overrides: Partial<Overview> = {}): Overview {
  return {
    revision: 10,
    generatedAt: FIXTURE_NOW - 1_000,
    training: true,
    zones: [
      {
        id: 'a',
        name: 'Zone A',
        kind: 'primary',
        status: 'degraded',
        counts: { ...zeroCounts, up: 3, degraded: 1 },
      },
      {
        id: 'b',
        name: 'Zone B',
        kind: 'primary',
        status: 'down',
        counts: { ...zeroCounts, down: 1, degraded: 1, unknown: 1 },
      },
      {
        id: 'witness',
        name: 'Site C',
        kind: 'witness',
        status: 'unknown',
        counts: { ...zeroCounts, unknown: 1, maintenance: 1 },
      },
    ],
    tiles: [...fixtureTiles],
    counts: { down: 1, degraded: 2, unknown: 2, maintenance: 1, up: 3 },
    status: 'down',
    ...overrides,
  };
}

/** The fixture with one tile replaced. */
export function withTile(overview: Overview, id: string, change: Partial<Tile>): Overview {
  return { ...overview, tiles: overview.tiles.map((t) => (t.id === id ? { ...t, ...change } : t)) };
}

export function fixtureAppInfo(overrides: Partial<ResponseOf<'app.info'>> = {}): ResponseOf<'app.info'> {
  return {
    name: 'Vigie',
    version: '0.1.0',
    training: true,
    locale: 'en',
    timeZone: 'Europe/Brussels',
    ...overrides,
  };
}

export function fixtureScenarios(
  overrides: Partial<ResponseOf<'estate.scenarios'>> = {},
): ResponseOf<'estate.scenarios'> {
  return {
    available: true,
    active: null,
    scenarios: [
      { id: 'zone-a-power-failure', descriptionKey: 'scenario.zone-a-power-failure.description' },
      { id: 'restore', descriptionKey: 'scenario.restore.description' },
    ],
    ...overrides,
  };
}

/**
 * A seat's session: `roles` signed in (an `operator` by default), or `null` for an anonymous
 * seat (which may view when the engine allows anonymous viewing, as here by default).
 */
export function fixtureSession(
  roles: readonly Role[] | null = ['operator'],
  overrides: Partial<SessionInfo> & { clients?: readonly string[]; login?: string } = {},
): SessionInfo {
  const { clients = [ALL_CLIENTS], login = 'alice', ...rest } = overrides;
  const anonymousViewing = rest.anonymousViewing ?? true;
  const base: SessionInfo =
    roles === null
      ? {
          state: 'anonymous',
          person: null,
          capabilities: anonymousViewing ? ['view', 'view.infrastructure'] : [],
          expiresAt: null,
          idleExpiresAt: null,
          anonymousViewing,
          methods: { password: true, oidc: false },
        }
      : {
          state: 'signed-in',
          person: {
            id: login,
            displayName: login === 'alice' ? 'Alice Martin' : login,
            roles: [...roles],
            clients: [...clients],
            source: 'local',
          },
          capabilities: capabilitiesOf(roles, clients),
          expiresAt: FIXTURE_NOW + 8 * 3600_000,
          idleExpiresAt: FIXTURE_NOW + 15 * 60_000,
          anonymousViewing,
          methods: { password: true, oidc: false },
        };
  return { ...base, ...rest };
}
