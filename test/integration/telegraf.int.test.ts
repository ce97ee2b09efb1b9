/**
 * A site's Telegraf data on a real influxd, read through Vigie's metrics service the way the
 * built-in dashboards ask for it (`metrics.telegraf`): points written as Telegraf's inputs write
 * them (inputs.snmp with an IF-MIB table and top-level fields, inputs.http_response, inputs.ping,
 * inputs.cpu, inputs.mem; their field names, tags and types, nanosecond timestamps), then every
 * panel of the mapped devices' and services' dashboards queried with its series as the renderer
 * sends it. Telegraf writes to its own database; Vigie reads it as the second source `telegraf`.
 * https://github.com/influxdata/telegraf/tree/master/plugins/inputs
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dashboard, PanelSeries } from '../../shared/domain/dashboard';
import { InfluxMetricStore } from '../../electron/engine/adapters/influxdb/influx-metric-store';
import { telegrafSchema, type TelegrafMapping } from '../../electron/engine/config/metrics-schema';
import { configSchema } from '../../electron/engine/config/schema';
import { systemClock } from '../../electron/engine/ports/clock';
import { silentLogger } from '../../electron/engine/ports/logger';
import { autoDashboards } from '../../electron/engine/services/dashboards/auto-dashboards';
import {
  MetricsService,
  type MetricsQueryRequest,
  type MetricsQueryResponse,
} from '../../electron/engine/services/metrics/metrics-service';
import { metricUnits, telegrafSources } from '../../electron/engine/telegraf-sources';
import { skipReason, withSkipReason } from '../servers/common';
import { INFLUXD_REQUIREMENTS, startInfluxd, type InfluxdHandle } from '../servers/influxd';

/** Telegraf's collection interval (its `interval = "10s"`, timestamps rounded to it). */
const INTERVAL_MS = 10_000;
const SAMPLES = 30;
const T0 = Date.UTC(2024, 2, 10, 13, 0, 0);
const T_END = T0 + (SAMPLES - 1) * INTERVAL_MS;
/** The sample at which the switch restarts (its counters start again from zero). */
const RESET_AT = 20;
/** Octets per interval on xe-0/0/1: 1,250,000 per 10 s = 1 Mbit/s. */
const OCTETS_PER_INTERVAL = 1_250_000;

const inventory = configSchema.parse({
  inventory: {
    zones: [
      { id: 'dc1', name: 'Datacenter 1', kind: 'primary' },
      { id: 'dc2', name: 'Datacenter 2', kind: 'primary' },
    ],
    devices: [
      {
        id: 'dc1-core-sw',
        zone: 'dc1',
        name: 'Core switch',
        kind: 'switch',
        address: '192.0.2.1',
        snmp: { version: '2c', community: 'public' },
        uplinkIfIndex: 1,
      },
      {
        id: 'dc1-ups-1',
        zone: 'dc1',
        name: 'UPS 1',
        kind: 'ups',
        address: '192.0.2.10',
        snmp: { version: '2c', community: 'public' },
      },
    ],
    services: [
      { id: 'dc1-api', zone: 'dc1', name: 'API gateway', url: 'https://api.dc1.example.org/health' },
      { id: 'dc2-api', zone: 'dc2', name: 'API gateway', url: 'https://api.dc2.example.org/health' },
    ],
  },
}).inventory;

/** Nanoseconds, as Telegraf's InfluxDB output writes them. */
function ns(ms: number): string {
  return `${BigInt(ms) * 1_000_000n}`;
}

/** What Telegraf 1.x writes for the estate above over SAMPLES intervals (line protocol). */
function telegrafLines(): string {
  const lines: string[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const t = ns(T0 + i * INTERVAL_MS);
    // inputs.snmp: the IF-MIB ifTable and ifXTable rows in one measurement `interface` (Telegraf's
    // example configuration), tagged with the agent, the collector's host and ifDescr.
    const since = i < RESET_AT ? i : i - RESET_AT;
    const base = i < RESET_AT ? 9_000_000_000 : 0;
    const inOctets = base + since * OCTETS_PER_INTERVAL;
    lines.push(
      `interface,agent_host=192.0.2.1,host=telegraf-01,hostname=core-sw-dc1,ifDescr=xe-0/0/1,ifIndex=1 ` +
        `ifHCInOctets=${inOctets}i,ifHCOutOctets=${base + since * 2 * OCTETS_PER_INTERVAL}i,` +
        `ifInOctets=${inOctets % 2 ** 32}i,ifOperStatus=1i,ifSpeed=4294967295i,ifHighSpeed=10000i ${t}`,
      `interface,agent_host=192.0.2.1,host=telegraf-01,hostname=core-sw-dc1,ifDescr=xe-0/0/2,ifIndex=2 ` +
        `ifHCInOctets=${i * 1000}i,ifHCOutOctets=${i * 1000}i,ifOperStatus=2i,ifHighSpeed=10000i ${t}`,
    );
    // inputs.snmp top-level fields of the UPS (UPS-MIB, named by the site's configuration).
    lines.push(
      `snmp,agent_host=192.0.2.10,host=telegraf-01,hostname=ups-1 ` +
        `upsBatteryCharge=100i,upsOutputLoad=37i,upsEstimatedMinutesRemaining=42i ${t}`,
    );
    // inputs.http_response on dc1 only: dc2's mapped check has no data.
    lines.push(
      `http_response,host=telegraf-01,method=GET,result=success,server=https://api.dc1.example.org/health,status_code=200 ` +
        `content_length=15i,http_response_code=200i,response_time=0.012,result_code=0i,result_type="success" ${t}`,
    );
    lines.push(
      `ping,host=telegraf-01,url=api.dc1.example.org ` +
        `average_response_ms=0.52,maximum_response_ms=0.61,minimum_response_ms=0.43,packets_received=5i,` +
        `packets_transmitted=5i,percent_packet_loss=0,result_code=0i,standard_deviation_ms=0.06,ttl=64i ${t}`,
    );
    for (const cpu of ['cpu0', 'cpu-total'])
      lines.push(
        `cpu,cpu=${cpu},host=api-01 usage_guest=0,usage_guest_nice=0,usage_idle=92.5,usage_iowait=0.2,usage_irq=0,` +
          `usage_nice=0,usage_softirq=0.1,usage_steal=0,usage_system=2.4,usage_user=4.8 ${t}`,
      );
    lines.push(
      `mem,host=api-01 active=2147483648i,available=5257129984i,available_percent=61.2,buffered=104857600i,` +
        `cached=3221225472i,free=1073741824i,inactive=1073741824i,total=8589934592i,used=3332804608i,used_percent=38.8 ${t}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const influxSkip = skipReason('influxd', INFLUXD_REQUIREMENTS);

describe.skipIf(influxSkip !== undefined)(withSkipReason('Telegraf data on influxd', influxSkip), () => {
  let server: InfluxdHandle | undefined;
  let metrics: MetricsService | undefined;
  let mapping: TelegrafMapping;
  let dashboards: Dashboard[] = [];

  async function admin(statement: string): Promise<void> {
    if (!server) throw new Error('influxd did not start');
    const response = await fetch(`${server.url}/query`, {
      method: 'POST',
      body: new URLSearchParams({ q: statement }),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    if (response.status !== 200 || text.includes('"error"')) throw new Error(`${statement}: ${text}`);
  }

  beforeAll(async () => {
    server = await startInfluxd();
    await admin('CREATE DATABASE vigie');
    await admin('CREATE DATABASE telegraf');
    // Telegraf's output: POST /write, nanosecond precision (the default).
    const written = await fetch(`${server.url}/write?db=telegraf`, {
      method: 'POST',
      body: telegrafLines(),
      signal: AbortSignal.timeout(10_000),
    });
    expect(written.status, await written.text()).toBe(204);

    mapping = telegrafSchema.parse({
      influxdb: {
        url: server.url,
        database: 'telegraf',
        username: 'vigie-reader',
        passwordEnv: 'TELEGRAF_PW',
      },
      devices: {
        'dc1-core-sw': { agentHost: '192.0.2.1' },
        'dc1-ups-1': { agentHost: '192.0.2.10', snmpFields: ['upsBatteryCharge', 'upsInputVoltage'] },
      },
      services: {
        'dc1-api': {
          server: 'https://api.dc1.example.org/health',
          pingUrl: 'api.dc1.example.org',
          hosts: ['api-01'],
        },
        'dc2-api': { server: 'https://api.dc2.example.org/health', pingUrl: 'api.dc2.example.org' },
      },
    });
    // The composition the engine does: Vigie's own store, then Telegraf's as a second source.
    const main = new InfluxMetricStore({
      url: server.url,
      database: 'vigie',
      timeoutMs: 10_000,
      maxRows: 500_000,
    });
    metrics = new MetricsService({
      sources: [
        { id: 'main', name: 'InfluxDB vigie', kind: 'influxdb', store: main },
        // Auth is off on the test server: the password is sent and ignored.
        ...(await telegrafSources(mapping, { TELEGRAF_PW: 'secret' })),
      ],
      clock: systemClock,
      logger: silentLogger,
      unitOf: metricUnits(mapping),
    });
    dashboards = autoDashboards(inventory, mapping);
  });

  afterAll(async () => {
    await metrics?.stop();
    await server?.stop();
  });

  function dashboard(id: string): Dashboard {
    const found = dashboards.find((d) => d.id === id);
    if (!found) throw new Error(`no dashboard ${id}`);
    return found;
  }

  /** The request the renderer's panel sends for a series (dashboard-panel.tsx), over the samples. */
  function ask(series: PanelSeries, widthPx = 600): Promise<MetricsQueryResponse> {
    if (!metrics) throw new Error('no metrics service');
    const request: MetricsQueryRequest = {
      source: series.source,
      measurement: series.measurement,
      field: series.field,
      where: series.where,
      groupBy: series.groupBy,
      aggregation: series.aggregation,
      from: T0,
      to: T_END + INTERVAL_MS,
      widthPx,
      ...(series.transform ? { transform: series.transform } : {}),
    };
    return metrics.query(request);
  }

  async function panelFrames(dashboardId: string, panelId: string) {
    const panel = dashboard(dashboardId).panels.find((p) => p.id === panelId);
    if (!panel) throw new Error(`no panel ${panelId} in ${dashboardId}`);
    const answers = await Promise.all(panel.series.map((s) => ask(s)));
    return answers.map((a, i) => ({ label: panel.series[i]?.label, frames: a.frames }));
  }

  const values = (frame: { values: (number | null)[] } | undefined) =>
    (frame?.values ?? []).filter((v): v is number => v !== null);

  it('lists Telegraf’s measurements and tags in the explorer’s catalog of the telegraf source', async () => {
    if (!metrics) throw new Error('no metrics service');
    const catalog = await metrics.catalog('telegraf', 'interface');
    expect(catalog.measurements).toEqual(['cpu', 'http_response', 'interface', 'mem', 'ping', 'snmp']);
    expect(catalog.tagKeys).toEqual(['agent_host', 'host', 'hostname', 'ifDescr', 'ifIndex']);
    expect(catalog.fields).toEqual(expect.arrayContaining([{ name: 'ifHCInOctets', type: 'integer' }]));
    expect(await metrics.tagValues('telegraf', 'interface', 'agent_host')).toEqual({ values: ['192.0.2.1'] });
    expect(metrics.sources().sources.map((s) => [s.id, s.name])).toEqual([
      ['main', 'InfluxDB vigie'],
      ['telegraf', 'Telegraf (InfluxDB telegraf)'],
    ]);
  });

  it('charts the switch’s HC octet counters as bits per second per interface, the restart a gap', async () => {
    const [inbound] = await panelFrames('auto-device-dc1-core-sw', 'interface-in');
    const frames = inbound?.frames ?? [];
    expect(frames.map((f) => [f.name, f.unit])).toEqual([
      ['interface.ifHCInOctets{ifDescr=xe-0/0/1}', 'bitsPerSecond'],
      ['interface.ifHCInOctets{ifDescr=xe-0/0/2}', 'bitsPerSecond'],
    ]);
    const busy = frames[0];
    expect(busy?.times[0]).toBe(T0);
    // One bucket per sample: no rate for the first, nor where the counter went back to zero.
    expect(busy?.values[0]).toBeNull();
    expect(busy?.values[RESET_AT]).toBeNull();
    const rates = values(busy);
    expect(rates).toHaveLength(SAMPLES - 2);
    for (const rate of rates) expect(rate).toBeCloseTo(1_000_000, 6);
    for (const rate of values(frames[1])) expect(rate).toBeCloseTo(800, 6);
    const [outbound] = await panelFrames('auto-device-dc1-core-sw', 'interface-out');
    expect(values(outbound?.frames[0])[0]).toBeCloseTo(2_000_000, 6);
  });

  it('charts the UPS’s mapped SNMP fields, and says nothing where the field was never collected', async () => {
    const [charge] = await panelFrames('auto-device-dc1-ups-1', 'snmp-1-upsbatterycharge');
    expect(charge?.frames.map((f) => f.name)).toEqual(['snmp.upsBatteryCharge']);
    expect(new Set(values(charge?.frames[0]))).toEqual(new Set([100]));
    const [voltage] = await panelFrames('auto-device-dc1-ups-1', 'snmp-2-upsinputvoltage');
    expect(voltage?.frames).toEqual([]);
    // Vigie itself collected nothing here: its own panels are empty too, never zeros.
    const [own] = await panelFrames('auto-device-dc1-ups-1', 'battery-charge');
    expect(own?.frames).toEqual([]);
  });

  it('charts a service’s response time in ms and its result per zone; dc2’s absent check has no frame', async () => {
    const response = await panelFrames('auto-service-api-gateway', 'http-response-time');
    expect(response.map((r) => r.label)).toEqual(['dc1', 'dc2']);
    expect(response[0]?.frames[0]?.unit).toBe('milliseconds');
    expect(new Set(values(response[0]?.frames[0]).map((v) => Math.round(v * 1000) / 1000))).toEqual(
      new Set([12]),
    );
    expect(response[1]?.frames).toEqual([]);
    const result = await panelFrames('auto-service-api-gateway', 'http-result');
    expect(new Set(values(result[0]?.frames[0]))).toEqual(new Set([0]));
    expect(result[1]?.frames).toEqual([]);
  });

  it('charts ping round trip and loss, CPU busy from idle, and memory used', async () => {
    const [rtt, rttDc2] = await panelFrames('auto-service-api-gateway', 'ping-rtt');
    expect(rtt?.frames[0]?.unit).toBe('milliseconds');
    expect(new Set(values(rtt?.frames[0]))).toEqual(new Set([0.52]));
    expect(rttDc2?.frames).toEqual([]);
    const [loss] = await panelFrames('auto-service-api-gateway', 'ping-loss');
    expect(loss?.frames[0]?.unit).toBe('percent');
    expect(new Set(values(loss?.frames[0]))).toEqual(new Set([0]));
    const [cpu] = await panelFrames('auto-service-api-gateway', 'cpu-busy');
    expect(cpu?.frames).toHaveLength(1);
    expect(cpu?.frames[0]?.unit).toBe('percent');
    for (const busy of values(cpu?.frames[0])) expect(busy).toBeCloseTo(7.5, 9);
    expect(values(cpu?.frames[0])).toHaveLength(SAMPLES);
    const [mem] = await panelFrames('auto-service-api-gateway', 'memory-used');
    expect(new Set(values(mem?.frames[0]))).toEqual(new Set([38.8]));
  });

  it('answers the explorer’s plain query of a Telegraf field with the field’s unit', async () => {
    if (!metrics) throw new Error('no metrics service');
    const plain = await metrics.query({
      source: 'telegraf',
      measurement: 'http_response',
      field: 'response_time',
      where: [{ key: 'server', op: '=', value: 'https://api.dc1.example.org/health' }],
      groupBy: [],
      aggregation: 'max',
      from: T0,
      to: T_END + INTERVAL_MS,
      widthPx: 300,
    });
    expect(plain.frames[0]?.unit).toBe('seconds');
    expect(plain.queryText).toContain('"http_response"');
    expect(new Set(values(plain.frames[0]))).toEqual(new Set([0.012]));
  });
});
